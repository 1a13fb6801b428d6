"""Real receivers on loopback for notification tests: an HTTP server that checks webhook
signatures and can fail the first requests, and a small SMTP server that records messages."""

from __future__ import annotations

import base64
import json
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from calmops.notify import verify_signature

SECRET = "loopback-secret"


@dataclass
class Hook:
    """What the webhook receiver saw; ``fail_first`` requests get ``fail_status``."""

    url: str
    fail_first: int = 0
    fail_status: int = 503
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def delivered(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["answered"] == 200]


def _handler(hook: Hook):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            signed = verify_signature(
                SECRET,
                self.headers.get("X-CalmOps-Timestamp"),
                body,
                self.headers.get("X-CalmOps-Signature"),
            )
            failing = len(hook.requests) < hook.fail_first
            status = hook.fail_status if failing else (200 if signed else 401)
            hook.requests.append(
                {
                    "json": json.loads(body),
                    "signed": signed,
                    "answered": status,
                    "headers": dict(self.headers),
                }  # fmt: skip
            )
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            return None

    return Handler


@pytest.fixture
def hook() -> Iterator[Hook]:
    """A webhook receiver on 127.0.0.1 (signature checked with ``SECRET``)."""
    box = Hook("")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(box))
    box.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield box
    server.shutdown()
    server.server_close()


@dataclass
class Mailbox:
    """What the SMTP receiver saw: envelopes, message texts and logins."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[dict[str, Any]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)


def _smtp_handler(box: Mailbox):
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self) -> None:
            self.reply("220 loopback ESMTP")
            sender, recipients = None, []
            while raw := self.rfile.readline():
                line = raw.decode().rstrip("\r\n")
                verb = line.split(" ", 1)[0].upper()
                if verb == "EHLO":
                    self.reply("250-loopback")
                    self.reply("250 AUTH PLAIN")
                elif verb == "HELO" or verb == "RSET" or verb == "NOOP":
                    self.reply("250 ok")
                elif verb == "AUTH":
                    _, user, password = base64.b64decode(line.split()[2]).split(b"\0")
                    box.logins.append((user.decode(), password.decode()))
                    self.reply("235 accepted")
                elif verb == "MAIL":
                    sender = line.split(":", 1)[1].strip().split()[0].strip("<>")
                    self.reply("250 ok")
                elif verb == "RCPT":
                    recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                    self.reply("250 ok")
                elif verb == "DATA":
                    self.reply("354 go on")
                    lines = []
                    while (part := self.rfile.readline()) not in (b".\r\n", b""):
                        lines.append(part.decode())
                    box.messages.append({"from": sender, "to": recipients, "data": "".join(lines)})
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("502 not implemented")

    return Handler


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """An SMTP receiver on 127.0.0.1 (no TLS; AUTH PLAIN accepted and recorded)."""
    box = Mailbox()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _smtp_handler(box))
    server.daemon_threads = True
    box.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield box
    server.shutdown()
    server.server_close()
