from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from exports.data import BulletData, ConferenceReport, GroupData, MemberData, NoteData, RoundData
from exports.report import build_report
from exports.samples import make_large_report

Reader = Callable[[bytes], DocxDocument]


def headings(doc: DocxDocument) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def table_texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def bullets(doc: DocxDocument) -> list[Paragraph]:
    return [p for p in doc.paragraphs if p.style.name == "List Bullet"]


def block_after(doc: DocxDocument, heading_text: str, nth: int = 0) -> Paragraph | Table:
    """The block that follows the nth paragraph whose text is `heading_text`."""
    blocks = list(doc.iter_inner_content())
    hits = [i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text == heading_text]
    return blocks[hits[nth] + 1]


def one_group_report(**group_kwargs: object) -> ConferenceReport:
    group = GroupData(1, **group_kwargs)  # type: ignore[arg-type]
    rnd = RoundData(1, "group", "Runde", "Spørsmål?", 30, groups=[group])
    return ConferenceReport("Test", "school", date(2026, 11, 22), rounds=[rnd])


def test_report_is_a_docx_that_python_docx_and_zip_can_open(sample_report: ConferenceReport) -> None:
    data = build_report(sample_report)
    assert data[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "word/document.xml" in zf.namelist()
        assert not [n for n in zf.namelist() if "thumbnail" in n]


def test_headings_use_word_heading_styles_in_document_order(sample_doc: DocxDocument) -> None:
    assert headings(sample_doc) == [
        ("Title", "Dialogkonferanse 1 – Tverrfaglig samarbeid på Skole A"),
        ("Heading 1", "Formål"),
        ("Heading 1", "Program"),
        ("Heading 1", "Gjennomføring"),
        ("Heading 2", "Runde 1: Hva bør vi jobbe med?"),
        ("Heading 3", "Bord 1"),
        ("Heading 3", "Bord 2"),
        ("Heading 2", "Plenum: Oppsummering runde 1"),
        ("Heading 2", "Runde 2: Hvordan organiserer vi arbeidet?"),
        ("Heading 3", "Bord 1"),
        ("Heading 3", "Bord 2"),
        ("Heading 2", "Plenum: Veien videre – hva skjer nå?"),
    ]


def test_front_matter_gives_kind_level_date_facilitators_and_head_count(sample_doc: DocxDocument) -> None:
    texts = [p.text for p in sample_doc.paragraphs]
    assert "Dialogkonferanse – Skolenivå" in texts
    facts = dict(map(tuple, table_texts(sample_doc.tables[0])))
    assert facts == {
        "Dato": "22. november 2026",
        "Nivå": "Skolenivå",
        "Mal": "DK1 skole",
        "Fasilitator(er)": "Fasilitator A, Fasilitator B",
        "Antall deltakere": "7",
    }


def test_purpose_paragraphs_follow_their_heading(sample_doc: DocxDocument) -> None:
    first = block_after(sample_doc, "Formål")
    assert isinstance(first, Paragraph)
    assert first.text.startswith("Hele personalet foreslår")


def test_agenda_is_a_table_with_number_kind_title_question_and_minutes(sample_doc: DocxDocument) -> None:
    table = block_after(sample_doc, "Program")
    assert isinstance(table, Table)
    assert table.style.name == "Light Grid Accent 1"
    rows = table_texts(table)
    assert rows[0] == ["Nr.", "Type", "Tittel", "Spørsmål", "Min."]
    assert rows[1] == [
        "1",
        "Gruppearbeid",
        "Hva bør vi jobbe med?",
        "Hva bør vi jobbe med for å styrke det tverrfaglige samarbeidet?",
        "40",
    ]
    assert rows[2][:3] == ["2", "Plenum", "Oppsummering runde 1"]
    assert len(rows) == 5
    # the header row repeats on every page the table spans
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_group_round_shows_its_question(sample_doc: DocxDocument) -> None:
    question = block_after(sample_doc, "Runde 1: Hva bør vi jobbe med?")
    assert question.text == "Spørsmål: Hva bør vi jobbe med for å styrke det tverrfaglige samarbeidet?"


def test_members_table_lists_name_role_unit_and_marks_leader_and_reporter(sample_doc: DocxDocument) -> None:
    table = block_after(sample_doc, "Bord 1")
    assert isinstance(table, Table)
    assert table_texts(table) == [
        ["Navn", "Rolle", "Enhet"],
        ["Deltaker 1 (gruppeleder)", "Kontaktlærer 5. trinn", "Skole A"],
        ["Deltaker 2 (referent)", "Helsesykepleier", "Helsestasjonen"],
        ["Deltaker 3", "PPT-rådgiver", "PPT"],
        ["Deltaker 4", "Assistent", "Skole A"],
    ]
    both = table_texts(block_after(sample_doc, "Bord 2"))[1][0]
    assert both == "Deltaker 5 (gruppeleder, referent)"


def test_bullets_are_a_list_bullet_list_with_the_plenary_point_bold_and_marked(
    sample_doc: DocxDocument,
) -> None:
    items = bullets(sample_doc)
    assert [p.text for p in items[:3]] == [
        "Faste møter mellom trinnteam og helsesykepleier (til plenum)",
        "PPT med i ressursteamet fra høsten",
        "Felles språk for «tidlig innsats» – hva betyr det hos oss?",
    ]
    plenary = items[0]
    assert plenary.runs[0].bold is True
    assert plenary.runs[1].text == " (til plenum)"
    assert all(not run.bold for run in items[1].runs)
    assert len(items) == 3 + 2 + 2  # the quiet group in round 2 has none


def test_group_without_bullets_says_so_instead_of_an_empty_section(sample_doc: DocxDocument) -> None:
    blocks = list(sample_doc.iter_inner_content())
    texts = [b.text if isinstance(b, Paragraph) else "<table>" for b in blocks]
    quiet = [i for i, t in enumerate(texts) if t == "Bord 2"][1]
    assert texts[quiet + 1 : quiet + 4] == ["<table>", "Punkter fra bordet", "Ingen punkter registrert."]


def test_plenary_notes_carry_group_number_and_author(sample_doc: DocxDocument) -> None:
    note = block_after(sample_doc, "Plenum: Oppsummering runde 1")
    assert note.text == "Bord 1: Mange ønsker faste møtepunkter med helsesykepleier. – Ordstyrer"
    assert note.runs[0].bold is True
    assert block_after(sample_doc, "Plenum: Veien videre – hva skjer nå?").text == "Ingen notater registrert."


def test_norwegian_characters_and_emoji_survive_the_round_trip(read_docx: Reader) -> None:
    text = "Blåbærsyltetøy på Ørsta – ÆØÅ æøå 🎉"
    doc = read_docx(build_report(one_group_report(bullets=[BulletData(text)])))
    assert [p.text for p in bullets(doc)] == [text]


def test_control_characters_are_stripped_from_all_user_text(read_docx: Reader) -> None:
    report = one_group_report(
        members=[MemberData("Ola\x00 Nord\x1bmann", "Lærer\x0b", "Skole\x0c A")],
        bullets=[BulletData("Punkt\x07 med\x1f bjelle\ud800")],
    )
    report = replace(report, title="Tit\x08tel", purpose="For\x01mål")
    doc = read_docx(build_report(report))
    assert doc.paragraphs[0].text == "Tittel"
    assert "Formål" in [p.text for p in doc.paragraphs]
    assert table_texts(doc.tables[-1])[1] == ["Ola Nordmann", "Lærer", "Skole A"]
    assert bullets(doc)[0].text == "Punkt med bjelle"


def test_hostile_markup_is_kept_as_literal_text(read_docx: Reader) -> None:
    hostile = "<script>alert(1)</script> & <w:p/>"
    data = build_report(one_group_report(bullets=[BulletData(hostile)], members=[MemberData(hostile, "")]))
    doc = read_docx(data)
    assert bullets(doc)[0].text == hostile
    assert table_texts(doc.tables[-1])[1][0] == hostile
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;w:p/&gt;" in xml
    assert "<script>" not in xml


def test_multiline_bullet_keeps_its_line_break(read_docx: Reader) -> None:
    doc = read_docx(build_report(one_group_report(bullets=[BulletData("første\r\nandre")])))
    item = bullets(doc)[0]
    assert item.text == "første\nandre"
    assert item._p.xpath(".//w:br")


def test_footer_shows_side_x_av_y_with_page_fields(sample_doc: DocxDocument) -> None:
    footer = sample_doc.sections[0].footer
    assert not footer.is_linked_to_previous
    p = footer.paragraphs[0]
    instructions = [el.text.strip() for el in p._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [el.get(qn("w:fldCharType")) for el in p._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    assert p.text.startswith("Side ") and " av " in p.text


def test_header_carries_the_conference_title(sample_doc: DocxDocument) -> None:
    header_text = sample_doc.sections[0].header.paragraphs[0].text
    assert header_text == "Dialogkonferanse 1 – Tverrfaglig samarbeid på Skole A"


def test_page_is_a4_portrait(sample_doc: DocxDocument) -> None:
    section = sample_doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # stored in twips


def test_core_properties_carry_title_language_and_no_template_author(sample_doc: DocxDocument) -> None:
    props = sample_doc.core_properties
    assert props.title == "Dialogkonferanse 1 – Tverrfaglig samarbeid på Skole A"
    assert props.language == "nb-NO"
    assert props.author == "Fasilitator A, Fasilitator B"
    assert props.created.year >= 2024


def test_proofing_language_is_norwegian(sample_doc: DocxDocument) -> None:
    defaults = sample_doc.styles.element.find(qn("w:docDefaults"))
    assert [el.get(qn("w:val")) for el in defaults.iter(qn("w:lang"))] == ["nb-NO"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "nn",
            [
                "Føremål",
                "Dialogkonferanse – Skulenivå",
                "Namn",
                "Deltaker 1 (gruppeleiar)",
                "Ingen punkt er registrerte.",
            ],
        ),
        (
            "en",
            [
                "Purpose",
                "Dialogue conference – School level",
                "Name",
                "Deltaker 1 (group leader)",
                "No points recorded.",
            ],
        ),
    ],
)
def test_other_languages_use_their_own_labels(
    sample_report: ConferenceReport, read_docx: Reader, lang: str, expected: list[str]
) -> None:
    doc = read_docx(build_report(sample_report, lang=lang))
    found = {p.text for p in doc.paragraphs} | {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert [e for e in expected if e not in found] == []
    assert doc.core_properties.language == {"nn": "nn-NO", "en": "en-GB"}[lang]


def test_empty_conference_has_no_empty_sections(read_docx: Reader) -> None:
    report = ConferenceReport("Tom konferanse", "municipal", date(2026, 1, 5))
    doc = read_docx(build_report(report))
    assert headings(doc) == [("Title", "Tom konferanse"), ("Heading 1", "Gjennomføring")]
    assert doc.paragraphs[-1].text == "Ingen runder registrert."
    assert dict(map(tuple, table_texts(doc.tables[0])))["Nivå"] == "Kommunenivå"


def test_agenda_falls_back_to_the_rounds_held(read_docx: Reader) -> None:
    report = one_group_report(bullets=[BulletData("x")])
    doc = read_docx(build_report(report))
    assert table_texts(block_after(doc, "Program"))[1] == ["1", "Gruppearbeid", "Runde", "Spørsmål?", "30"]


def test_round_without_groups_and_plenary_note_without_group(read_docx: Reader) -> None:
    report = ConferenceReport(
        "K",
        "school",
        date(2026, 11, 22),
        rounds=[
            RoundData(1, "group", "Tom runde"),
            RoundData(2, "plenary", "Slutt", notes=[NoteData("Takk for i dag")]),
        ],
    )
    doc = read_docx(build_report(report))
    assert block_after(doc, "Runde 1: Tom runde").text == "Ingen bord registrert."
    assert block_after(doc, "Plenum: Slutt").text == "Takk for i dag"


def test_unknown_language_is_refused(sample_report: ConferenceReport) -> None:
    with pytest.raises(ValueError):
        build_report(sample_report, lang="sv")


def test_large_report_holds_everything(read_docx: Reader) -> None:
    # How fast it builds is measured by benchmarks/report_bench.py, not asserted here (shared, noisy CI).
    data = build_report(make_large_report())

    doc = read_docx(data)
    assert len(bullets(doc)) == 1500
    member_rows = sum(len(t.rows) - 1 for t in doc.tables if t.rows[0].cells[0].text == "Navn")
    assert member_rows == 300 * 4
    assert sum(1 for name, _ in headings(doc) if name == "Heading 2") == 8
