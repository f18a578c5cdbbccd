"""Rate limits on guessing: join codes and logins. Flask-Limiter, counting only failed attempts.

Phones at a venue often share one public address (NAT), so successful joins are never limited; a
wrong code or password counts. Limits live in process memory, or in Redis when CONFAPP_MESSAGE_QUEUE
points there, so several processes share them.
"""

from __future__ import annotations

from flask import Flask, Response
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

FAILED_JOINS = "20 per minute"  # 31^6 ≈ 8.9e8 codes: 20 guesses a minute per address finds nothing
FAILED_LOGINS = "10 per minute"

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def failed(response: Response) -> bool:
    return response.status_code in (400, 401, 403, 404)


def init_app(app: Flask) -> None:
    queue = app.config.get("MESSAGE_QUEUE") or ""
    app.config.setdefault("RATELIMIT_STORAGE_URI", queue if queue.startswith("redis://") else "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # The limiter is one object per process and otherwise keeps the last app's setting.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
