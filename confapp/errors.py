"""One error type for everything a user can get wrong.

Services raise `ServiceError` with an English message marked by `N_` (extracted by Babel, translated
where it is shown). The caller shows the message and nothing has changed: services raise before they
commit.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    return message


class ServiceError(Exception):
    status = 400

    def __init__(self, code: str, message: str, **params: Any) -> None:
        shown = {k: ", ".join(v) if isinstance(v, list) else v for k, v in params.items()}
        super().__init__(message % shown if params else message)
        self.code = code
        self.message = message
        self.params = params


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class Unavailable(ServiceError):
    """Nothing was wrong with the request; the server could not do it now (try again)."""

    status = 503
