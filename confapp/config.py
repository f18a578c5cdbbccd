"""Configuration: defaults here, overrides from `CONFAPP_*` environment variables.

`CONFAPP_DATABASE_URL`, `CONFAPP_SECRET_KEY`, `CONFAPP_MESSAGE_QUEUE` … are read with Flask's
`from_prefixed_env`, so every setting has one name in code and one in the environment.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # None: a SQLite file in the instance folder
    "MESSAGE_QUEUE": None,  # e.g. redis://127.0.0.1:6379/0 for several server processes
    # The Redis pub/sub channel; one per installation, so two sites (or test runs) sharing a Redis do
    # not hear each other's events.
    "MESSAGE_QUEUE_CHANNEL": "confapp",
    "SECRET_KEY": None,
    "ENV_NAME": "development",  # "production" refuses to start without a real SECRET_KEY
    "BABEL_DEFAULT_LOCALE": "nb",
    "LANGUAGES": ["nb", "nn", "en"],
    "BULLET_MAX_CHARS": 280,
    "POINTS_PER_MINUTE": 30,  # new points one phone may post a minute (services/bullets.py)
    "NOTE_MAX_CHARS": 4000,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,  # seconds; Flask-Login's default is a year
    "WTF_CSRF_TIME_LIMIT": None,  # a conference morning outlasts the default hour
    "JSON_AS_ASCII": False,
    "EXPORT_TIMEOUT": 120,  # seconds a Word export may take in the export process before it is killed
    # More missed events than this: a snapshot instead of a replay (socket `sync` and GET /events alike).
    "EVENT_REPLAY_LIMIT": 2000,
    "PUBLIC_URL": None,  # the address phones open (confapp/web/public_url.py); None: the LAN address
    "TRUSTED_PROXIES": 0,  # how many proxies in front may set X-Forwarded-* (confapp/web/proxies.py)
    # How long the projector shows each page of a report, seating or vote too long for one screen:
    # seating for 300 is four pages at 1080p, so the hall sees every table within a minute.
    "PROJECTOR_PAGE_SECONDS": 15,
    # WebSocket transport (confapp/live/wsserver.py): Nagle off on accepted sockets; permessage-deflate
    # without context takeover, frames below WS_DEFLATE_MIN_BYTES sent uncompressed.
    "WS_NODELAY": True,
    "WS_DEFLATE_TUNED": True,
    "WS_DEFLATE_MIN_BYTES": 1024,
    # Garbage collection while serving (confapp/ops/gc_policy.py): the freeze policy, and gc thresholds
    # ([gen0, gen1, gen2]; None keeps Python's).
    "GC_POLICY": True,
    "GC_THRESHOLDS": None,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,  # bytes per request body; more is a 413 (request_limits.py)
    # Outgoing mail (confapp/mail.py): none without a host; then the UI shows links to copy instead.
    "SMTP_HOST": None,
    "SMTP_PORT": 587,
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_FROM": None,  # the sender address; defaults to SMTP_USER
    "SMTP_STARTTLS": True,  # upgrade the connection with STARTTLS and check the server's certificate
    "SMTP_TIMEOUT": 30,  # seconds for each step with the mail server
    # Feide / OpenID Connect login (confapp/oidc.py): offered only when issuer and client id are set.
    "OIDC_ISSUER": None,
    "OIDC_CLIENT_ID": None,
    "OIDC_CLIENT_SECRET": None,
}


def default_database_url(instance_path: str) -> str:
    return f"sqlite:///{Path(instance_path) / 'confapp.sqlite'}"


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_prefixed_env("CONFAPP")
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = default_database_url(app.instance_path)
    if not app.config["SECRET_KEY"]:
        if app.config["ENV_NAME"] == "production":
            raise RuntimeError("CONFAPP_SECRET_KEY must be set in production (a long random string).")
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if app.config["ENV_NAME"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True


def _instance_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so logins survive a restart in development."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
