"""Display names: normalised, nothing invisible, never empty, never a look-alike of someone else's."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from sqlalchemy import func, select

from confapp import db
from confapp.errors import ServiceError
from confapp.models import Participant
from confapp.services import conferences, facilitators, participants
from exports.text import clean_text


def _count(conf) -> int:  # type: ignore[no-untyped-def]
    return int(
        db.session.scalar(select(func.count(Participant.id)).where(Participant.conference_id == conf.id))
    )


@pytest.fixture
def conf(app: Flask):  # type: ignore[no-untyped-def]
    f = facilitators.create(
        email="n@example.no", name="Ordstyrer Olsen", password="et-langt-passord-for-test"
    )
    c = conferences.create_conference(f, title="Navn", level=None, template="dk1_school", held_on=None)
    participants.join(c, client_uuid=uuid.uuid4(), name="Kari Nordmann", role="Lærer")
    return c


@pytest.mark.parametrize(
    "name",
    ["\u200b", "\u3164", "\u2800", "\u0301\u0308", "\u200b\u200d\u2060", " \u3164 \u2800 ", "\u202e\u2066"],
)
def test_names_that_show_nothing_are_refused(conf, name: str) -> None:  # type: ignore[no-untyped-def]
    before = _count(conf)
    with pytest.raises(ServiceError) as err:
        participants.join(conf, client_uuid=uuid.uuid4(), name=name, role="Lærer")
    assert err.value.code == "empty"
    assert _count(conf) == before


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Ｏｌａ", "Ola"),  # full-width
        ("Ol\u200ba", "Ola"),
        ("\u202eOla\u202c", "Ola"),  # a right-to-left override
        ("Ola\u2069 Hansen\ufeff", "Ola Hansen"),
    ],
)
def test_names_are_nfkc_without_invisible_characters(conf, typed: str, stored: str) -> None:  # type: ignore[no-untyped-def]
    p, _token = participants.join(conf, client_uuid=uuid.uuid4(), name=typed, role="Lærer")
    assert p.display_name == stored


@pytest.mark.parametrize(
    "look_alike",
    [
        "Kari Nordmann",
        "kari nordmann",
        "KARI  NORDMANN",
        "K\u0430ri Nordm\u0430nn",  # Cyrillic а
        "Kári Nordmann",
        "Kari\u200b Nordmann",
        "Ｋａｒｉ Nordmann",
        "Ordstyrer 0lsen",  # the facilitator, with a zero
        "ordstyrer olsen",
    ],
)
def test_look_alikes_of_someone_here_are_refused(conf, look_alike: str) -> None:  # type: ignore[no-untyped-def]
    before = _count(conf)
    with pytest.raises(ServiceError) as err:
        participants.join(conf, client_uuid=uuid.uuid4(), name=look_alike, role="Lærer")
    assert err.value.code == "look_alike"
    assert _count(conf) == before


def test_different_names_are_still_welcome(conf) -> None:  # type: ignore[no-untyped-def]
    for name in ("Karl Nordmann", "Kari Nordmann H.", "Kari Nordmo"):
        participants.join(conf, client_uuid=uuid.uuid4(), name=name, role="Lærer")


def test_word_exports_drop_invisible_and_bidi_characters() -> None:
    assert clean_text("Ola\u202e nnamdroN\u202c\u200b og\u2066 Kari\u2069") == "Ola nnamdroN og Kari"


def _keys(conf) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        db.session.scalars(
            select(Participant.name_key).where(Participant.conference_id == conf.id).order_by(Participant.id)
        )
    )


@pytest.mark.parametrize("look_alike", ["KARI", "kari", "K\u0430ri", "Kári", "K\u0430RI"])  # Cyrillic а
def test_a_look_alike_of_a_short_name_is_refused_by_its_stored_key(conf, look_alike: str) -> None:  # type: ignore[no-untyped-def]
    participants.join(conf, client_uuid=uuid.uuid4(), name="Kari", role="Lærer")
    before = _count(conf)
    with pytest.raises(ServiceError) as err:
        participants.join(conf, client_uuid=uuid.uuid4(), name=look_alike, role="Lærer")
    assert err.value.code == "look_alike"
    assert _count(conf) == before
    assert _keys(conf) == ["kari nordmann", "kari"]


def test_a_name_freed_by_removal_can_be_taken(conf) -> None:  # type: ignore[no-untyped-def]
    kari = db.session.scalar(select(Participant).where(Participant.conference_id == conf.id))
    participants.remove(conf, kari)
    p, _token = participants.join(conf, client_uuid=uuid.uuid4(), name="KARI NORDMANN", role="Lærer")
    assert (p.display_name, p.name_key) == ("KARI NORDMANN", "kari nordmann")
    with pytest.raises(ServiceError) as err:  # taken again, by the newcomer
        participants.join(conf, client_uuid=uuid.uuid4(), name="Kari Nordmann", role="Lærer")
    assert err.value.code == "look_alike"


def test_the_same_name_is_welcome_in_another_conference(conf) -> None:  # type: ignore[no-untyped-def]
    other = conferences.create_conference(
        conf.facilitators[0], title="Annen", level=None, template="dk1_school", held_on=None
    )
    participants.join(other, client_uuid=uuid.uuid4(), name="Kari Nordmann", role="Lærer")


def test_imported_names_are_keyed_and_guarded(conf) -> None:  # type: ignore[no-untyped-def]
    conferences.import_participants(conf, "navn,rolle\nIda Berg,Lærer\n".encode())
    assert _keys(conf) == ["kari nordmann", "ida berg"]
    with pytest.raises(ServiceError) as err:
        participants.join(conf, client_uuid=uuid.uuid4(), name="IDA BERG", role="Lærer")
    assert err.value.code == "look_alike"
