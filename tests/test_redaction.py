"""Redaction rules as plain functions, the typed audiences, and erasure on a real SQLite file: fast checks."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from confapp.db import make_engine
from confapp.live.audiences import ALL, SCREEN, STAFF, Audience, Scope, ViewerKind, group_audience
from confapp.live.events import EVENT_TYPES, for_viewer
from confapp.ops import erasure
from confapp.services.redaction import name_pattern, pseudonymise, replace_names

NAMES = {"Ola": "Deltaker 1", "Ola Nordbekk": "Deltaker 2", "Deltaker 1": "Deltaker 3"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ola Nordbekk foreslo faste møter", "Deltaker 2 foreslo faste møter"),  # longest name first
        ("Ola og ola nordbekk", "Deltaker 1 og Deltaker 2"),  # any case
        ("Olav og Olaug er ikke Ola", "Olav og Olaug er ikke Deltaker 1"),  # whole words only
        ("Deltaker 1 og Deltaker 10", "Deltaker 3 og Deltaker 10"),  # one pass, no chains
        ("", ""),
    ],
)
def test_names_in_free_text_become_pseudonyms(text: str, expected: str) -> None:
    assert replace_names(text, NAMES, name_pattern(NAMES)) == expected


def test_people_in_payloads_lose_name_unit_and_grade_team() -> None:
    names = {"Zyxwvuta Qwertyson": "Deltaker 4"}
    payload = {
        "participant": {"id": 4, "name": "Zyxwvuta Qwertyson", "role": "Lærer", "unit": "Sdfgh skole",
                        "grade_team": "Trinn 5-7", "joined": True},
        "groups": [{"id": 1, "members": [{"id": 4, "name": "Zyxwvuta Qwertyson", "role": "Lærer"}]}],
        "note": {"author": "Zyxwvuta Qwertyson", "text": "Zyxwvuta Qwertyson la fram"},
    }  # fmt: skip
    out = pseudonymise(payload, names, name_pattern(names))
    assert out["participant"] == {"id": 4, "name": "Deltaker 4", "role": "Lærer", "unit": "",
                                  "grade_team": "", "joined": True}  # fmt: skip
    assert out["groups"][0]["members"][0]["name"] == "Deltaker 4"
    assert out["note"] == {"author": "Deltaker 4", "text": "Deltaker 4 la fram"}
    assert "Zyxwvuta" in str(payload), "the input is not changed in place"


def test_audiences_are_typed_and_round_trip_their_stored_form() -> None:
    for audience in (ALL, STAFF, SCREEN, group_audience(12)):
        assert Audience.parse(str(audience)) == audience
    assert str(group_audience(12)) == "group:12"
    with pytest.raises(ValueError):
        Audience(Scope.GROUP)
    with pytest.raises(ValueError):
        Audience.parse("projector")


@pytest.mark.parametrize(
    ("audience", "facilitator", "projector", "phone_at_12", "phone_elsewhere"),
    [
        (ALL, True, True, True, True),
        (STAFF, True, False, False, False),
        (SCREEN, True, True, False, False),
        (group_audience(12), True, True, True, False),
    ],
)
def test_who_an_audience_reaches(
    audience: Audience, facilitator: bool, projector: bool, phone_at_12: bool, phone_elsewhere: bool
) -> None:
    assert audience.reaches(ViewerKind.FACILITATOR) is facilitator
    assert audience.reaches(ViewerKind.PROJECTOR) is projector
    assert audience.reaches(ViewerKind.PARTICIPANT, {12}) is phone_at_12
    assert audience.reaches(ViewerKind.PARTICIPANT, {7}) is phone_elsewhere


def test_the_screen_gets_its_own_view_of_payloads() -> None:
    seated = {"id": 4, "name": "Ola", "role": "Lærer", "pinned": False}
    member = {"round_id": 1, "group_id": 12, "member": seated}
    shown = for_viewer(ViewerKind.PROJECTOR, "group.member_added", group_audience(12), member)
    assert shown == {"round_id": 1, "group_id": 12, "member": {"id": 4, "name": "Ola"}}
    note = {"note": {"id": 1, "text": "Enighet", "author": "Ola"}}
    assert for_viewer(ViewerKind.PROJECTOR, "note.saved", ALL, note) == {"note": {"id": 1, "text": "Enighet"}}
    assert for_viewer(ViewerKind.FACILITATOR, "note.saved", ALL, note) == note
    assert for_viewer(ViewerKind.PROJECTOR, "initiative.saved", ALL, {"initiative": {}}) is None
    assert for_viewer(ViewerKind.PROJECTOR, "participant.joined", STAFF, {"participant": {}}) is None
    unknown = "some.future_event"
    assert unknown not in EVENT_TYPES
    assert for_viewer(ViewerKind.PROJECTOR, unknown, ALL, {"x": 1}) is None, "unknown: not on the screen"


def test_sqlite_connections_delete_securely_and_the_wal_is_truncated(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """secure_delete on every connection; the checkpoint empties the WAL, or says why it could not."""
    path = tmp_path / "erasure.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    wal = path.with_name(path.name + "-wal")
    try:
        with engine.begin() as conn:
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
            conn.exec_driver_sql("CREATE TABLE t (body TEXT)")
            conn.exec_driver_sql("INSERT INTO t VALUES ('Qwpoeiruty Lkjhgfsen')")
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM t")
        assert b"Qwpoeiruty" in wal.read_bytes(), "before the checkpoint the WAL still has the row"

        reader = sqlite3.connect(path)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM t").fetchone()  # holds a read snapshot
        with caplog.at_level(logging.WARNING, logger="confapp.ops.erasure"):
            assert erasure.flush_copies(engine, ["t"]) is False
        assert "blocked by a reader" in caplog.text
        reader.rollback()
        reader.close()

        assert erasure.flush_copies(engine, ["t"]) is True
        assert wal.stat().st_size == 0
        assert b"Qwpoeiruty" not in path.read_bytes()
    finally:
        engine.dispose()
