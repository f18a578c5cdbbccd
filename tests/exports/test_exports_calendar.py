"""The annual calendar: the .ics read back with the icalendar parser, the Word årshjul with python-docx."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from docx.document import Document as DocxDocument
from icalendar import Calendar

from exports.annual_calendar import build_annual_calendar, build_calendar_ics, calendar_entries
from exports.measure_data import MeasureData, MeasuresReport, MilestoneData, PlannedConferenceData
from exports.measure_samples import DK1, DK2, make_sample_measures

Reader = Callable[[bytes], DocxDocument]
STAMP = datetime(2027, 5, 10, 8, 0, tzinfo=UTC)


@pytest.fixture
def sample() -> MeasuresReport:
    return make_sample_measures()


def events(data: bytes) -> dict[str, dict[str, object]]:
    """UID → the parsed event's summary, description, start, end, categories."""
    cal = Calendar.from_ical(data)
    found: dict[str, dict[str, object]] = {}
    for event in cal.walk("VEVENT"):
        uid = str(event["uid"])
        assert uid not in found, f"duplicate UID {uid}"
        found[uid] = {
            "summary": str(event["summary"]),
            "description": str(event["description"]),
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend"),
            "categories": [str(c) for c in event["categories"].cats],
            "stamp": event.decoded("dtstamp"),
            "transp": str(event["transp"]),
        }
    return found


# -- .ics -------------------------------------------------------------------------------------------------


def test_ics_has_every_milestone_and_conference_as_an_all_day_event(sample: MeasuresReport) -> None:
    data = build_calendar_ics(sample, stamp=STAMP)
    cal = Calendar.from_ical(data)
    assert str(cal["version"]) == "2.0"
    assert str(cal["x-wr-calname"]) == "Årshjul – Skole A"
    found = events(data)
    assert set(found) == {
        "conference-101@confapp",
        "conference-102@confapp",
        "conference-103@confapp",
        "measure-1-milestone-11@confapp",
        "measure-1-milestone-12@confapp",
        "measure-1-milestone-13@confapp",
        "measure-2-milestone-21@confapp",
        "measure-4-milestone-41@confapp",
    }
    for event in found.values():
        start, end = event["start"], event["end"]
        # dates, not datetimes: all-day in every time zone, one day long (DTEND is exclusive)
        assert type(start) is date and type(end) is date
        assert end - start == timedelta(days=1)  # type: ignore[operator]
        assert event["stamp"] == STAMP
        assert event["transp"] == "TRANSPARENT"
    dk2 = found["conference-102@confapp"]
    assert (dk2["summary"], dk2["start"], dk2["categories"]) == (DK2, date(2027, 4, 27), ["Dialogkonferanse"])
    decision = found["measure-1-milestone-13@confapp"]
    assert (
        decision["summary"]
        == "Styringsgruppen avgjør daglig drift – Faste møter mellom lærere og helsesykepleier"
    )
    assert decision["start"] == date(2027, 6, 10)
    assert decision["categories"] == ["Milepæl"]
    assert decision["description"] == (
        "Milepæl (planlagt)\nTiltak: Faste møter mellom lærere og helsesykepleier\nStatus: evaluert"
    )  # no coordinator's name unless asked for: a feed travels further than the school
    named = events(build_calendar_ics(sample, stamp=STAMP, with_names=True))["measure-1-milestone-13@confapp"]
    assert named["description"].endswith("\nStatus: evaluert\nKoordinator: Deltaker 7, lærer 7. trinn")  # type: ignore[union-attr]
    assert found["measure-2-milestone-21@confapp"]["description"].startswith("Milepæl (forfalt)")  # type: ignore[union-attr]
    assert b"DTSTART;VALUE=DATE:20270610\r\n" in data


def test_uids_are_stable_so_a_reimport_updates_instead_of_duplicating(sample: MeasuresReport) -> None:
    before = events(build_calendar_ics(sample, stamp=STAMP))
    # A month later: a milestone moved and renamed, a measure renamed, a new conference planned.
    nurse = sample.measures[0]
    moved = replace(nurse.milestones[2], title="Vedtak om daglig drift", due=date(2027, 6, 17))
    nurse = replace(nurse, title="Helsesykepleier i trinnteamet", milestones=[*nurse.milestones[:2], moved])
    later = replace(
        sample,
        as_of=date(2027, 6, 10),
        measures=[nurse, *sample.measures[1:]],
        conferences=[
            *sample.conferences,
            PlannedConferenceData(104, "Dialogkonferanse 4", date(2028, 4, 20)),
        ],
    )
    after = events(build_calendar_ics(later, stamp=STAMP + timedelta(days=31)))
    assert set(after) == set(before) | {"conference-104@confapp"}
    changed = after["measure-1-milestone-13@confapp"]
    assert changed["summary"] == "Vedtak om daglig drift – Helsesykepleier i trinnteamet"
    assert changed["start"] == date(2027, 6, 17)
    # UIDs name the installation: two schools in one calendar account never collide
    other = events(build_calendar_ics(sample, uid_domain="skole-b.example.no", stamp=STAMP))
    assert "conference-101@skole-b.example.no" in other
    assert not set(other) & set(before)


def test_a_stopped_measure_keeps_reached_milestones_and_drops_open_ones(sample: MeasuresReport) -> None:
    stopped = MeasureData(
        id=7,
        title="Avsluttet tiltak",
        status="stopped",
        milestones=[
            MilestoneData(71, "Oppstart", date(2027, 1, 5), done=True),
            MilestoneData(72, "Slutt", date(2027, 9, 1)),
        ],
    )
    uids = set(events(build_calendar_ics(replace(sample, measures=[stopped]), stamp=STAMP)))
    assert uids == {
        "measure-7-milestone-71@confapp",
        "conference-101@confapp",
        "conference-102@confapp",
        "conference-103@confapp",
    }


HOSTILE = (
    "Møte; med, komma\\ og\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nEND:VEVENT \x00\x1b\x0b \u202eRTL\u202c مرحبا 😀"
)
HOSTILE_CLEAN = "Møte; med, komma\\ og\nBEGIN:VEVENT\nUID:evil@x\nEND:VEVENT  RTL مرحبا 😀"


def test_hostile_text_is_escaped_and_cannot_inject_events(sample: MeasuresReport) -> None:
    long_title = "Svært langt tiltak " * 400
    measure = MeasureData(
        id="1 2/3",  # an id that is not UID-safe as it stands
        title=long_title,
        status="in_trial",
        coordinator=HOSTILE,
        milestones=[MilestoneData("a;b", HOSTILE, date(2027, 3, 3))],
    )
    report = replace(
        sample,
        organisation="Skole\x00 A;\nX-EVIL:1",
        measures=[measure],
        conferences=[PlannedConferenceData(1, HOSTILE, date(2027, 4, 4))],
    )
    data = build_calendar_ics(report, stamp=STAMP, with_names=True)
    found = events(data)
    assert set(found) == {"measure-1-2-3-milestone-a-b@confapp", "conference-1@confapp"}
    assert found["conference-1@confapp"]["summary"] == HOSTILE_CLEAN
    milestone = found["measure-1-2-3-milestone-a-b@confapp"]
    assert milestone["summary"] == f"{HOSTILE_CLEAN} – {long_title.strip()}"
    assert milestone["description"].endswith(f"Koordinator: {HOSTILE_CLEAN}")  # type: ignore[union-attr]
    # the name is one line, its ";" escaped as TEXT (the parser leaves X- properties raw, so read the wire)
    assert "X-WR-CALNAME:Årshjul – Skole A\\; X-EVIL:1\r\n".encode() in data
    # on the wire: CRLF lines of at most 75 octets; no line starts an event or property we did not write
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert lines.count(b"BEGIN:VEVENT") == 2
    assert not [line for line in lines if line.startswith((b"UID:evil", b"X-EVIL"))]
    assert b"\x00" not in data and b"\x1b" not in data and "\u202e".encode() not in data


@pytest.mark.parametrize(
    ("lang", "milestone", "conference", "name"),
    [
        ("nn", "Milepæl (planlagt)", "Dialogkonferanse", "Årshjul – Skole A"),
        ("en", "Milestone (planned)", "Dialogue conference", "Annual calendar – Skole A"),
    ],
)
def test_ics_in_nynorsk_and_english(
    sample: MeasuresReport, lang: str, milestone: str, conference: str, name: str
) -> None:
    data = build_calendar_ics(sample, lang, stamp=STAMP)
    assert str(Calendar.from_ical(data)["x-wr-calname"]) == name
    found = events(data)
    assert found["measure-1-milestone-13@confapp"]["description"].startswith(milestone)  # type: ignore[union-attr]
    assert found["conference-101@confapp"]["categories"] == [conference]


def test_entries_come_in_date_order_with_conferences_first_on_a_shared_day(sample: MeasuresReport) -> None:
    entries = calendar_entries(sample)
    assert [e.day for e in entries] == sorted(e.day for e in entries)
    on_dk2 = [e for e in entries if e.day == date(2027, 4, 27)]
    assert [e.kind for e in on_dk2] == ["conference", "milestone"]


# -- Word årshjul ---------------------------------------------------------------------------------------


def month_rows(doc: DocxDocument) -> list[list[str]]:
    """The årshjul table without its header; a month band reads as its name three times (merged cell)."""
    (table,) = doc.tables[-1:]
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def test_annual_calendar_lists_every_month_from_first_to_last_entry(
    sample: MeasuresReport, read_docx: Reader
) -> None:
    doc = read_docx(build_annual_calendar(sample))
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == ["Årshjul"]
    assert "Periode: november 2026 – november 2027" in doc.paragraphs[2].text
    table_rows = month_rows(doc)
    assert table_rows[0] == ["November 2026"] * 3
    assert table_rows[1] == ["22.11.2026", DK1, "Dialogkonferanse"]
    assert table_rows[2] == ["Desember 2026"] * 3
    assert table_rows[3] == ["", "–", ""]  # an empty month is shown, not skipped
    bands = [r[0] for r in table_rows if r[0] == r[1] == r[2]]
    assert len(bands) == 13
    assert bands[-1] == "November 2027"
    april = table_rows[table_rows.index(["April 2027"] * 3) + 1 : table_rows.index(["Mai 2027"] * 3)]
    assert april == [
        [
            "01.04.2027",
            "Første drøftingstime holdt\nTiltak: Drøftingsmøter med barnevernet uten navn",
            "Milepæl (forfalt)",
        ],
        ["27.04.2027", DK2, "Dialogkonferanse"],
        [
            "27.04.2027",
            "Evaluering på dialogkonferanse 2\nTiltak: Faste møter mellom lærere og helsesykepleier",
            "Milepæl (nådd)",
        ],
    ]
    assert doc.sections[0].header.paragraphs[0].text == "Skole A"


def test_annual_calendar_for_a_school_year_in_nynorsk_and_english(
    sample: MeasuresReport, read_docx: Reader
) -> None:
    nn = read_docx(build_annual_calendar(sample, "nn", first_month=date(2026, 8, 15)))
    bands = [r[0] for r in month_rows(nn) if r[0] == r[1] == r[2]]
    assert bands[0] == "August 2026" and bands[-1] == "Juli 2027" and len(bands) == 12
    assert [c.text for c in nn.tables[-1].rows[0].cells] == ["Dato", "Hending", "Kva"]
    assert all("Dialogkonferanse 3" not in r[1] for r in month_rows(nn))  # November 2027 is outside

    en = read_docx(build_annual_calendar(sample, "en"))
    assert [p.text for p in en.paragraphs if p.style.name == "Title"] == ["Annual calendar"]
    assert ["22 Nov 2026", DK1, "Dialogue conference"] in month_rows(en)


def test_annual_calendar_without_entries_shows_twelve_empty_months(read_docx: Reader) -> None:
    doc = read_docx(build_annual_calendar(MeasuresReport("", date(2027, 3, 9))))
    table_rows = month_rows(doc)
    assert table_rows[0] == ["Mars 2027"] * 3
    assert len(table_rows) == 24 and table_rows[-2] == ["Februar 2028"] * 3
    assert doc.sections[0].header.paragraphs[0].text == "Årshjul"  # no organisation: the kind of document


def test_annual_calendar_cleans_hostile_text(sample: MeasuresReport, read_docx: Reader) -> None:
    measure = MeasureData(
        id=1, title="<b>Tiltak</b>\x00 😀", milestones=[MilestoneData(1, HOSTILE, date(2027, 3, 3))]
    )
    report = replace(
        sample,
        measures=[measure],
        conferences=[PlannedConferenceData(1, "\x1bKonf\u202e 😀", date(2027, 3, 1))],
    )
    table_rows = month_rows(read_docx(build_annual_calendar(report)))
    assert table_rows == [
        ["Mars 2027"] * 3,
        ["01.03.2027", "Konf 😀", "Dialogkonferanse"],
        ["03.03.2027", f"{HOSTILE_CLEAN}\nTiltak: <b>Tiltak</b> 😀", "Milepæl (forfalt)"],
    ]
