"""Mail through a real SMTP server (aiosmtpd in this process): plain, and with STARTTLS and a login."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from smtp_box import smtp_server

from confapp import mail


def test_no_smtp_host_sends_nothing(app: Flask) -> None:
    assert not mail.configured()
    assert mail.send(to="kari@example.no", subject="x", body="y") is None


def test_a_mail_arrives_with_its_headers_and_norwegian_text(app: Flask) -> None:
    with smtp_server() as (box, config):
        app.config.update(config)
        mail.send(to="kari@example.no", subject="Tilbakestill passordet", body="Åpne lenken: æøå")
        (msg,) = box.wait(1)
    assert msg["To"] == "kari@example.no" and msg["From"] == "konferanse@example.no"
    assert msg["Subject"] == "Tilbakestill passordet"
    assert msg["Message-ID"].endswith("@example.no>")
    assert msg.get_content().strip() == "Åpne lenken: æøå"


def test_starttls_and_login(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server requires STARTTLS before AUTH; the certificate is checked (trusted via SSL_CERT_FILE)."""
    with smtp_server(tmp_path) as (box, config):
        monkeypatch.setenv("SSL_CERT_FILE", config["SMTP_CERT"])
        app.config.update(config)
        smtp = mail.settings()
        assert smtp is not None
        mail.deliver(smtp, mail.build(smtp, to="a@example.no", subject="s", body="b"))
        assert box.wait(1)[0]["To"] == "a@example.no"


def test_an_untrusted_certificate_is_refused(app: Flask, tmp_path: Path) -> None:
    with smtp_server(tmp_path) as (box, config):
        app.config.update(config)
        with pytest.raises(OSError, match="CERTIFICATE_VERIFY_FAILED"):
            mail.deliver(
                mail.settings(), mail.build(mail.settings(), to="a@example.no", subject="s", body="b")
            )
        assert box.messages == []


def test_sending_does_not_wait_for_a_slow_server(app: Flask) -> None:
    """The server holds the message until the test lets it go; `send` has long returned by then."""
    with smtp_server() as (box, config):
        app.config.update(config)
        box.gate.clear()
        handle = mail.send(to="kari@example.no", subject="s", body="b")
        assert handle is not None
        assert box.holding.wait(30), "the server got the message and is holding it"
        assert box.messages == []  # send() returned while delivery is still under way
        box.gate.set()
        box.wait(1)
        handle.join(30)


def test_a_failed_send_is_retried_in_the_background(app: Flask) -> None:
    """The server refuses twice (451); the third attempt is delivered, with nobody waiting for it."""
    with smtp_server() as (box, config):
        app.config.update(config, SMTP_RETRY_DELAY=0.05)
        box.refuse = 2
        handle = mail.send(to="kari@example.no", subject="Invitasjon", body="Lenken")
        assert handle is not None
        (msg,) = box.wait(1)
        handle.join(30)
    assert box.refused == 2 and msg["Subject"] == "Invitasjon"


def test_retries_end_after_the_configured_number(app: Flask) -> None:
    with smtp_server() as (box, config):
        app.config.update(config, SMTP_RETRY_DELAY=0.01, SMTP_RETRIES=2)
        box.refuse = 10
        handle = mail.send(to="kari@example.no", subject="s", body="b")
        assert handle is not None
        handle.join(30)
        assert box.refused == 3 and box.messages == []  # one try and two retries, then it gives up
