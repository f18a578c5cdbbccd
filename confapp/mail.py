"""Outgoing e-mail through the operator's SMTP server (`CONFAPP_SMTP_*`), sent in the background.

The standard library writes the protocol (`smtplib`, `email`); this module only maps settings onto it.
`send` returns at once: under gevent the delivery runs in a greenlet (smtplib's socket is patched, so a
slow mail server only holds that greenlet), elsewhere in a daemon thread. Without `CONFAPP_SMTP_HOST`
nothing is sent, and callers show the link to copy instead.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

from flask import current_app

log = logging.getLogger(__name__)


class Joinable(Protocol):
    def join(self, timeout: float | None = None) -> Any: ...


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    sender: str
    starttls: bool
    timeout: float
    retries: int = 3  # a failed send is tried again this many times, in the background
    retry_delay: float = 10.0  # seconds before the first retry; doubled before each next one


def settings(config: Any = None) -> SmtpSettings | None:
    """The SMTP settings, or None when no mail server is configured."""
    cfg = config if config is not None else current_app.config
    host = cfg.get("SMTP_HOST")
    if not host:
        return None
    user = str(cfg["SMTP_USER"]) if cfg.get("SMTP_USER") else None
    sender = str(cfg.get("SMTP_FROM") or user or f"confapp@{host}")
    return SmtpSettings(
        host=str(host),
        port=int(cfg.get("SMTP_PORT") or 587),
        user=user,
        password=str(cfg["SMTP_PASSWORD"]) if cfg.get("SMTP_PASSWORD") is not None else None,
        sender=sender,
        starttls=str(cfg.get("SMTP_STARTTLS", True)).lower() not in ("0", "false", "no", "off"),
        timeout=float(cfg.get("SMTP_TIMEOUT") or 30),
        retries=int(cfg.get("SMTP_RETRIES", 3)),
        retry_delay=float(cfg.get("SMTP_RETRY_DELAY", 10)),
    )


def configured() -> bool:
    return settings() is not None


def build(smtp: SmtpSettings, *, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = smtp.sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2] or None)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(body)
    return msg


def deliver(smtp: SmtpSettings, msg: EmailMessage) -> None:
    """Blocking: connect, STARTTLS (certificate checked against the system's CAs), log in, send."""
    with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as conn:
        if smtp.starttls:
            conn.starttls(context=ssl.create_default_context())
        if smtp.user:
            conn.login(smtp.user, smtp.password or "")
        conn.send_message(msg)


def _deliver_logged(smtp: SmtpSettings, msg: EmailMessage) -> None:
    """Deliver, retrying a few times with growing pauses: a mail server restarting or greylisting
    (a 4xx answer) should not lose an invitation. The UI has shown the link to copy all along."""
    delay = smtp.retry_delay
    for attempt in range(smtp.retries + 1):
        try:
            deliver(smtp, msg)
        except (OSError, smtplib.SMTPException):
            # The recipient's address is personal data: the log names only the server and the error.
            if attempt == smtp.retries:
                log.exception("mail to the SMTP server %s:%s failed; giving up", smtp.host, smtp.port)
                return
            log.warning("mail to the SMTP server %s:%s failed; trying again in %.0f s",
                        smtp.host, smtp.port, delay, exc_info=True)  # fmt: skip
            time.sleep(delay)  # under gevent a patched sleep: only this greenlet waits
            delay *= 2
        else:
            log.info("mail handed to %s:%s", smtp.host, smtp.port)
            return


def _in_background(fn: Any, *args: Any) -> Joinable:
    try:
        from gevent import monkey

        patched = monkey.is_module_patched("socket")
    except ImportError:  # pragma: no cover - gevent is a dependency
        patched = False
    if patched:
        import gevent

        return gevent.spawn(fn, *args)
    thread = threading.Thread(target=fn, args=args, name="confapp-mail", daemon=True)
    thread.start()
    return thread


def send(*, to: str, subject: str, body: str) -> Joinable | None:
    """Hand a plain-text mail to the SMTP server in the background; None when SMTP is not configured."""
    smtp = settings()
    if smtp is None:
        return None
    return _in_background(_deliver_logged, smtp, build(smtp, to=to, subject=subject, body=body))
