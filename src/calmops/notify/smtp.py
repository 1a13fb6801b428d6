"""Email over SMTP: a plain-text message, STARTTLS when asked, login from the environment."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from calmops.errors import NotificationError
from calmops.notify.config import EmailSpec, secret_from_env
from calmops.notify.message import Message
from calmops.notify.webhook import Delivery

__all__ = ["build_email", "send_email"]


def build_email(spec: EmailSpec, message: Message) -> EmailMessage:
    """The email of ``message``: subject, plain-text body, sender and recipients.

    >>> spec = EmailSpec.model_validate({"host": "localhost", "from": "a@b.c", "to": ["d@e.f"]})
    >>> build_email(spec, Message("sea", "r1", (), test=True))["Subject"]
    '[CalmOps] test notification'
    """
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = spec.sender
    email["To"] = ", ".join(spec.to)
    email["Date"] = formatdate(localtime=False, usegmt=True)
    email["Message-ID"] = make_msgid(domain=spec.sender.rsplit("@", 1)[-1])
    email.set_content(message.text + "\n")
    return email


def send_email(spec: EmailSpec, message: Message) -> Delivery:
    """Send ``message`` to ``spec.to``; raises NotificationError saying why it was not sent."""
    user = secret_from_env(spec.user_env, "the SMTP user")
    password = secret_from_env(spec.password_env, "the SMTP password")
    email = build_email(spec, message)
    where = f"{spec.host}:{spec.port}"
    try:
        with smtplib.SMTP(spec.host, spec.port, timeout=spec.timeout_seconds) as smtp:
            if spec.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if user is not None:
                smtp.login(user, password or "")
            refused = smtp.send_message(email)
    except smtplib.SMTPAuthenticationError as error:
        raise NotificationError(
            f"email via {where} not sent: login refused ({_reply(error)})"
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise NotificationError(
            f"email via {where} not sent: the server does not offer STARTTLS "
            "(set starttls: false only for a server on a trusted network)"
        ) from None
    except smtplib.SMTPResponseException as error:
        raise NotificationError(f"email via {where} not sent: {_reply(error)}") from None
    except (smtplib.SMTPException, OSError) as error:
        raise NotificationError(f"email via {where} not sent: {error}") from None
    if refused:
        raise NotificationError(f"email via {where}: refused for {', '.join(refused)}")
    return Delivery(f"email {where}", 1, 250)


def _reply(error: smtplib.SMTPResponseException) -> str:
    text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else ""
    return f"{error.smtp_code} {text}".strip()
