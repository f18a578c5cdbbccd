"""Turning a ServiceError into what a user reads, in their language (HTML, JSON and socket acks)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from confapp.errors import ServiceError


def message(exc: ServiceError) -> str:
    """The message in the request's language; field names (one, or a list) and nested errors too."""
    params = {k: _param(k, v) for k, v in exc.params.items()}
    translated = gettext(exc.message)
    return translated % params if params else translated


def _param(key: str, value: Any) -> Any:
    if isinstance(value, ServiceError):
        return message(value)
    if isinstance(value, str) and key == "field":
        return gettext(value)
    if isinstance(value, list | tuple):  # labels marked with N_, never raw names: ", ".join of translations
        return ", ".join(gettext(v) if isinstance(v, str) else str(v) for v in value)
    return value


def error_dict(exc: ServiceError) -> dict[str, Any]:
    out: dict[str, Any] = {"code": exc.code, "message": message(exc)}
    if getattr(exc, "retry", False):
        out["retry"] = True  # the phone keeps the write in its outbox and sends it again later
    return out
