"""Turning a ServiceError into what a user reads, in their language (HTML, JSON and socket acks)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from confapp.errors import ServiceError


def message(exc: ServiceError) -> str:
    """The message in the request's language; a field name or a nested error is translated too."""
    params = {
        k: message(v)
        if isinstance(v, ServiceError)
        else gettext(v)
        if isinstance(v, str) and k == "field"
        else v
        for k, v in exc.params.items()
    }
    translated = gettext(exc.message)
    return translated % params if params else translated


def error_dict(exc: ServiceError) -> dict[str, Any]:
    out: dict[str, Any] = {"code": exc.code, "message": message(exc)}
    if getattr(exc, "retry", False):
        out["retry"] = True  # the phone keeps the write in its outbox and sends it again later
    return out
