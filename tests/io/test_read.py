"""read_table on real files of every format, and on every kind of bad file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calmops.errors import DataFileError
from calmops.io import read_table

EXPECTED = pd.DataFrame(
    {
        "age": [34, 51, 29, 42],
        "income": [1200.5, 3400.0, 980.25, 2100.75],
        "city": ["Madrid", "Murcia", "Madrid", "Lyon"],
        "label": [0, 1, 0, 1],
    }
)


def _assert_same(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == list(EXPECTED.columns)
    assert frame["age"].dtype.kind == "i"
    assert frame["income"].dtype.kind == "f"
    assert pd.api.types.is_string_dtype(frame["city"].dtype)
    pd.testing.assert_frame_equal(
        frame.astype({"city": object}), EXPECTED.astype({"city": object}), check_dtype=False
    )


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_with_any_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "data.csv"
    EXPECTED.to_csv(path, sep=delimiter, index=False)
    _assert_same(read_table(path))


def test_txt_and_tsv(tmp_path: Path) -> None:
    EXPECTED.to_csv(tmp_path / "data.txt", sep=";", index=False)
    EXPECTED.to_csv(tmp_path / "data.tsv", sep="\t", index=False)
    _assert_same(read_table(tmp_path / "data.txt"))
    _assert_same(read_table(tmp_path / "data.tsv"))


def test_parquet(tmp_path: Path) -> None:
    EXPECTED.to_parquet(tmp_path / "data.parquet")
    _assert_same(read_table(tmp_path / "data.parquet"))


def test_json_records_columns_and_split(tmp_path: Path) -> None:
    EXPECTED.to_json(tmp_path / "records.json", orient="records")
    EXPECTED.to_json(tmp_path / "columns.json", orient="columns")
    EXPECTED.to_json(tmp_path / "split.json", orient="split", index=False)
    for name in ("records.json", "columns.json", "split.json"):
        _assert_same(read_table(tmp_path / name).reset_index(drop=True))


def test_jsonl_by_extension_and_inside_a_json_file(tmp_path: Path) -> None:
    EXPECTED.to_json(tmp_path / "data.jsonl", orient="records", lines=True)
    EXPECTED.to_json(tmp_path / "lines.json", orient="records", lines=True)
    _assert_same(read_table(tmp_path / "data.jsonl"))
    _assert_same(read_table(tmp_path / "lines.json"))


def test_arff_numeric_and_nominal(tmp_path: Path) -> None:
    path = tmp_path / "data.arff"
    path.write_text(
        "% a comment\n@RELATION people\n@ATTRIBUTE age NUMERIC\n@ATTRIBUTE income NUMERIC\n"
        "@ATTRIBUTE city {Madrid,Murcia,Lyon}\n@ATTRIBUTE label {0,1}\n@DATA\n"
        "34,1200.5,Madrid,0\n51,3400.0,Murcia,1\n29,980.25,?,0\n42,2100.75,Lyon,1\n"
    )
    frame = read_table(path)
    assert frame["age"].tolist() == [34, 51, 29, 42]
    assert frame["city"].tolist()[:2] == ["Madrid", "Murcia"]
    assert pd.isna(frame["city"].iloc[2])
    assert frame["label"].tolist() == ["0", "1", "0", "1"]


def test_xlsx(tmp_path: Path) -> None:
    EXPECTED.to_excel(tmp_path / "data.xlsx", index=False)
    _assert_same(read_table(tmp_path / "data.xlsx"))


def test_iso_dates_become_datetimes_and_other_text_stays(tmp_path: Path) -> None:
    path = tmp_path / "dated.csv"
    path.write_text("when,code\n2024-01-31,A-1\n2024-02-29T10:30:00,B-2\n")
    frame = read_table(path)
    assert pd.api.types.is_datetime64_any_dtype(frame["when"])
    assert frame["when"].iloc[1] == pd.Timestamp("2024-02-29 10:30:00")
    assert frame["code"].tolist() == ["A-1", "B-2"]


def test_a_file_without_extension_is_read_by_content(tmp_path: Path) -> None:
    path = tmp_path / "export"
    EXPECTED.to_parquet(path)
    _assert_same(read_table(path))


def test_missing_values_in_csv_are_nan(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("a,b\n1,\n,2\n3,4\n")
    frame = read_table(path)
    assert frame["a"].isna().sum() == 1 and frame["b"].isna().sum() == 1


# ---- bad files: one error type, naming the file and the problem ------------------------------


def _error(path: Path) -> str:
    with pytest.raises(DataFileError) as caught:
        read_table(path)
    assert caught.value.path == str(path)
    assert str(caught.value).startswith(str(path))
    return caught.value.problem


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in _error(tmp_path / "nope.csv")


def test_folder(tmp_path: Path) -> None:
    assert "folder" in _error(tmp_path)


@pytest.mark.parametrize("name", ["empty.csv", "empty.parquet", "empty.json", "empty.xlsx"])
def test_empty_files(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    assert "empty" in _error(tmp_path / name)


def test_whitespace_only_is_empty(tmp_path: Path) -> None:
    (tmp_path / "blank.csv").write_text("\n\n   \n")
    assert "empty" in _error(tmp_path / "blank.csv")


def test_header_without_rows(tmp_path: Path) -> None:
    (tmp_path / "header.csv").write_text("a,b,c\n")
    assert "no rows" in _error(tmp_path / "header.csv")


def test_truncated_parquet(tmp_path: Path) -> None:
    full = tmp_path / "full.parquet"
    EXPECTED.to_parquet(full)
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(full.read_bytes()[: len(full.read_bytes()) // 2])
    assert "truncated" in _error(cut)


def test_truncated_xlsx(tmp_path: Path) -> None:
    full = tmp_path / "full.xlsx"
    EXPECTED.to_excel(full, index=False)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(full.read_bytes()[:200])
    assert "corrupt" in _error(cut)


def test_truncated_json(tmp_path: Path) -> None:
    text = json.dumps(EXPECTED.to_dict(orient="records"))
    (tmp_path / "cut.json").write_text(text[: len(text) // 2])
    assert "invalid JSON at line 1" in _error(tmp_path / "cut.json")


def test_truncated_csv_mid_row(tmp_path: Path) -> None:
    (tmp_path / "cut.csv").write_text("a,b,c\n1,2,3\n4,5")
    assert "truncated" in _error(tmp_path / "cut.csv")


@pytest.mark.parametrize("ending", ["4,5,", "4,5, "])
def test_truncated_csv_right_after_a_delimiter(tmp_path: Path, ending: str) -> None:
    (tmp_path / "cut.csv").write_text("a,b,c\n1,2,3\n" + ending)
    assert "ends right after a delimiter" in _error(tmp_path / "cut.csv")


def test_an_empty_last_value_with_a_line_end_is_a_missing_value(tmp_path: Path) -> None:
    (tmp_path / "ok.csv").write_text("a,b,c\n1,2,3\n4,5,\n")
    assert read_table(tmp_path / "ok.csv")["c"].isna().tolist() == [False, True]


@pytest.mark.parametrize(
    "header", ["x0,x1,x2,target,x0", "x0,x0,x2,target", "x0; x1;x0", "x0\tx1\tx0"]
)
def test_a_repeated_column_name_is_refused_from_the_header(tmp_path: Path, header) -> None:
    delimiter = ";" if ";" in header else ("\t" if "\t" in header else ",")
    row = delimiter.join(["1"] * len(header.split(delimiter)))
    path = tmp_path / ("dup.tsv" if delimiter == "\t" else "dup.csv")
    path.write_text(f"{header}\n{row}\n{row}\n")
    assert _error(path) == "column 'x0' appears more than once in the header"


def test_truncated_csv_inside_a_quote(tmp_path: Path) -> None:
    (tmp_path / "quote.csv").write_text('a,b\n1,"unfinished\n')
    assert "malformed" in _error(tmp_path / "quote.csv")


def test_binary_garbage(tmp_path: Path) -> None:
    garbage = np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes()
    (tmp_path / "garbage.csv").write_bytes(garbage)
    assert "binary" in _error(tmp_path / "garbage.csv")


def test_garbage_without_extension(tmp_path: Path) -> None:
    garbage = b"\x00\x01\x02" + np.random.default_rng(1).bytes(1000)
    (tmp_path / "blob").write_bytes(garbage)
    assert "not a table format" in _error(tmp_path / "blob")


def test_wrong_extension_parquet_named_csv(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    EXPECTED.to_parquet(path)
    problem = _error(path)
    assert "Parquet" in problem and "data.parquet" in problem


def test_wrong_extension_text_named_parquet(tmp_path: Path) -> None:
    path = tmp_path / "data.parquet"
    EXPECTED.to_csv(path, index=False)
    problem = _error(path)
    assert "text" in problem and "data.csv" in problem


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "unsupported file type '.png'"),
        ("notes.docx", b"hello", "unsupported file type '.docx'"),
        ("old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 50, "save it as .xlsx"),
        ("data.csv.gz", b"\x1f\x8b\x08" + b"\x00" * 50, "decompress"),
    ],
)
def test_unsupported_files(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    (tmp_path / name).write_bytes(content)
    assert expected in _error(tmp_path / name)


def test_json_that_is_not_a_table(tmp_path: Path) -> None:
    (tmp_path / "scalar.json").write_text("[1, 2, 3]")
    assert "list of records" in _error(tmp_path / "scalar.json")


def test_invalid_jsonl_line(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"a": 1}\n{"a": \n')
    assert "line 2" in _error(tmp_path / "bad.jsonl")


def test_invalid_arff(tmp_path: Path) -> None:
    (tmp_path / "bad.arff").write_text("@RELATION x\n@ATTRIBUTE a WEIRDTYPE\n@DATA\n1\n")
    assert "ARFF" in _error(tmp_path / "bad.arff")


# ---- decimal commas (``;``-delimited files) -------------------------------------------------


def test_decimal_commas_in_a_semicolon_file_are_numbers(tmp_path: Path) -> None:
    path = tmp_path / "eu.csv"
    path.write_bytes(
        b"price;amount;code;note;count\n"
        b"1,5;1.234,5;A1;ok;3\n"
        b"2,7;2.000,0;B2;2,5;4\n"
        b"-3;15,0;C3;x;5\n"
        b";,25;D4;;6\n"
    )
    frame = read_table(path)
    assert frame["price"].dtype == "float64"
    assert frame["price"].tolist()[:3] == [1.5, 2.7, -3.0] and np.isnan(frame["price"][3])
    # thousands separators and mixed text stay text
    assert frame["amount"].tolist() == ["1.234,5", "2.000,0", "15,0", ",25"]
    assert not pd.api.types.is_numeric_dtype(frame["note"])
    assert frame["count"].tolist() == [3, 4, 5, 6]


def test_a_semicolon_file_with_decimal_points_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "points.csv"
    path.write_text("a;b;c\n1.5;x;2\n2.25;y;3\n")
    frame = read_table(path)
    expected = pd.read_csv(path, sep=";")
    pd.testing.assert_frame_equal(frame, expected)
    assert frame["a"].tolist() == [1.5, 2.25]


def test_commas_in_a_comma_file_are_never_decimals(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text('a,b\n"1,5",2\n"2,5",3\n')
    assert read_table(path)["a"].tolist() == ["1,5", "2,5"]


def test_a_latin1_character_beyond_the_sniffed_head_is_read(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    rows = "".join(f"{i};bar {i % 7}\n" for i in range(20_000)) + "20000;caf\xe9\n"
    path.write_bytes(("n;place\n" + rows).encode("latin-1"))
    frame = read_table(path)
    assert len(frame) == 20_001 and frame["place"].iloc[-1] == "caf\xe9"
