"""Limits on what a request may carry: its size (413) and how deeply its JSON nests (400).

`MAX_CONTENT_LENGTH` (`CONFAPP_MAX_CONTENT_LENGTH`, bytes) caps every body, so a 100 MB JSON or a
50 MB CSV is refused before it is read into memory. JSON nested so deeply that the parser runs out
of recursion would otherwise surface as a 500; it is a 400 like any other malformed body.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

DEFAULT_MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # a participant CSV of 1,000 rows is about 60 kB


def too_large_message() -> str:
    limit_mb = max(1, round((request.max_content_length or DEFAULT_MAX_CONTENT_LENGTH) / (1024 * 1024)))
    return _("What you sent is too large: at most %(mb)d MB.", mb=limit_mb)


class ConfappRequest(Request):
    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            if silent:
                return None
            raise BadRequest(_("The request body is nested too deeply.")) from None


def too_large(exc: RequestEntityTooLarge) -> Any:
    text = too_large_message()
    if request.path.startswith("/api/"):
        return {"error": {"code": "too_large", "message": text}}, 413
    return render_template("error.html", title=_("Too large"), message=text, status=413), 413


def init_app(app: Flask) -> None:
    app.request_class = ConfappRequest
    app.register_error_handler(RequestEntityTooLarge, too_large)
