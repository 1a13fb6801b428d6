"""The loopback receivers (``tests/receivers.py``) for every notification test."""

from __future__ import annotations

from tests.receivers import hook, mailbox  # noqa: F401 - fixtures
