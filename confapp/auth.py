"""Who is calling: a facilitator (login session or `Bearer cfa_…` token), a participant's phone
(cookie or `Bearer` participant token) or the projector (its unguessable key in the URL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app, g, request, session
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from confapp import oidc
from confapp.models import Conference, Facilitator, Participant
from confapp.services import facilitators, login_sessions, participants

REMEMBER_COOKIE = "confapp_remember"  # `<login id>.<validator>`; Flask-Login's own cookie is not used
OLD_REMEMBER_COOKIE = "remember_token"  # Flask-Login's, from before per-login sessions: removed on sight

login_manager = LoginManager()
login_manager.login_view = "facilitator.login"
login_manager.login_message = None  # the login page explains itself


def participant_cookie(conf: Conference) -> str:
    return f"confapp_p{conf.id}"


@login_manager.user_loader
def _load_user(user_id: str) -> Facilitator | None:
    """`user_id` is the login's random id; an ended login (or an old-style id) finds nobody."""
    f = login_sessions.load(user_id, idle=_idle())
    if f is not None:
        f.login_session_id = user_id
    return f


def _idle() -> timedelta:
    """A login unused for as long as a remember cookie lasts is over."""
    return timedelta(seconds=int(current_app.config["REMEMBER_COOKIE_DURATION"]))


def _adopt(login: login_sessions.Login) -> None:
    login.facilitator.login_session_id = login.session_id
    login_user(login.facilitator)
    if login.remember_token:
        g.confapp_set_remember = login.remember_token


def log_in(f: Facilitator, *, remember: bool = True) -> None:
    """Start a new login for this browser: its own session row, and a remember-me cookie."""
    user_agent = request.headers.get("User-Agent")
    _adopt(login_sessions.start(f, user_agent=user_agent, remember=remember, idle=_idle()))


def log_out(everywhere: bool = False) -> None:
    """End this browser's login (or every login of the account) and drop its cookies."""
    me = current_session_id()
    if me and everywhere:
        login_sessions.end_all(current_user)  # type: ignore[arg-type]
    elif me:
        login_sessions.end(me)
    logout_user()
    g.confapp_clear_remember = True


def current_session_id() -> str | None:
    """The id of the login this request came with (not for token requests)."""
    if current_user.is_authenticated and not getattr(g, "confapp_token_auth", False):
        return current_user.get_id()  # type: ignore[no-any-return]
    return None


def _resume_from_cookie() -> None:
    """No live session but a remember-me cookie: log in again with it, and rotate it."""
    token = request.cookies.get(REMEMBER_COOKIE)
    if not token or "Authorization" in request.headers or current_user.is_authenticated:
        return
    login = login_sessions.resume(token, idle=_idle())
    if login is None:
        g.confapp_clear_remember = True
        return
    _adopt(login)
    session["_fresh"] = False


def _write_cookies(response: Response) -> Response:
    cfg = current_app.config
    if OLD_REMEMBER_COOKIE in request.cookies:
        response.delete_cookie(OLD_REMEMBER_COOKIE, path=cfg.get("REMEMBER_COOKIE_PATH", "/"))
    token = g.pop("confapp_set_remember", None)
    if token:
        response.set_cookie(
            REMEMBER_COOKIE,
            token,
            max_age=int(cfg["REMEMBER_COOKIE_DURATION"]),
            path=cfg.get("REMEMBER_COOKIE_PATH", "/"),
            secure=bool(cfg.get("REMEMBER_COOKIE_SECURE")),
            httponly=True,
            samesite=cfg.get("REMEMBER_COOKIE_SAMESITE", "Lax"),
        )
    elif g.pop("confapp_clear_remember", False) and REMEMBER_COOKIE in request.cookies:
        response.delete_cookie(REMEMBER_COOKIE, path=cfg.get("REMEMBER_COOKIE_PATH", "/"))
    return response


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
    app.before_request(_resume_from_cookie)
    app.after_request(_write_cookies)
    oidc.init_app(app)
    app.context_processor(lambda: {"oidc_login": oidc.configured()})
