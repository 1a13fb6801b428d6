"""``read_table``: any supported data file into a pandas DataFrame with sensible dtypes."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from calmops.errors import DataFileError
from calmops.io.formats import detect_format

__all__ = ["read_table"]

_DELIMITERS = ",;\t|"
_DECIMAL_COMMA = r"[+-]?(\d+(,\d+)?|,\d+)"
_EDGE_BYTES = 65536  # read from each end of a CSV file before parsing it
_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$"
)


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a csv/tsv/txt, parquet, json, jsonl, arff or xlsx file into a DataFrame.

    The format comes from the extension and the content (see
    :func:`~calmops.io.formats.detect_format`); the CSV delimiter is sniffed; ISO-8601 date
    columns become datetimes; ARFF nominal values become strings.

    Raises
    ------
    DataFileError
        For a missing, empty, truncated, binary-garbage, wrongly named or unsupported file,
        or one with column names but no rows. The message names the file and the problem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "rows.json"
    >>> _ = p.write_text('[{"when": "2024-01-31", "n": 3}, {"when": "2024-02-29", "n": 4}]')
    >>> read_table(p).dtypes.astype(str).tolist()
    ['datetime64[us]', 'int64']
    """
    path = Path(path)
    fmt = detect_format(path)
    reader = _READERS[fmt]
    try:
        frame = reader(path)
    except DataFileError:
        raise
    except (ValueError, OSError, KeyError, IndexError, TypeError, UnicodeError) as error:
        raise DataFileError(path, f"cannot be read as {fmt}: {_first_line(error)}") from None
    if frame.shape[1] == 0:
        raise DataFileError(path, "has no columns")
    if len(frame) == 0:
        raise DataFileError(path, "has column names but no rows")
    frame.columns = [str(column) for column in frame.columns]
    _refuse_duplicate_columns(path, frame)
    return _parse_iso_dates(frame)


def _read_csv(path: Path, delimiter: str | None = None) -> pd.DataFrame:
    """Parsed straight from the file (no copy of its text in memory); only the first and
    last 64 KiB are read beforehand, to sniff the delimiter and spot a truncated last row."""
    head, encoding = _head(path)
    delimiter = delimiter or _sniff_delimiter(head)
    _refuse_truncated_last_line(path, head, delimiter)
    _refuse_duplicate_header(path, head, delimiter)
    try:
        try:
            frame = pd.read_csv(path, sep=delimiter, skipinitialspace=True, encoding=encoding)
        except UnicodeDecodeError:
            frame = pd.read_csv(path, sep=delimiter, skipinitialspace=True, encoding="latin-1")
    except pd.errors.EmptyDataError:
        raise DataFileError(path, "the file is empty") from None
    except pd.errors.ParserError as error:
        raise DataFileError(path, f"malformed delimited text: {_first_line(error)}") from None
    return _decimal_commas(frame) if delimiter == ";" else frame


def _decimal_commas(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns of decimal-comma numbers (``1,5``; ``-2``; ``,25``) become floats.

    Only for ``;``-delimited files, where a comma cannot be the delimiter. A column with any
    other value (thousands separators like ``1.234,5``, words) stays text.
    """
    for column in frame.columns:
        series = frame[column]
        if series.dtype != object and not pd.api.types.is_string_dtype(series.dtype):
            continue
        values = series.dropna()
        if values.empty or not all(isinstance(v, str) for v in values.head(100)):
            continue
        values = values.str.strip()
        if not values.head(100).str.fullmatch(_DECIMAL_COMMA).all():
            continue
        if values.str.fullmatch(_DECIMAL_COMMA).all() and values.str.contains(",").any():
            numbers = pd.to_numeric(values.str.replace(",", ".", regex=False))
            frame[column] = numbers.reindex(series.index)
    return frame


def _read_tsv(path: Path) -> pd.DataFrame:
    return _read_csv(path, delimiter="\t")


def _read_parquet(path: Path) -> pd.DataFrame:
    with path.open("rb") as handle:
        handle.seek(-4, 2)
        if handle.read(4) != b"PAR1":
            raise DataFileError(path, "truncated or corrupt Parquet file (no footer)")
    import pyarrow

    try:
        return pd.read_parquet(path)
    except pyarrow.ArrowException as error:
        raise DataFileError(path, f"corrupt Parquet file: {_first_line(error)}") from None


def _read_json(path: Path) -> pd.DataFrame:
    try:
        payload = json.loads(_read_text(path))
    except json.JSONDecodeError as error:
        raise DataFileError(
            path, f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    if isinstance(payload, list) and all(isinstance(row, dict) for row in payload):
        return pd.DataFrame.from_records(payload)
    if isinstance(payload, dict):
        if {"columns", "data"} <= payload.keys():
            return pd.DataFrame(payload["data"], columns=payload["columns"])
        if payload and all(isinstance(value, list | dict) for value in payload.values()):
            return pd.DataFrame(payload)
    raise DataFileError(
        path,
        "JSON must be a list of records ([{...}, ...]) or an object of columns "
        '({"col": [...], ...})',
    )


def _read_jsonl(path: Path) -> pd.DataFrame:
    rows = []
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataFileError(path, f"invalid JSON on line {number}: {error.msg}") from None
        if not isinstance(row, dict):
            raise DataFileError(path, f"line {number} is not a JSON object")
        rows.append(row)
    return pd.DataFrame.from_records(rows)


def _read_arff(path: Path) -> pd.DataFrame:
    from scipy.io import arff

    try:
        data, meta = arff.loadarff(io.StringIO(_read_text(path)))
    except (arff.ArffError, NotImplementedError, ValueError) as error:
        raise DataFileError(path, f"invalid ARFF: {_first_line(error)}") from None
    frame = pd.DataFrame(data)
    for name, kind in zip(meta.names(), meta.types(), strict=True):
        if kind == "nominal":
            values = frame[name].map(lambda v: v.decode("utf-8") if isinstance(v, bytes) else v)
            frame[name] = values.where(values != "?")
    return frame


def _read_xlsx(path: Path) -> pd.DataFrame:
    import zipfile

    try:
        return pd.read_excel(path, sheet_name=0, engine="openpyxl")
    except zipfile.BadZipFile:
        raise DataFileError(path, "truncated or corrupt xlsx file") from None


_READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "csv": _read_csv,
    "tsv": _read_tsv,
    "parquet": _read_parquet,
    "json": _read_json,
    "jsonl": _read_jsonl,
    "arff": _read_arff,
    "xlsx": _read_xlsx,
}


def _read_text(path: Path) -> str:
    return _decode(path.read_bytes())


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _head(path: Path) -> tuple[str, str]:
    """The first whole lines of the file (up to 64 KiB) and the encoding to read it with."""
    with path.open("rb") as handle:
        raw = handle.read(_EDGE_BYTES)
        more = bool(handle.read(1))
    if more:
        # cut at the last line end, so a multi-byte character is never split
        raw = raw[: raw.rfind(b"\n") + 1] or raw
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _tail(path: Path) -> str:
    """The last 64 KiB of the file as text (a split character at its start is replaced)."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - _EDGE_BYTES))
        return handle.read().decode("utf-8", errors="replace")


def _sniff_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines() if line.strip()][:50]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in _DELIMITERS}
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] else ","


def _refuse_truncated_last_line(path: Path, head: str, delimiter: str) -> None:
    """A file cut mid-row ends without a newline on a row shorter than its header."""
    tail = _tail(path)
    if tail.endswith(("\n", "\r")):
        return
    header_lines, tail_lines = head.splitlines(), tail.splitlines()
    if not header_lines or not tail_lines:
        return
    if len(tail_lines) < 2 and path.stat().st_size <= _EDGE_BYTES:
        return  # a single line: the header alone
    header, last = (
        next(csv.reader([line], delimiter=delimiter)) for line in (header_lines[0], tail_lines[-1])
    )
    if len(last) < len(header):
        raise DataFileError(
            path,
            f"the last line has {len(last)} of {len(header)} fields and no line end: "
            "the file looks truncated",
        )
    if len(header) > 1 and tail_lines[-1].rstrip(" ").endswith(delimiter):
        raise DataFileError(
            path,
            "the last line ends right after a delimiter, with no value and no line end: "
            "the file looks truncated",
        )


def _refuse_duplicate_header(path: Path, head: str, delimiter: str) -> None:
    """Names read from the header line itself (pandas would rename a repeat to ``x0.1``)."""
    first = next((line for line in head.splitlines() if line.strip()), "")
    names = [name.strip() for name in next(csv.reader([first], delimiter=delimiter), [])]
    seen: set[str] = set()
    for name in names:
        if name in seen and name:
            raise DataFileError(path, f"column '{name}' appears more than once in the header")
        seen.add(name)


def _refuse_duplicate_columns(path: Path, frame: pd.DataFrame) -> None:
    seen: set[str] = set()
    for column in frame.columns:
        if column in seen:
            raise DataFileError(path, f"column '{column}' appears more than once")
        seen.add(column)


def _parse_iso_dates(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        series = frame[column]
        if series.dtype != object and not pd.api.types.is_string_dtype(series.dtype):
            continue
        values = series.dropna()
        if values.empty or not all(
            isinstance(v, str) and _ISO_DATE.match(v) for v in values.head(100)
        ):
            continue
        try:
            frame[column] = pd.to_datetime(series, format="ISO8601")
        except (ValueError, TypeError, OverflowError):
            continue
    return frame


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
