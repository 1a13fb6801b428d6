"""A pipeline's logs: ``logs/pipeline.log`` for people, ``logs/events.jsonl`` for machines."""

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


class PipelineLog:
    """Writes a line to the text log and a JSON object to the event log."""

    def __init__(self, folder: Path, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.events_path = folder / "events.jsonl"
        self.logger = logging.getLogger(f"calmops.pipeline.{name}")
        self.logger.setLevel(logging.INFO)
        self.logger.propagate = False
        target = str(folder / "pipeline.log")
        if not any(getattr(h, "baseFilename", None) == target for h in self.logger.handlers):
            for old in list(self.logger.handlers):
                self.logger.removeHandler(old)
                old.close()
            handler = _LogFile(target, maxBytes=MAX_BYTES, backupCount=BACKUPS)
            handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S%z")
            )
            self.logger.addHandler(handler)

    def event(self, level: str, kind: str, message: str, **data: Any) -> None:
        self.logger.log(getattr(logging, level.upper()), message)
        line = {"at": utcnow().isoformat(), "level": level, "kind": kind, "message": message}
        try:
            with self.events_path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(line | data, default=str) + "\n")
        except OSError:  # a full disk: the run's outcome is in the store, the line is lost
            pass

    def close(self) -> None:
        for handler in list(self.logger.handlers):
            handler.close()
            self.logger.removeHandler(handler)


class _LogFile(RotatingFileHandler):
    """The rotating text log, which stays quiet when a line cannot be written (a full
    disk): the run's outcome is in the store, and a logging traceback on the terminal
    would hide the one-line error the user needs."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        return None
