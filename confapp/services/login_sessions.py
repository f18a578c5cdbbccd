"""Facilitator logins, one row each: logout ends one, "log out everywhere" and a new password end all.

The browser's signed session cookie holds a random login id; the remember-me cookie holds that id and
a validator. Only SHA-256 hashes of both are stored. The validator rotates each time the cookie logs a
browser in again, so a copied cookie works at most once: whichever side then comes with the old
validator is refused, and the login is ended for both (the rightful user notices and logs in again).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from confapp import db
from confapp.models import Facilitator, LoginSession, utcnow

# A browser that restores its login sends several requests at once (page, socket, reopened tabs):
# the validator that was just replaced is still accepted this long, without rotating again.
ROTATION_GRACE = timedelta(seconds=20)
# `last_seen_at` is written at most this often, so reading a page does not write to the database.
SEEN_RESOLUTION = timedelta(minutes=5)
# A login unused this long is over (the remember cookie's own lifetime, 14 days by default; the
# caller passes `CONFAPP_REMEMBER_COOKIE_DURATION`), and its row is deleted at the next login.
DEFAULT_IDLE = timedelta(days=14)


@dataclass(frozen=True)
class Login:
    """A started or resumed login: the facilitator, the id for the session, and a new remember token."""

    facilitator: Facilitator
    session_id: str
    remember_token: str | None


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def summarise_user_agent(user_agent: str | None) -> str:
    """ "Firefox on Windows": enough to recognise one's own devices in the list, nothing more."""
    ua = user_agent or ""
    browser = next(
        (name for key, name in (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
                                ("Safari/", "Safari")) if key in ua),
        "",
    )  # fmt: skip
    system = next(
        (name for key, name in (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
                                ("Windows", "Windows"), ("Mac OS", "macOS"), ("CrOS", "ChromeOS"),
                                ("Linux", "Linux")) if key in ua),
        "",
    )  # fmt: skip
    if browser and system:
        return f"{browser} / {system}"
    return (browser or system or ua)[:120]


def start(
    f: Facilitator, *, user_agent: str | None = None, remember: bool = True, idle: timedelta = DEFAULT_IDLE
) -> Login:
    """A new login for this browser (after a password, a reset link or an OpenID login)."""
    sid = secrets.token_urlsafe(32)
    validator = secrets.token_urlsafe(32) if remember else None
    with db.transaction() as s:
        s.execute(delete(LoginSession).where(LoginSession.last_seen_at < utcnow() - idle))
        s.add(
            LoginSession(
                id_hash=_hash(sid),
                facilitator_id=f.id,
                remember_hash=_hash(validator) if validator else None,
                user_agent=summarise_user_agent(user_agent),
            )
        )
    return Login(f, sid, f"{sid}.{validator}" if validator else None)


def _row(sid: str) -> LoginSession | None:
    if not sid or not isinstance(sid, str):
        return None
    return db.session.scalar(select(LoginSession).where(LoginSession.id_hash == _hash(sid)))


def load(sid: str, *, idle: timedelta = DEFAULT_IDLE) -> Facilitator | None:
    """The facilitator of a live login, or None once it has been ended, left unused too long, or never was."""
    row = _row(sid)
    now = utcnow()
    if row is None or now - row.last_seen_at > idle:
        return None
    if now - row.last_seen_at >= SEEN_RESOLUTION:
        with db.transaction():
            row.last_seen_at = now
    return row.facilitator


def resume(
    remember_token: str | None, *, now: datetime | None = None, idle: timedelta = DEFAULT_IDLE
) -> Login | None:
    """Log a browser in again by its remember-me cookie, handing it a new validator.

    An old validator (outside the short grace after a rotation) means the cookie was copied and used:
    the login is ended, so neither copy works any more.
    """
    sid, _sep, validator = (remember_token or "").partition(".")
    row = _row(sid)
    now = now or utcnow()
    if row is None or not validator or row.remember_hash is None or now - row.last_seen_at > idle:
        return None
    given = _hash(validator)
    if hmac.compare_digest(given, row.remember_hash):
        fresh = secrets.token_urlsafe(32)
        with db.transaction():
            row.previous_remember_hash = row.remember_hash
            row.remember_hash = _hash(fresh)
            row.rotated_at = now
            row.last_seen_at = now
        return Login(row.facilitator, sid, f"{sid}.{fresh}")
    in_grace = row.rotated_at is not None and now - row.rotated_at < ROTATION_GRACE
    if in_grace and row.previous_remember_hash and hmac.compare_digest(given, row.previous_remember_hash):
        return Login(row.facilitator, sid, None)  # the cookie set by the rotation is on its way
    with db.transaction() as s:
        s.delete(row)
    return None


def end(sid: str) -> None:
    """Logout: this login only; the account's other browsers stay logged in."""
    row = _row(sid)
    if row is not None:
        with db.transaction() as s:
            s.delete(row)


def end_all_in(s: Session, f: Facilitator, *, keep: str | None = None) -> int:
    """Inside the caller's transaction (a password change is one write with this)."""
    query = delete(LoginSession).where(LoginSession.facilitator_id == f.id)
    if keep:
        query = query.where(LoginSession.id_hash != _hash(keep))
    return s.execute(query).rowcount or 0  # type: ignore[attr-defined]


def end_all(f: Facilitator, *, keep: str | None = None) -> int:
    """Every login of the account but `keep` (this browser); returns how many ended."""
    with db.transaction() as s:
        return end_all_in(s, f, keep=keep)


def of(f: Facilitator) -> list[LoginSession]:
    """The account's live logins, most recently used first (the account page lists them)."""
    return list(
        db.session.scalars(
            select(LoginSession)
            .where(LoginSession.facilitator_id == f.id)
            .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
        )
    )


def is_current(row: LoginSession, sid: str) -> bool:
    return hmac.compare_digest(row.id_hash, _hash(sid))
