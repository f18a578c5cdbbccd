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


class TryLater(ServiceError):
    """Nothing is wrong with the request, only its moment: the phone keeps it and sends it again."""

    status = 429
    retry = True


class Unavailable(TryLater):
    """The database cannot be reached or written just now (locked, read-only, full)."""

    status = 503
