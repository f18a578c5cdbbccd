"""Rate limits on guessing (join codes, logins), with Flask-Limiter, counting only failed attempts.

Phones at a venue share one public address (NAT), so no limit may ever refuse a join with a real
code. Guessing is limited two ways, both shared by the phone page and the JSON API:

- per address × code: one device retrying one wrong code is stopped for that code only;
- per address, unknown codes only: trying many different codes is stopped. Requests with a real
  code are exempt (`exempt_when`), so a venue's honest phones are never counted or refused.

Logins are limited per address and per account (the e-mail typed), so neither one address trying
many accounts nor many addresses trying one account get far. Limits live in process memory, or
in Redis when CONFAPP_MESSAGE_QUEUE points there, so several processes share them.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

# 31^6 ≈ 8.9e8 codes: 30 wrong codes a minute (200 an hour) per address finds nothing in a lifetime.
UNKNOWN_CODES_PER_ADDRESS = "30 per minute;200 per hour"
FAILED_JOINS_PER_ADDRESS_AND_CODE = "10 per minute"  # one phone retyping the same wrong code
FAILED_LOGINS = "10 per minute"  # per address
FAILED_LOGINS_PER_ACCOUNT = "5 per minute;30 per hour"  # per e-mail, from any address

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def failed(response: Response) -> bool:
    return response.status_code in (400, 401, 403, 404)


def unknown_code(response: Response) -> bool:
    return response.status_code == 404


def _attempted_code() -> str:
    """The join code this request tries, normalised as the lookup does ("" if none)."""
    if "confapp.join_code" not in request.environ:  # per request (g can outlive one in tests)
        from confapp.services.conferences import normalise_join_code

        code = (request.view_args or {}).get("code")
        if code is None and request.is_json:
            try:
                data = request.get_json(silent=True)
            except RecursionError:  # absurdly nested JSON: the view answers 400
                data = None
            code = data.get("code") if isinstance(data, dict) else None
        request.environ["confapp.join_code"] = normalise_join_code(code) if isinstance(code, str) else ""
    return str(request.environ["confapp.join_code"])


def _real_code() -> bool:
    """A request for a conference that exists: never limited, so a venue's phones always get in."""
    if "confapp.real_code" not in request.environ:
        from confapp.services.participants import code_exists

        code = _attempted_code()
        request.environ["confapp.real_code"] = bool(code) and code_exists(code)
    return bool(request.environ["confapp.real_code"])


def _address_and_code() -> str:
    return f"{get_remote_address()}|{_attempted_code()}"


def _login_account() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


join_limits = [
    limiter.shared_limit(
        UNKNOWN_CODES_PER_ADDRESS, scope="join-address", exempt_when=_real_code, deduct_when=unknown_code
    ),
    limiter.shared_limit(
        FAILED_JOINS_PER_ADDRESS_AND_CODE,
        scope="join-address-code",
        key_func=_address_and_code,
        exempt_when=_real_code,
        deduct_when=failed,
    ),
]

login_limits = [
    limiter.limit(FAILED_LOGINS, deduct_when=failed, methods=["POST"]),
    limiter.limit(
        FAILED_LOGINS_PER_ACCOUNT,
        key_func=_login_account,
        deduct_when=failed,
        methods=["POST"],
        scope="login-account",
    ),
]


def limited(limits: list[Any]) -> Any:
    """Apply several limits to one view (all of them count and all of them are checked)."""

    def decorator(view: Any) -> Any:
        for lim in reversed(limits):
            view = lim(view)
        return view

    return decorator


def retry_after() -> int:
    """Seconds until the breached limit lets this client try again (at least 1)."""
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))


def too_many_message(seconds: int) -> str:
    """When to try again, in words. At least 2 (seconds or minutes), so no singular form is needed."""
    if seconds < 120:
        return _("Too many failed attempts. Try again in %(seconds)d seconds.", seconds=max(2, seconds))
    return _("Too many failed attempts. Try again in %(minutes)d minutes.", minutes=(seconds + 59) // 60)


def too_many(exc: RateLimitExceeded) -> tuple[Response | str, int, dict[str, str]]:
    seconds = retry_after()
    text = too_many_message(seconds)
    headers = {"Retry-After": str(seconds)}
    if request.path.startswith("/api/"):
        return jsonify({"error": {"code": "too_many_requests", "message": text}}), 429, headers
    page = render_template("error.html", title=_("Please wait"), message=text, status=429)
    return page, 429, headers


def init_app(app: Flask) -> None:
    queue = app.config.get("MESSAGE_QUEUE") or ""
    app.config.setdefault("RATELIMIT_STORAGE_URI", queue if queue.startswith("redis://") else "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # The limiter is one object per process and otherwise keeps the last app's setting.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, too_many)
