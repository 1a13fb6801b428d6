"""Which format a file holds, judged by its extension and by its first bytes.

The extension says what the user meant and the content says what is there; when they
disagree about a binary format (a Parquet file named ``.csv``, text named ``.parquet``) the
file is refused with a message that says which is which, rather than read as the wrong thing.
"""

from __future__ import annotations

from pathlib import Path

from calmops.errors import DataFileError

__all__ = ["SUPPORTED_FORMATS", "detect_format"]

# extension -> format
EXTENSIONS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".arff": "arff",
    ".xlsx": "xlsx",
}
SUPPORTED_FORMATS: tuple[str, ...] = ("csv", "tsv", "parquet", "json", "jsonl", "arff", "xlsx")

_NAMES = {
    "csv": "delimited text (CSV)",
    "tsv": "tab-separated text",
    "parquet": "Parquet",
    "json": "JSON",
    "jsonl": "JSON lines",
    "arff": "ARFF",
    "xlsx": "Excel (xlsx)",
    "xls": "legacy Excel (xls)",
    "gzip": "gzip-compressed data",
    "binary": "binary data",
    "text": "text",
}
_TEXT_FORMATS = {"csv", "tsv", "json", "jsonl", "arff"}
_UNSUPPORTED_HINTS = {
    ".xls": "legacy Excel .xls is not supported: save it as .xlsx or .csv",
    ".gz": "compressed files are not read directly: decompress it first",
    ".zip": "compressed files are not read directly: extract it first",
    ".xml": "XML is not a supported table format: export it as CSV or Parquet",
}
_SNIFF_BYTES = 8192


def detect_format(path: str | Path) -> str:
    """Return the format of the table in ``path``: one of :data:`SUPPORTED_FORMATS`.

    Raises :class:`~calmops.errors.DataFileError` for a missing, empty, binary-garbage or
    unsupported file, and for a file whose extension contradicts its content.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "rows.data"
    >>> _ = p.write_text('{"a": 1}\\n{"a": 2}\\n')
    >>> detect_format(p)
    'jsonl'
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "no such file")
    if path.is_dir():
        raise DataFileError(path, "is a folder, not a file")
    head = _read_head(path)
    if not head.strip():
        raise DataFileError(path, "the file is empty")

    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED_HINTS:
        raise DataFileError(path, _UNSUPPORTED_HINTS[suffix])
    by_content = sniff_content(head)
    by_extension = EXTENSIONS.get(suffix)

    if by_extension is None:
        if suffix and by_content in {"text", "binary"}:
            raise DataFileError(
                path,
                f"unsupported file type '{suffix}' (supported: {', '.join(sorted(EXTENSIONS))})",
            )
        return _check_supported(path, "csv" if by_content == "text" else by_content)
    if by_extension in _TEXT_FORMATS:
        if by_content in _TEXT_FORMATS or by_content == "text":
            if by_extension == "json" and by_content == "jsonl":
                return "jsonl"
            return by_extension
        return _mismatch(path, suffix, by_content)
    if by_content != by_extension:
        return _mismatch(path, suffix, by_content)
    return by_extension


def sniff_content(head: bytes) -> str:
    """Guess a format from the first bytes of a file.

    Returns a supported format, ``"text"`` for plain delimited-looking text, or one of
    ``"xls"``, ``"gzip"``, ``"binary"`` for content CalmOps does not read.
    """
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if b"\x00" in head:
        return "binary"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # a multi-byte character cut at the end of the sniffed block is still text
        if error.start < len(head) - 4:
            return _latin1_or_binary(head)
        text = head[: error.start].decode("utf-8")
    return _sniff_text(text)


def _sniff_text(text: str) -> str:
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        lines = [line.strip() for line in stripped.splitlines() if line.strip()]
        if len(lines) > 1 and all(line.startswith("{") for line in lines[:-1]):
            return "jsonl"
        return "json"
    for line in stripped.splitlines():
        line = line.strip()
        if not line or line.startswith("%"):
            continue
        return "arff" if line.lower().startswith("@relation") else "text"
    return "text"


def _latin1_or_binary(head: bytes) -> str:
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return "binary" if controls > len(head) * 0.01 else _sniff_text(head.decode("latin-1"))


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_SNIFF_BYTES)
    except OSError as error:
        raise DataFileError(path, f"cannot be opened ({error.strerror})") from None


def _check_supported(path: Path, fmt: str) -> str:
    if fmt not in SUPPORTED_FORMATS:
        raise DataFileError(path, f"holds {_NAMES[fmt]}, which is not a table format CalmOps reads")
    return fmt


def _mismatch(path: Path, suffix: str, by_content: str) -> str:
    if by_content == "binary":
        raise DataFileError(
            path, f"is named '{suffix}' but holds binary data that is not a supported format"
        )
    expected = _NAMES[EXTENSIONS[suffix]]
    found = _NAMES.get(by_content, by_content)
    hint = ""
    wanted = "csv" if by_content == "text" else by_content
    for extension, fmt in EXTENSIONS.items():
        if fmt == wanted:
            hint = f"; rename it to '{path.stem}{extension}'"
            break
    raise DataFileError(path, f"is named '{suffix}' ({expected}) but holds {found}{hint}")
