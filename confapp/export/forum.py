"""Gathering the strategy forum's agenda and minutes: `services.forum` as `exports.forum_data`, then built.

A request is the same one-line dict as the other exports (`confapp.export.build`):
    {"what": "forum", "organisation_id": 1, "lang": "nb"}
Who may read the forum is checked by the caller (the page) before the request is made.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from confapp import db
from confapp.export.measures import today
from confapp.models import Escalation, Organisation
from confapp.services import forum
from exports.forum import build_forum
from exports.forum_data import EscalationItem, ForumReport, Postponement


def item(e: Escalation) -> EscalationItem:
    return EscalationItem(
        school=forum.school_name(e),
        text=e.text,
        raised_on=e.raised_at.date(),
        raised_by=e.raised_by,
        measure=forum.measure_title(e),
        postponements=[
            Postponement(date.fromisoformat(p["at"][:10]), p["by"], p["reason"])
            for p in e.postponements or []
        ],
        decision=e.decision,
        follow_up=e.follow_up,
        follow_up_due=e.follow_up_due,
        decided_on=e.decided_at.date() if e.decided_at else None,
        decided_by=e.decided_by,
    )


def gather(org: Organisation, *, as_of: date | None = None) -> ForumReport:
    return ForumReport(
        organisation=org.name,
        as_of=as_of or today(),
        agenda=[item(e) for e in forum.agenda(org)],
        minutes=[item(e) for e in forum.minutes(org)],
    )


def build_forum_document(request: dict[str, Any]) -> bytes:
    org = db.session.get(Organisation, request["organisation_id"])
    if org is None:
        raise LookupError(f"no organisation {request['organisation_id']}")
    return build_forum(gather(org), request.get("lang", "nb"))
