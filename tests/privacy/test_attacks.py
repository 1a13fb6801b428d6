"""anonymeter's attacks: reported when installed, and said to be missing when not."""

from __future__ import annotations

import pytest

from calmops.privacy import attacks, privacy_report


def test_without_anonymeter_the_report_says_so(patients, monkeypatch):
    monkeypatch.setattr(attacks, "anonymeter_available", lambda: False)
    report = privacy_report(patients, patients, ["age", "sex"], "diagnosis", attacks=True)
    assert report.attacks == {
        "available": False,
        "reason": "anonymeter is not installed (pip install 'calmops[privacy-risk]')",
    }
    assert "anonymeter is not installed" in report.to_dict()["attacks"]["reason"]


@pytest.mark.slow
def test_the_three_attacks_with_anonymeter(patients):
    if not attacks.anonymeter_available():
        pytest.skip(
            "anonymeter is not installed: it is the calmops[privacy-risk] extra, kept out of "
            "dev because anonymeter 1.1 pins numpy<1.27"
        )
    original, control = patients.iloc[:600], patients.iloc[600:]
    report = privacy_report(
        original, original, ["age", "sex", "city"], "diagnosis",
        attacks=True, control=control, n_attacks=100, seed=0,
    )  # fmt: skip
    found = report.attacks
    assert found["available"] and found["control"] and found["not_run"] == {}
    for name in ("singling_out", "linkability", "inference"):
        low, high = found[name]["ci"]
        assert 0 <= low <= found[name]["risk"] <= high <= 1
    # a verbatim copy of the original: inference from age, sex and city is easy
    assert found["inference"]["risk"] > 0.2
