"""Who is calling: a facilitator (login session or `Bearer cfa_…` token), a participant's phone
(cookie or `Bearer` participant token) or the projector (its unguessable key in the URL)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, g, request
from flask_login import LoginManager, current_user

from confapp.models import Conference, Facilitator, Participant
from confapp.services import facilitators, participants

login_manager = LoginManager()
login_manager.login_view = "facilitator.login"
login_manager.login_message = None  # the login page explains itself


def participant_cookie(conf: Conference) -> str:
    return f"confapp_p{conf.id}"


@login_manager.user_loader
def _load_user(user_id: str) -> Facilitator | None:
    return facilitators.by_session_id(user_id)  # `<id>:<session token>`; a revoked token finds nobody


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def uses_token() -> bool:
    """Any `Authorization` header means: authenticate by that header alone, never by a cookie.

    A request with a bogus header must not fall back to the login cookie, or the header would
    switch off the CSRF check (which token requests skip) while the cookie still authenticates.
    """
    return "Authorization" in request.headers


def api_facilitator() -> Facilitator | None:
    """The facilitator behind this request: by the token if one is sent (then by it alone), else by login."""
    if uses_token():
        g.confapp_token_auth = True
        token = bearer_token()
        return facilitators.by_api_token(token) if token and token.startswith("cfa_") else None
    if current_user.is_authenticated:
        return current_user._get_current_object()  # type: ignore[attr-defined, no-any-return]
    return None


def api_participant(conf: Conference | None = None) -> Participant | None:
    if uses_token():
        g.confapp_token_auth = True
        token = bearer_token()
        p = participants.by_token(token) if token and not token.startswith("cfa_") else None
    elif conf is not None:
        p = participants.by_token(request.cookies.get(participant_cookie(conf)))
    else:
        p = None
    if p is not None and conf is not None and p.conference_id != conf.id:
        return None
    return p


def facilitator_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        f = api_facilitator()
        if f is None:
            abort(401)
        g.facilitator = f
        return view(*args, **kwargs)

    return wrapped


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
