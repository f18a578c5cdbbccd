"""The coordinator's log and the trial team's evaluation of a measure.

The coordinator needs no account: the steering group hands them a personal link scoped to one
measure. Only the token's hash is stored; revoking the link makes it stop working at once, and the
entries written through it stay. A phone's retry with the same `client_uuid` never adds a second entry.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import select

from confapp import db
from confapp.errors import N_, NotFound, ServiceError
from confapp.models import CoordinatorLink, Measure, MeasureEvaluation, MeasureLogEntry, utcnow
from confapp.services import measures, text


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_link(m: Measure, holder: Any) -> tuple[CoordinatorLink, str]:
    """A new personal link for the measure's log; the token is returned once and never stored."""
    name = text.optional(holder, N_("Who gets the link"), 200) or m.coordinator
    token = secrets.token_urlsafe(24)
    with db.transaction() as s:
        link = CoordinatorLink(measure_id=m.id, token_hash=_hash(token), holder=name)
        s.add(link)
    return link, token


def links(m: Measure) -> list[CoordinatorLink]:
    query = select(CoordinatorLink).where(CoordinatorLink.measure_id == m.id).order_by(CoordinatorLink.id)
    return list(db.session.scalars(query))


def revoke_link(m: Measure, link_id: Any) -> CoordinatorLink:
    link = db.get(CoordinatorLink, link_id)
    if link is None or link.measure_id != m.id:
        raise NotFound("not_found", N_("No such link."))
    if link.revoked_at is None:
        with db.transaction():
            link.revoked_at = utcnow()
    return link


def by_token(token: str | None) -> tuple[CoordinatorLink, Measure]:
    """The live link and its measure; a revoked or unknown token finds nothing, with no hint which."""
    link = (
        db.session.scalar(select(CoordinatorLink).where(CoordinatorLink.token_hash == _hash(token)))
        if token
        else None
    )
    if link is None or link.revoked_at is not None:
        raise NotFound(
            "not_found", N_("This log link does not work (any more). Ask the steering group for a new one.")
        )
    return link, db.session.get(Measure, link.measure_id)  # type: ignore[return-value]


def add_entry(
    token: str | None, *, client_uuid: Any, happened_on: Any, done: Any, who: Any = "", learned: Any = ""
) -> MeasureLogEntry:
    """The coordinator logs what was done, who took part and what was learned, on a given day."""
    link, m = by_token(token)
    return write_entry(m, link.id, client_uuid=client_uuid, happened_on=happened_on, done=done, who=who,
                       learned=learned)  # fmt: skip


def write_entry(
    m: Measure,
    link_id: int | None,
    *,
    client_uuid: Any,
    happened_on: Any,
    done: Any,
    who: Any = "",
    learned: Any = "",
) -> MeasureLogEntry:
    """A log entry by a coordinator's link (`link_id`) or account (None; the caller checked the role)."""
    uuid = text.required(client_uuid, "client_uuid", 36)
    existing = db.session.scalar(
        select(MeasureLogEntry).where(MeasureLogEntry.measure_id == m.id, MeasureLogEntry.client_uuid == uuid)
    )
    if existing is not None:
        return existing
    entry = MeasureLogEntry(
        measure_id=m.id,
        link_id=link_id,
        client_uuid=uuid,
        happened_on=measures.parse_date(happened_on, N_("Date")),
        done=text.required(done, N_("What was done"), 4000, single_line=False),
        who=text.optional(who, N_("Who took part"), 2000, single_line=False),
        learned=text.optional(learned, N_("What was learned"), 4000, single_line=False),
    )
    with db.transaction() as s:
        s.add(entry)
        measures.announce(s, m)
    return entry


def entries(m: Measure) -> list[MeasureLogEntry]:
    query = select(MeasureLogEntry).where(MeasureLogEntry.measure_id == m.id)
    return list(db.session.scalars(query.order_by(MeasureLogEntry.happened_on, MeasureLogEntry.id)))


def evaluate(
    m: Measure,
    *,
    actor: str,
    held_on: Any,
    what_works: Any,
    what_to_adjust: Any,
    daily_operation: Any,
    trial_people: Any,
    others: Any = "",
) -> MeasureEvaluation:
    """The trial team answers the guide's three questions; at least one person who ran the trial takes
    part. Recording it moves a measure in trial to "evaluated" in the same transaction."""
    if m.status not in ("in_trial", "evaluated"):
        raise ServiceError("not_in_trial", N_("Only a measure in trial can be evaluated."))
    evaluation = MeasureEvaluation(
        measure_id=m.id,
        held_on=measures.parse_date(held_on, N_("Date")),
        what_works=text.required(what_works, N_("What works"), 4000, single_line=False),
        what_to_adjust=text.required(what_to_adjust, N_("What should be adjusted"), 4000, single_line=False),
        daily_operation=text.required(
            daily_operation, N_("Should it become daily practice?"), 4000, single_line=False
        ),
        trial_people=text.required(
            trial_people, N_("Who ran the trial (at least one)"), 2000, single_line=False
        ),
        others=text.optional(others, N_("Others taking part"), 2000, single_line=False),
        actor=actor,
    )
    with db.transaction() as s:
        s.add(evaluation)
        if m.status == "in_trial":
            measures.record_step(s, m, "evaluated", actor=actor, reason="", details={"evaluation": True})
        measures.announce(s, m)
    return evaluation


def evaluations(m: Measure) -> list[MeasureEvaluation]:
    query = select(MeasureEvaluation).where(MeasureEvaluation.measure_id == m.id)
    return list(db.session.scalars(query.order_by(MeasureEvaluation.id)))
