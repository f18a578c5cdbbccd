"""Preparing a conference: create it from a template, edit it and its agenda, import people."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from confapp import db, schemas
from confapp.errors import N_, Conflict, ServiceError
from confapp.live import events
from confapp.models import Conference, Facilitator, Level, Participant, Round, RoundKind, RoundState
from confapp.services import memberships, organisations, text
from confapp.services.agenda_templates import TEMPLATES, AgendaItem

# 31 symbols without look-alikes (0/O, 1/I/L): 6 of them ≈ 29.7 bits, typed from a projector.
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
TITLE_MAX = 200
PURPOSE_MAX = 4000
PREPARATION_MAX = 4000
QUESTION_MAX = 1000
MAX_AGENDA_ITEMS = 30
MAX_IMPORT_ROWS = 2000


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


@dataclass(frozen=True)
class AgendaInput:
    kind: str
    title: str
    question: str = ""
    minutes: int | None = None


MAX_MINUTES = 480  # the longest agenda item a countdown is kept for (a whole conference day)


def parse_agenda(items: Any) -> list[AgendaInput]:
    """Validate an agenda given as a list of dicts (API, form or template)."""
    if not isinstance(items, list):
        raise ServiceError("invalid", N_("The agenda must be a list of rounds."))
    if len(items) > MAX_AGENDA_ITEMS:
        raise ServiceError("too_long", N_("At most %(max)d agenda items."), max=MAX_AGENDA_ITEMS)
    out = []
    for n, item in enumerate(items, start=1):
        if isinstance(item, AgendaItem):
            item = item.__dict__
        if not isinstance(item, dict):
            raise ServiceError("invalid", N_("Agenda item %(n)d is not valid."), n=n)
        kind = item.get("kind")
        if kind not in (RoundKind.GROUP, RoundKind.PLENARY):
            raise ServiceError("invalid", N_("Agenda item %(n)d: kind must be group or plenary."), n=n)
        minutes = item.get("minutes")
        if minutes in ("", None):
            minutes = None
        else:
            try:
                minutes = int(minutes)
            except (TypeError, ValueError):
                raise ServiceError(
                    "invalid", N_("Agenda item %(n)d: minutes must be a whole number."), n=n
                ) from None
            if not 1 <= minutes <= MAX_MINUTES:
                raise ServiceError("invalid", N_("Agenda item %(n)d: minutes must be 1 to 480."), n=n)
        title = text.optional(item.get("title"), N_("Title"), TITLE_MAX)
        question = text.optional(item.get("question"), N_("Question"), QUESTION_MAX, single_line=False)
        if kind == RoundKind.GROUP and not question:
            raise ServiceError("empty", N_("Agenda item %(n)d: a group round needs a question."), n=n)
        if not title:
            title = f"Gruppearbeid {n}" if kind == RoundKind.GROUP else f"Plenum {n}"
        out.append(AgendaInput(kind, title, question, minutes))
    return out


def agenda_warnings(conf: Conference) -> list[ServiceError]:
    """What the method requires and this agenda lacks: shown (translated by the caller), never enforced."""
    warnings = []
    group_rounds = [r for r in conf.rounds if r.kind == RoundKind.GROUP]
    if len(group_rounds) < 2:
        warnings.append(
            ServiceError(
                "few_group_rounds",
                N_(
                    "The method requires at least two group rounds with different groups; "
                    "this agenda has %(n)d."
                ),
                n=len(group_rounds),
            )
        )
    return warnings


def create_conference(
    facilitator: Facilitator,
    *,
    title: Any,
    level: Any = None,
    template: Any = "blank",
    purpose: Any = None,
    held_on: date | str | None = None,
    agenda: Any = None,
) -> Conference:
    memberships.require(facilitator, "conference.create", organisations.default())
    if template not in TEMPLATES:
        raise ServiceError("invalid", N_("Unknown template."))
    tpl = TEMPLATES[template]
    level = level or tpl.level
    if level not in (Level.MUNICIPAL, Level.SCHOOL):
        raise ServiceError("invalid", N_("Level must be municipal or school."))
    clean_title = text.required(title, N_("Title"), TITLE_MAX)
    clean_purpose = text.optional(
        tpl.purpose if purpose is None else purpose, N_("Purpose"), PURPOSE_MAX, single_line=False
    )
    items = parse_agenda(tpl.agenda if agenda is None else agenda)
    day = _parse_date(held_on)
    with db.transaction() as s:
        conf = Conference(
            title=clean_title,
            level=level,
            template=template,
            purpose=clean_purpose,
            held_on=day,
            join_code=_unique_join_code(),
            projector_key=secrets.token_urlsafe(24),
            last_seq=0,
        )
        conf.facilitators.append(facilitator)
        for pos, item in enumerate(items, start=1):
            conf.rounds.append(
                Round(
                    position=pos,
                    kind=item.kind,
                    title=item.title,
                    question=item.question,
                    minutes=item.minutes,
                )
            )
        s.add(conf)
        s.flush()
        events.record(s, conf.id, conference_event(conf))  # the log starts with what the conference is
        # The facilitator's other open conference lists (another tab, the laptop in the hall) show it.
        events.tell_facilitators(s, [facilitator.id], events.ConferenceListChanged(conf.id, "created"))
    return conf


def remove_facilitator(by: Facilitator, conf: Conference, facilitator_id: Any) -> Facilitator:
    """One of the conference's facilitators takes another off it: their rights and their live stream end.

    The `access.ended` event goes into the conference's log in the same transaction, so every server
    process's relay closes that person's connections right after delivering it, and their conference lists
    reload. Removing oneself is refused, so a conference always keeps a facilitator to run it.
    """
    memberships.require(by, "conference.run", conf)
    gone = next(
        (f for f in conf.facilitators if isinstance(facilitator_id, int) and f.id == facilitator_id), None
    )
    if gone is None:
        raise ServiceError("not_facilitator", N_("That person is not a facilitator of this conference."))
    if gone.id == by.id:
        raise ServiceError("self", N_("You cannot remove yourself. Ask another facilitator to do it."))
    with db.transaction() as s:
        conf.facilitators.remove(gone)
        events.record(s, conf.id, events.AccessEnded(facilitator_id=gone.id))
        events.tell_facilitators(s, [gone.id], events.ConferenceListChanged(conf.id, "left"))
    return gone


def update_conference(conf: Conference, **fields: Any) -> Conference:
    """Edit title, level, purpose, preparation text, date and (while nothing has started) the agenda."""
    changes: dict[str, Any] = {}
    if "title" in fields:
        changes["title"] = text.required(fields["title"], N_("Title"), TITLE_MAX)
    if "purpose" in fields:
        changes["purpose"] = text.optional(fields["purpose"], N_("Purpose"), PURPOSE_MAX, single_line=False)
    if "preparation" in fields:  # the preparation page's text (confapp/services/preparation.py)
        changes["preparation"] = text.optional(
            fields["preparation"], N_("Preparation"), PREPARATION_MAX, single_line=False
        )
    if "level" in fields:
        if fields["level"] not in (Level.MUNICIPAL, Level.SCHOOL):
            raise ServiceError("invalid", N_("Level must be municipal or school."))
        changes["level"] = fields["level"]
    if "held_on" in fields:
        changes["held_on"] = _parse_date(fields["held_on"])
    if "joins_open" in fields:
        changes["joins_open"] = bool(fields["joins_open"])
    items = parse_agenda(fields["agenda"]) if fields.get("agenda") is not None else None
    if items is not None and any(r.state != RoundState.PENDING or r.groups for r in conf.rounds):
        raise Conflict(
            "started", N_("The agenda cannot be replaced after groups are planned or a round started.")
        )
    with db.transaction() as s:
        for key, value in changes.items():
            setattr(conf, key, value)
        if items is not None:
            for r in list(conf.rounds):
                s.delete(r)
            s.flush()
            conf.rounds = [
                Round(position=pos, kind=i.kind, title=i.title, question=i.question, minutes=i.minutes)
                for pos, i in enumerate(items, start=1)
            ]
        s.flush()
        events.record(s, conf.id, conference_event(conf))
    return conf


def update_round(conf: Conference, rnd: Round, **fields: Any) -> Round:
    """Edit one agenda item's title, question or minutes (any time: facilitators adjust on the day)."""
    with db.transaction() as s:
        if "title" in fields:
            rnd.title = text.required(fields["title"], N_("Title"), TITLE_MAX)
        if "question" in fields:
            rnd.question = text.optional(fields["question"], N_("Question"), QUESTION_MAX, single_line=False)
        if "minutes" in fields:
            parsed = parse_agenda([{"kind": "plenary", "title": "x", "minutes": fields["minutes"]}])[0]
            rnd.minutes = parsed.minutes
        if rnd.kind == RoundKind.GROUP and not rnd.question:
            raise ServiceError("empty", N_("A group round needs a question."))
        events.record(s, conf.id, conference_event(conf))
    return rnd


def conference_event(conf: Conference) -> events.ConferenceUpdated:
    return events.ConferenceUpdated(
        conference=schemas.conference(conf), rounds=[schemas.round_(r) for r in conf.rounds]
    )


@dataclass(frozen=True)
class ImportRow:
    name: str
    role: str
    unit: str
    grade_team: str


HEADER_ALIASES = {
    "name": "name", "navn": "name", "namn": "name",
    "role": "role", "rolle": "role", "yrke": "role", "profession": "role", "rolle/yrke": "role",
    "unit": "unit", "enhet": "unit", "eining": "unit", "skole": "unit", "school": "unit",
    "grade_team": "grade_team", "grade team": "grade_team", "trinn": "grade_team",
    "trinnteam": "grade_team", "team": "grade_team",
}  # fmt: skip


def parse_participants_csv(data: bytes) -> list[ImportRow]:
    """Read the whole file or fail with the first problem's line; nothing is imported half-way."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ServiceError(
            "csv", N_("Line %(line)d: the file is not UTF-8 text. Save it as CSV (UTF-8)."), line=line
        ) from None
    if "\x00" in content:
        line = content[: content.index("\x00")].count("\n") + 1
        raise ServiceError("csv", N_("Line %(line)d: the file contains a NUL character."), line=line)
    if not content.strip():
        raise ServiceError("csv", N_("The file is empty."))
    first = content.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    records = _csv_records(csv.reader(io.StringIO(content), delimiter=delimiter))
    header = [HEADER_ALIASES.get(h.strip().lower(), "") for h in next(records)]
    if "name" not in header:
        raise ServiceError("csv", N_("Line 1: the header needs a column 'name' (or 'navn')."))
    rows: list[ImportRow] = []
    for line_no, values in enumerate(records, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise ServiceError(
                "csv",
                N_("Line %(line)d: %(got)d values but the header has %(want)d columns."),
                line=line_no,
                got=len(values),
                want=len(header),
            )
        record = {key: values[i] if i < len(values) else "" for i, key in enumerate(header) if key}
        try:
            rows.append(
                ImportRow(
                    name=text.name(record.get("name", ""), N_("Name"), 80),
                    role=text.optional(record.get("role", ""), N_("Role"), 80),
                    unit=text.optional(record.get("unit", ""), N_("Unit"), 120),
                    grade_team=text.optional(record.get("grade_team", ""), N_("Grade team"), 80),
                )
            )
        except ServiceError as exc:
            raise ServiceError("csv", N_("Line %(line)d: %(problem)s"), line=line_no, problem=exc) from None
        if len(rows) > MAX_IMPORT_ROWS:
            raise ServiceError("csv", N_("At most %(max)d participants per file."), max=MAX_IMPORT_ROWS)
    if not rows:
        raise ServiceError("csv", N_("The file has a header but no participants."))
    return rows


def _csv_records(reader: Any) -> Iterator[list[str]]:
    """The reader's records; its errors (a field over the csv module's 131,072-character limit, a
    broken quote) become a message naming the line where reading stopped."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ServiceError(
                "csv",
                N_('Line %(line)d: a value is far too long, or a quote (") is not closed.'),
                line=reader.line_num,
            ) from None


def import_participants(conf: Conference, data: bytes) -> list[Participant]:
    rows = parse_participants_csv(data)
    with db.transaction() as s:
        people = [
            Participant(
                conference_id=conf.id,
                display_name=r.name,
                role=r.role,
                unit=r.unit,
                grade_team=r.grade_team,
                imported=True,
            )
            for r in rows
        ]
        s.add_all(people)
        s.flush()
        for p in people:
            events.record(s, conf.id, events.ParticipantJoined(participant=schemas.participant(p)))
    return people


def conferences_of(facilitator: Facilitator) -> list[Conference]:
    return list(
        db.session.scalars(
            select(Conference)
            .where(Conference.facilitators.contains(facilitator))
            .order_by(Conference.held_on.desc(), Conference.id.desc())
        )
    )


def _unique_join_code() -> str:
    for _ in range(20):
        code = new_join_code()
        if db.session.scalar(select(Conference.id).where(Conference.join_code == code)) is None:
            return code
    raise RuntimeError("could not find a free join code")


def _parse_date(value: date | str | None) -> date:
    if value is None or value == "":
        return date.today()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ServiceError("invalid", N_("Date must be YYYY-MM-DD.")) from None
