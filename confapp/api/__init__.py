"""The JSON API under /api/v1: everything the facilitator can do, plus the phone's writes.

Each route is declared with `route(...)`, which registers the Flask view and its OpenAPI entry in
one place, so `/api/v1/openapi.json` cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from wtforms import ValidationError

from confapp import db
from confapp.api import openapi
from confapp.auth import uses_token
from confapp.db import MAX_ID
from confapp.errors import N_, ServiceError
from confapp.web import limits, request_limits
from confapp.web.responses import error_dict

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# These carry no ambient authority (no cookie is read), so no CSRF token is needed.
PUBLIC = {"api.join", "api.send_prep_point"}


def route(
    path: str,
    method: str,
    *,
    summary: str,
    auth: str,
    body: dict[str, Any] | None = None,
    response: dict[str, Any] | None = None,
    status: int = 200,
    content_type: str = "application/json",
    query: list[dict[str, Any]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        openapi.register(
            path,
            method,
            view.__name__,
            summary=summary,
            auth=auth,
            body=body,
            response=response,
            status=status,
            content_type=content_type,
            query=query,
        )
        flask_path = path.replace("{", "<").replace("}", ">")
        for name in (
            "conference_id",
            "round_id",
            "group_id",
            "participant_id",
            "cluster_id",
            "initiative_id",
            "measure_id",
            "link_id",
            "attachment_id",
            "organisation_id",
            "escalation_id",
        ):
            flask_path = flask_path.replace(f"<{name}>", f"<int(max={MAX_ID}):{name}>")
        bp.add_url_rule(flask_path, view.__name__, view, methods=[method])
        return view

    return decorator


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ServiceError("invalid", N_("The request body must be a JSON object."))
    return data


@bp.before_request
def _csrf_for_browser_sessions() -> None:
    """Browser calls ride on the login cookie and need the CSRF header; token calls cannot be forged."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if uses_token() or request.endpoint in PUBLIC:
        return  # authenticated by the header alone (confapp.auth.uses_token), so it cannot be forged
    if not current_user.is_authenticated:
        return  # no session to ride on: the view answers 401
    try:
        validate_csrf(request.headers.get("X-CSRFToken", ""))
    except ValidationError as exc:
        raise ServiceError("csrf", str(exc)) from None


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> tuple[Response, int]:
    db.session.rollback()
    return jsonify({"error": error_dict(exc)}), exc.status


@bp.errorhandler(RateLimitExceeded)
def _rate_limited(exc: RateLimitExceeded) -> Any:
    return limits.too_many(exc)  # translated, with when to try again


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(exc: RequestEntityTooLarge) -> Any:
    return request_limits.too_large(exc)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> tuple[Response, int]:
    code = exc.code or 500
    return jsonify({"error": {"code": exc.name.lower().replace(" ", "_"), "message": exc.description}}), code


@bp.get("/openapi.json")
def openapi_json() -> Response:
    return jsonify(openapi.document())


def init_app(app: Flask) -> None:
    from confapp.api import (  # noqa: F401 - they register routes
        bank_routes,
        board_routes,
        conference_routes,
        forum_routes,
        measure_routes,
        participant_routes,
        phase_routes,
        prep_routes,
    )

    app.register_blueprint(bp)

    @app.errorhandler(HTTPException)
    def _api_paths_answer_json(exc: HTTPException) -> Any:
        """Unmatched /api/ URLs (e.g. a negative id) get the API's JSON error, not an HTML page."""
        if request.path.startswith(bp.url_prefix or "/api/"):
            return _http_error(exc)
        return exc
