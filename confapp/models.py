"""The tables. Writes go through `confapp.services`; these classes only hold data and read helpers."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from confapp.services import names


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, always hands back aware datetimes (SQLite forgets the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


class Level(enum.StrEnum):
    MUNICIPAL = "municipal"
    SCHOOL = "school"


class RoundKind(enum.StrEnum):
    GROUP = "group"
    PLENARY = "plenary"


class RoundState(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    DONE = "done"


class ConferenceStatus(enum.StrEnum):
    DRAFT = "draft"
    RUNNING = "running"
    FINISHED = "finished"


conference_facilitators = Table(
    "conference_facilitators",
    Base.metadata,
    Column("conference_id", ForeignKey("conferences.id", ondelete="CASCADE"), primary_key=True),
    Column("facilitator_id", ForeignKey("facilitators.id", ondelete="CASCADE"), primary_key=True),
)


class Facilitator(Base):
    __tablename__ = "facilitators"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conferences: Mapped[list[Conference]] = relationship(
        secondary=conference_facilitators, back_populates="facilitators"
    )

    # Flask-Login protocol
    is_active = True
    is_authenticated = True
    is_anonymous = False

    # The raw id of the login (a `LoginSession` row) this request is authenticated by, set by
    # confapp/auth.py; Flask-Login keeps it in the session cookie, so ending the row ends the login.
    login_session_id = ""

    def get_id(self) -> str:
        return self.login_session_id


class Conference(Base):
    __tablename__ = "conferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20), default=Level.SCHOOL)
    template: Mapped[str] = mapped_column(String(40), default="blank")
    purpose: Mapped[str] = mapped_column(Text, default="")
    held_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ConferenceStatus.DRAFT)
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    projector_key: Mapped[str] = mapped_column(String(64), unique=True)
    joins_open: Mapped[bool] = mapped_column(Boolean, default=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    active_round_id: Mapped[int | None] = mapped_column(
        ForeignKey("rounds.id", use_alter=True, name="fk_conf_active_round", ondelete="SET NULL")
    )
    focus_group_number: Mapped[int | None] = mapped_column(Integer)
    minute_taker_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", use_alter=True, name="fk_conf_minute_taker", ondelete="SET NULL")
    )
    # The school or municipality holding the conference (migration 0010); None in databases from
    # before, where `confapp.export.measures.organisation_of` finds it through its measures.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    # What participants read before the day (the join link opens it while the conference is a draft):
    # empty means no preparation page (migration 0012).
    preparation: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    facilitators: Mapped[list[Facilitator]] = relationship(
        secondary=conference_facilitators, back_populates="conferences"
    )
    rounds: Mapped[list[Round]] = relationship(
        back_populates="conference",
        order_by="Round.position",
        foreign_keys="Round.conference_id",
        cascade="all, delete-orphan",
    )
    participants: Mapped[list[Participant]] = relationship(
        back_populates="conference",
        order_by="Participant.id",
        foreign_keys="Participant.conference_id",
        cascade="all, delete-orphan",
    )


class Round(Base):
    """One agenda item: a group round or a plenary."""

    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("conference_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1-based
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200), default="")
    question: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default=RoundState.PENDING)
    strategy: Mapped[str] = mapped_column(String(40), default="mixed")
    groups_published: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    conference: Mapped[Conference] = relationship(back_populates="rounds", foreign_keys=[conference_id])
    groups: Mapped[list[Group]] = relationship(
        back_populates="round", order_by="Group.number", cascade="all, delete-orphan"
    )
    # An evaluation round (DK2/DK3): the measures its tables evaluate, in table order.
    measures: Mapped[list[RoundMeasure]] = relationship(
        order_by="RoundMeasure.position", cascade="all, delete-orphan"
    )

    def reports_on(self) -> Round | None:
        """The group round a plenary reports on: the last group round before it on the agenda.

        The one copy of this rule: services use it, and every screen reads its answer (`reports_on` in
        `schemas.round_`) instead of working it out in JavaScript. None for a group round.
        """
        if self.kind != RoundKind.PLENARY:
            return None
        rounds = self.conference.rounds
        earlier = [r for r in rounds if r.kind == RoundKind.GROUP and r.position < self.position]
        return earlier[-1] if earlier else None


class Participant(Base):
    """A person at the conference: a display name and a role, nothing more (no account)."""

    __tablename__ = "participants"
    # One indexed question per join: is this look-alike key taken in this conference? (issue 16)
    __table_args__ = (Index("ix_participants_conference_id_name_key", "conference_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    display_name: Mapped[str] = mapped_column(String(80))
    # `names.skeleton(display_name)`, set by `_key_name` whenever the name is set, never on its own.
    # 240: a name has at most 80 characters and the skeleton turns one into at most three (U+0CCB).
    # The server default exists only so SQLite can add the column without rebuilding the table
    # (migration 0015); "" is no name's key, and every row written through the model has a real one.
    name_key: Mapped[str] = mapped_column(String(240), server_default="")
    role: Mapped[str] = mapped_column(String(80), default="")
    unit: Mapped[str] = mapped_column(String(120), default="")
    grade_team: Mapped[str] = mapped_column(String(80), default="")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    imported: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)

    conference: Mapped[Conference] = relationship(back_populates="participants", foreign_keys=[conference_id])

    @property
    def present(self) -> bool:
        return self.joined_at is not None and not self.removed

    @validates("display_name")
    def _key_name(self, _key: str, value: str) -> str:
        """Whoever sets a name (joining, importing, anonymising) sets its look-alike key with it, so the
        key can neither go stale nor outlive the name it was made from."""
        self.name_key = names.skeleton(value)
        return value


class Group(Base):
    """A table in one group round."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("round_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # table number, 1-based
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    # In an evaluation round (DK2/DK3) the table evaluates one measure; its points are linked to it
    # through this column (confapp/services/evaluation.py).
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiatives.id", ondelete="SET NULL"), index=True
    )

    round: Mapped[Round] = relationship(back_populates="groups")
    measure: Mapped[Initiative | None] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Membership.id"
    )


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("round_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    pinned: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )  # kept on re-planning

    group: Mapped[Group] = relationship(back_populates="memberships")
    participant: Mapped[Participant] = relationship()


class Bullet(Base):
    """A reporter's point. `client_uuid` makes a phone's retry land on the same row.

    A point sent from the preparation page before the conference has no round, table or author
    (`round_id` None: "before the conference", confapp/services/preparation.py).
    """

    __tablename__ = "bullets"
    __table_args__ = (UniqueConstraint("conference_id", "client_uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    client_uuid: Mapped[str] = mapped_column(String(36))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    is_plenary_point: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)  # deleted by its reporter
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlenaryNote(Base):
    __tablename__ = "plenary_notes"
    __table_args__ = (UniqueConstraint("conference_id", "client_uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    group_number: Mapped[int | None] = mapped_column(Integer)
    client_uuid: Mapped[str] = mapped_column(String(36))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PrepAttachment(Base):
    """Preparation material on a conference's preparation page: a short text, a link, or a measure.

    A measure attachment shows that measure's plan (title, goal, content, level, status), never the
    names in it: the page is read by anyone with the join link.
    """

    __tablename__ = "prep_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventRecord(Base):
    """The per-conference event log: `seq` strictly increases within a conference."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("conference_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(60))
    audience: Mapped[str] = mapped_column(String(40))  # str(confapp.live.audiences.Audience)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdempotencyKey(Base):
    """A phone write's key: the first write with it stores its result, every retry gets that result.

    Used by `confapp.services.idempotency` for writes that make no row of their own to carry the key
    (join, vote retract, appointing the reporter). The UNIQUE constraint, not a check before the
    insert, is what makes two concurrent deliveries one write.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("conference_id", "key", name="uq_idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(40), default="")  # "p:<id>", "" before a join made one
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Cluster(Base):
    """A pile on the clustering board: bullets the facilitator judges to be about the same thing."""

    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list[ClusterItem]] = relationship(
        back_populates="cluster",
        order_by="(ClusterItem.position, ClusterItem.bullet_id)",
        cascade="all, delete-orphan",
    )


class ClusterItem(Base):
    """A bullet's place on the board; a bullet without a row is unclustered."""

    __tablename__ = "cluster_items"

    bullet_id: Mapped[int] = mapped_column(ForeignKey("bullets.id", ondelete="CASCADE"), primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    cluster: Mapped[Cluster] = relationship(back_populates="items")


class VoteSession(Base):
    """A dot vote on the clusters: each phone gets `dots` dots; the final tally is kept on close."""

    __tablename__ = "vote_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    dots: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default="open")  # "open" | "closed"
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    final_tally: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # {cluster_id: {"title", "dots"}}


class Dot(Base):
    __tablename__ = "dots"
    __table_args__ = (UniqueConstraint("vote_id", "client_uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("vote_sessions.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), index=True)
    client_uuid: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


initiative_sources = Table(
    "initiative_sources",
    Base.metadata,
    Column("initiative_id", ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    Column("bullet_id", ForeignKey("bullets.id", ondelete="CASCADE"), primary_key=True),
)


class Initiative(Base):
    """A draft development measure: the guide's six-field plan, traceable to its bullets."""

    __tablename__ = "initiatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Where it was drafted; a measure outlives its conference (migration 0011 made it nullable).
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conferences.id", ondelete="SET NULL"), index=True
    )
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    goal: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text, default="")
    coordinator: Mapped[str] = mapped_column(String(200), default="")
    coordinator_is_grade_team_leader: Mapped[bool] = mapped_column(Boolean, default=False)
    main_arena: Mapped[str] = mapped_column(String(20), default="")
    main_arena_other: Mapped[str] = mapped_column(String(200), default="")
    participants: Mapped[str] = mapped_column(Text, default="")
    timeframe: Mapped[str] = mapped_column(Text, default="")
    pyramid_level: Mapped[str] = mapped_column(String(20), default="")
    # The three quality checks: None until someone has judged them ("not assessed" is not "no").
    multi_professional: Mapped[bool | None] = mapped_column(Boolean, default=None)
    lasting: Mapped[bool | None] = mapped_column(Boolean, default=None)
    all_pupils: Mapped[bool | None] = mapped_column(Boolean, default=None)
    # The measure's lifecycle (confapp/services/measures.py): changed only there, with history.
    status: Mapped[str] = mapped_column(String(20), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic locking between two editors
    # After the conference the initiative is a measure of the organisation (migration 0008); its
    # conference is where it was first drafted, its sources may come from any conference.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    trial_start: Mapped[date | None] = mapped_column(Date)
    trial_end: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sources: Mapped[list[Bullet]] = relationship(secondary=initiative_sources, order_by="Bullet.id")


class LoginSession(Base):
    """One login of a facilitator (one browser). Ending it (deleting the row) logs out that browser only.

    Only hashes are stored: the browser's session holds the random id, its remember-me cookie the id
    and a validator that changes on every use (services/login_sessions.py).
    """

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id", ondelete="CASCADE"), index=True)
    remember_hash: Mapped[str | None] = mapped_column(String(64))
    # The validator replaced by the last rotation stays good for a few seconds, for the browser's
    # other requests that were already on their way with it.
    previous_remember_hash: Mapped[str | None] = mapped_column(String(64))
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    facilitator: Mapped[Facilitator] = relationship()


class PasswordReset(Base):
    """A mailed (or CLI-printed) link to set a new password: single use, expiring, only its hash kept."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    facilitator: Mapped[Facilitator] = relationship()


class ExternalLogin(Base):
    """An OpenID Connect identity (Feide) linked to a facilitator account on its first login."""

    __tablename__ = "external_logins"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    facilitator: Mapped[Facilitator] = relationship()


class Invitation(Base):
    """A link that lets one e-mail address create its account (by a password, or its first Feide login)."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(20), default="facilitator")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id", ondelete="SET NULL"))
    # Where the role applies (migration 0013): an organisation, or one conference for a co-facilitator.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    conference_id: Mapped[int | None] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OrganisationKind(enum.StrEnum):
    SCHOOL = "school"
    MUNICIPALITY = "municipality"


class Organisation(Base):
    """A school or a municipality: it owns the measures, which outlive any one conference."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default=OrganisationKind.SCHOOL)
    name: Mapped[str] = mapped_column(String(200))
    # The public status page's address: unguessable, shown to whoever the school gives it to.
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    # The calendar feed's address (.ics, no names): its own key, made on first use (migration 0009).
    calendar_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # A school's school owner (the municipality), migration 0010; None for a municipality or a lone school.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# A development measure after the conference is the initiative drafted at it: one row, one history.
Measure = Initiative


class MeasureEvent(Base):
    """One status change of a measure: who, when, why, and what the step needs (decision, trial dates)."""

    __tablename__ = "measure_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CoordinatorLink(Base):
    """A personal link for one measure's log: no account, only the hash is kept, revocable."""

    __tablename__ = "coordinator_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    holder: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MeasureLogEntry(Base):
    """The coordinator's log (*loggføring*): what was done, who took part, what was learned."""

    __tablename__ = "measure_log_entries"
    __table_args__ = (UniqueConstraint("measure_id", "client_uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("coordinator_links.id", ondelete="SET NULL"))
    client_uuid: Mapped[str] = mapped_column(String(36))
    happened_on: Mapped[date] = mapped_column(Date)
    done: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(Text, default="")
    learned: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeasureEvaluation(Base):
    """The trial team's evaluation with the guide's three questions."""

    __tablename__ = "measure_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    what_works: Mapped[str] = mapped_column(Text)
    what_to_adjust: Mapped[str] = mapped_column(Text)
    daily_operation: Mapped[str] = mapped_column(Text)  # should it become daily practice, and why
    trial_people: Mapped[str] = mapped_column(Text)  # at least one person who ran the trial
    others: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RoundMeasure(Base):
    """A measure the facilitator chose for an evaluation round: table `position` evaluates it.

    `team` lists, one a line, the people the facilitator says took part in the trial beyond those the
    plan names; the "by:measure" grouping seats them at the measure's table.
    """

    __tablename__ = "round_measures"
    __table_args__ = (UniqueConstraint("round_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1-based: the table number that evaluates it
    team: Mapped[str] = mapped_column(Text, default="")


class OrganisationRole(enum.StrEnum):
    """A person's role in an organisation; what each may do is `confapp.services.memberships.can`."""

    ADMINISTRATOR = "administrator"
    FACILITATOR = "facilitator"
    STEERING_GROUP = "steering_group"
    COORDINATOR = "coordinator"
    VIEWER = "viewer"


class OrganisationMember(Base):
    """An account's one role in one organisation (not a participant's table `Membership`)."""

    __tablename__ = "organisation_members"
    __table_args__ = (UniqueConstraint("organisation_id", "facilitator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    facilitator: Mapped[Facilitator] = relationship()


class MeasureCoordinator(Base):
    """A coordinator's account scoped to one measure: its log and evaluation, nothing else."""

    __tablename__ = "measure_coordinators"

    measure_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("facilitators.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class EscalationStatus(enum.StrEnum):
    OPEN = "open"  # on the forum's agenda
    POSTPONED = "postponed"  # still on the agenda, in its old place, with the reason why it waits
    DECIDED = "decided"  # in the minutes: a decision and who follows up


class Escalation(Base):
    """A measure or a question a school cannot settle alone, sent to its municipality's strategy forum.

    It stays on the forum's agenda until the forum records a decision and who follows it up, so that
    escalated problems do not vanish into status meetings (the evaluation, §6.8.1).
    """

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiatives.id", ondelete="SET NULL"), index=True
    )  # None: a question of its own
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=EscalationStatus.OPEN)
    raised_by: Mapped[str] = mapped_column(String(200))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Every postponement: [{"at", "by", "reason"}], oldest first (the minutes show them all).
    postponements: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    decision: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(String(200), default="")  # a name or a role
    follow_up_due: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A municipal conference's group round that took the question up (`forum.use_as_question`).
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
