"""create --kind block/ipip --block-column, run and report, as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calmops.data_generators import Blocks, generate_stream


def _write(folder: Path, generator: str, seed: int, **options) -> None:
    folder.mkdir(exist_ok=True)
    blocks = Blocks(4, column="site")
    data = generate_stream(generator, 1200, seed=seed, blocks=blocks, **options).data
    data["site"] = "s" + (data["site"] * 5).astype(str)  # s0, s5, s10, s15
    data.to_csv(folder / f"part_{seed}.csv", index=False)


def test_a_block_pipeline_from_the_command_line(cli, tmp_path: Path) -> None:
    _write(tmp_path / "in", "sea", 1)
    created = cli(
        "create", "sites", "--data-dir", str(tmp_path / "in"), "--target", "target",
        "--kind", "block", "--block-column", "site", "--json",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    assert json.loads(created.stdout)["kind"] == "block"
    assert cli("run", "sites", "--once").exit_code == 0
    shown = cli("report", "sites")
    assert shown.exit_code == 0, shown.output
    assert "blocks of 'site' (4, in natural order)" in shown.stdout
    order = [line.split()[0] for line in shown.stdout.splitlines() if line.strip()[:2] == "s1"]
    assert order == ["s10", "s15"]
    assert "evaluated on: last (s15)" in shown.stdout


@pytest.mark.slow
def test_an_ipip_pipeline_from_the_command_line(cli, tmp_path: Path) -> None:
    _write(tmp_path / "in", "hyperplane", 2, balance={0: 0.95, 1: 0.05})
    args = ("--data-dir", str(tmp_path / "in"), "--target", "target", "--kind", "ipip")
    missing = cli("create", "rare", *args)
    assert missing.exit_code == 1 and "data.block_column" in missing.output
    assert cli("create", "rare", *args, "--block-column", "site").exit_code == 0
    assert cli("run", "rare", "--once").exit_code == 0
    report = json.loads(cli("report", "rare", "--json").stdout)
    assert [b["action"] for b in report["ipip"]["blocks"]] == ["trained"] + ["updated"] * 3
    shown = cli("report", "rare").stdout
    assert "replaced" in shown and "ensembles" in shown
