"""A pipeline's logs: ``logs/pipeline.log`` for people, ``logs/events.jsonl`` for machines.

Both rotate by size (``MAX_BYTES``, keeping ``BACKUPS`` older files: ``pipeline.log.1``,
``events.jsonl.1``...), so a pipeline that runs for months keeps at most
``(BACKUPS + 1) * MAX_BYTES`` of each. Neither ever raises: a line that cannot be written
(a full disk) is lost, the run's outcome being in the store.
"""

from __future__ import annotations

import json
import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from calmops.store import utcnow

__all__ = ["PipelineLog"]

MAX_BYTES = 10 * 1024 * 1024
BACKUPS = 5
TEXT_FORMAT = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S%z")


class PipelineLog:
    """Writes a line to the text log and a JSON object to the event log.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> log = PipelineLog(folder, "doc")
    >>> log.event("info", "run", "run 1: no_drift", run_id="1")
    >>> log.close()
    >>> json.loads((folder / "events.jsonl").read_text())["kind"]
    'run'
    """

    def __init__(self, folder: Path, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.events_path = folder / "events.jsonl"
        self.logger = _rotating(f"calmops.pipeline.{name}", folder / "pipeline.log", TEXT_FORMAT)
        self.logger.setLevel(logging.INFO)
        self.events = _rotating(
            f"calmops.events.{name}", self.events_path, logging.Formatter("%(message)s")
        )
        self.events.setLevel(logging.DEBUG)

    def event(self, level: str, kind: str, message: str, **data: Any) -> None:
        self.logger.log(getattr(logging, level.upper()), message)
        line = {"at": utcnow().isoformat(), "level": level, "kind": kind, "message": message}
        self.events.log(logging.INFO, json.dumps(line | data, default=str))

    def close(self) -> None:
        for logger in (self.logger, self.events):
            for handler in list(logger.handlers):
                handler.close()
                logger.removeHandler(handler)


def _rotating(name: str, path: Path, formatter: logging.Formatter) -> logging.Logger:
    """The logger ``name`` writing to ``path`` only, rotated at ``MAX_BYTES``."""
    logger = logging.getLogger(name)
    logger.propagate = False
    target = str(path)
    if not any(getattr(h, "baseFilename", None) == target for h in logger.handlers):
        for old in list(logger.handlers):
            logger.removeHandler(old)
            old.close()
        handler = _LogFile(target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        handler.setFormatter(formatter)
        logger.addHandler(handler)
    return logger


class _LogFile(RotatingFileHandler):
    """A rotating log file that stays quiet when a line cannot be written (a full disk): the
    run's outcome is in the store, and a logging traceback on the terminal would hide the
    one-line error the user needs."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        return None
