"""Sections put their titles, columns, badges and legends in words; tables name the columns a
phone keeps (issue 18)."""

from __future__ import annotations

import copy

from calmops.web.sections import badge, figure, kpi, table


def test_titles_columns_notes_and_badges_in_words() -> None:
    section = table(
        "t", "latest balanced_accuracy", ["file", "rmse"], [["a_b.csv", 1234]], "no_drift runs"
    )
    assert section["title"] == "latest balanced accuracy"
    assert section["columns"] == ["file", "RMSE"]
    assert section["rows"] == [["a_b.csv", "1,234"]]  # cells stay as given, numbers separated
    assert section["note"] == "no drift runs"
    assert badge("no_drift") == {"badge": "no drift", "tone": "ok"}
    assert badge("half_open")["badge"] == "half-open"
    assert kpi("latest f1_macro", 0.5)["label"] == "latest F1 (macro)"


def test_a_table_names_the_columns_a_phone_keeps() -> None:
    columns = ["started", "file", "why", "balanced_accuracy"]
    section = table("t", "Runs", columns, [], phone=["started", "balanced_accuracy"])
    assert section["narrow"] == [True, False, False, True]
    assert "narrow" not in table("t", "Runs", columns, [])


def test_figures_spell_legends_and_axes_without_touching_the_data() -> None:
    fig = {
        "data": [{"type": "scatter", "name": "balanced_accuracy", "x": ["x_1"], "y": [1]}],
        "layout": {"xaxis": {"title": {"text": "run"}}, "yaxis": {"title": {"text": "rmse"}}},
    }
    before = copy.deepcopy(fig)
    shown = figure("f", "roc_auc per block", fig)
    assert shown["title"] == "ROC AUC per block"
    assert shown["figure"]["data"][0]["name"] == "balanced accuracy"
    assert shown["figure"]["data"][0]["x"] == ["x_1"]  # categories (features) unchanged
    assert shown["figure"]["layout"]["yaxis"]["title"]["text"] == "RMSE"
    assert fig == before  # the view's own dict is not changed
    choices = figure("c", "Show", choices={"x_1": fig})["choices"]
    assert list(choices) == ["x_1"] and choices["x_1"]["data"][0]["name"] == "balanced accuracy"
    assert figure("e", "empty", None)["figure"] is None
