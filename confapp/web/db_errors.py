"""A database that cannot be used right now (locked, read-only, full, gone) is a 503, not a crash.

SQLAlchemy raises `OperationalError` for all of these. Every request and socket event that meets
one gets a translated "try again shortly" answer and the server logs one line; phones keep the
write in their outbox and send it again (the ack carries `retry`).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError

from confapp import db
from confapp.errors import N_, Unavailable

log = logging.getLogger("confapp.db")
RETRY_AFTER_S = 5
MESSAGE = N_("The database is busy or unavailable just now. Nothing was lost; try again in a moment.")


def unavailable(exc: OperationalError) -> Unavailable:
    """Log the cause once and turn it into the error a user sees."""
    log.error("database unavailable: %s", exc.orig if exc.orig is not None else exc)
    try:
        db.session.rollback()
    except OperationalError:
        db.session.remove()
    return Unavailable("db_unavailable", MESSAGE)


def _handler(exc: OperationalError) -> Any:
    unavailable(exc)
    text = _(MESSAGE)
    headers = {"Retry-After": str(RETRY_AFTER_S)}
    if request.path.startswith("/api/"):
        body = {"error": {"code": "db_unavailable", "message": text, "retry": True}}
        return jsonify(body), 503, headers
    page = render_template("error.html", title=_("Please wait"), message=text, status=503)
    return page, 503, headers


def init_app(app: Flask) -> None:
    app.register_error_handler(OperationalError, _handler)
