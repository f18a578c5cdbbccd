"""The strategy forum's agenda and minutes as Word: the builder on plain data (numbered cases, the
postponements, the decision with who follows up and by when, hostile text, three languages), and the
forum page's download from a real municipality, rendered by LibreOffice and read back from the PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from flask import Flask
from readback import heading1, pdf_text, rows, sections, soffice_to_pdf, tables

from exports.forum import build_forum
from exports.forum_data import EscalationItem, ForumReport, Postponement
from exports.forum_labels import FORUM_LABELS


def sample() -> ForumReport:
    return ForumReport(
        organisation="Eksempel kommune",
        as_of=date(2026, 12, 2),
        agenda=[
            EscalationItem(
                school="Sørbyen skole",
                text="Trenger helsesykepleier to dager i uka",
                raised_on=date(2026, 10, 1),
                raised_by="Rektor Sør",
                measure="Faste møter med helsesykepleier",
                postponements=[Postponement(date(2026, 11, 1), "Kommunalsjef", "Venter på budsjettet")],
            ),
            EscalationItem(
                school="Vestre \x00skole \u202eRTL",
                text="Hvem betaler skyss\x0b til PPT?",
                raised_on=date(2026, 11, 20),
                raised_by="Rektor Vest",
            ),
        ],
        minutes=[
            EscalationItem(
                school="Nordli skole",
                text="Felles rutine for skolevegring",
                raised_on=date(2026, 9, 1),
                raised_by="Rektor Nord",
                measure="Skolevegring",
                decision="Kommunen lager felles rutine",
                follow_up="Leder i PPT",
                follow_up_due=date(2027, 2, 1),
                decided_on=date(2026, 11, 1),
                decided_by="Kommunalsjef",
            )
        ],
    )


def test_the_agenda_lists_open_cases_in_order_and_the_minutes_the_decisions() -> None:
    doc = Document(io.BytesIO(build_forum(sample(), "nb")))
    assert heading1(doc) == ["Saksliste", "Referat"]
    _, by_heading = sections(doc)
    agenda = by_heading["Saksliste"]
    h2 = [b.text for b in agenda if getattr(b, "style", None) is not None and b.style.name == "Heading 2"]
    assert h2[0] == "Sak 1 – Sørbyen skole" and h2[1].startswith("Sak 2 – Vestre skole")
    first, second = (rows(t) for t in tables(agenda))
    assert ["Tiltak", "Faste møter med helsesykepleier"] in first
    assert ["Utsatt", "01.11.2026, Kommunalsjef: Venter på budsjettet"] in first
    assert ["Spørsmål fra skolen", "Hvem betaler skyss til PPT?"] in second  # a question of its own
    (decided,) = (rows(t) for t in tables(by_heading["Referat"]))
    assert ["Vedtak", "Kommunen lager felles rutine"] in decided
    assert ["Følges opp av", "Leder i PPT – innen 01.02.2027"] in decided


def test_every_language_has_the_same_forum_labels_and_an_empty_forum_says_so() -> None:
    assert FORUM_LABELS["nn"].keys() == FORUM_LABELS["nb"].keys() == FORUM_LABELS["en"].keys()
    empty = ForumReport(organisation="Eksempel kommune", as_of=date(2026, 12, 2))
    doc = Document(io.BytesIO(build_forum(empty, "en")))
    assert heading1(doc) == ["Agenda", "Minutes"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Nothing waits for a decision." in text and "No decisions yet." in text


def test_the_forum_page_downloads_agenda_and_minutes_and_libreoffice_renders_them(
    app: Flask, tmp_path: Path, artifacts: Path
) -> None:
    from forum_world import PASSWORD, make_forum_world
    from support import fresh_client

    from confapp.services import forum

    w = make_forum_world()
    p = w.people
    waiting = forum.escalate_measure(p["principal"], w.measure, "Trenger kommunal rutine for skolevegring")
    answered = forum.escalate_question(p["south_principal"], w.south, "Hvem betaler skyss til PPT?")
    forum.postpone(p["muni_steering"], waiting, "Venter på tall fra PPT")
    forum.decide(p["muni_steering"], answered, "Kommunen dekker skyss", "Kommunalsjef", "2027-02-01")
    client = fresh_client(app)
    csrf = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"email": "muni_viewer@example.no", "password": PASSWORD, "csrf_token": csrf})
    response = client.get(f"/organisations/{w.muni.id}/forum.docx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert client.get(f"/organisations/{w.north.id}/forum.docx").status_code == 404  # a school has no forum
    target = tmp_path / "strategisk-forum.docx"
    target.write_bytes(response.data)
    (pdf,) = soffice_to_pdf([target], tmp_path)
    text = pdf_text(pdf)
    for words in ("Strategisk forum", "Saksliste", "Sak 1 – Nordli skole", "Venter på tall fra PPT",
                  "Referat", "Kommunen dekker skyss", "Kommunalsjef – innen 01.02.2027"):  # fmt: skip
        assert words in text, words
    assert text.index("Saksliste") < text.index("Skolevegring") < text.index("Referat")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("poppler-utils is needed to render the PDF")
    page_one = [pdftoppm, "-png", "-r", "60", "-singlefile", str(pdf), str(artifacts / "pdf-forum")]
    subprocess.run(page_one, check=True, timeout=60)
