"""The initiative forms (utviklingstiltak) as Word: read back with python-docx, laid out by LibreOffice."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from readback import Block, heading1, pdf_text, rows, sections, soffice_to_pdf, tables, texts

from exports.data import InitiativeData, InitiativesReport, SourceBulletData
from exports.initiatives import build_initiative, build_initiatives
from exports.samples import make_sample_initiatives

Reader = Callable[[bytes], DocxDocument]

# The guide's own wording (seeds/000 L286). Spelled out here, not imported from labels.py,
# so that a "harmless" rewording of a label fails a test.
GUIDE_LABELS_NB = [
    "Målsettingen for tiltaket",
    "Hva tiltaket skal bestå i",
    "Koordinator for arbeidet med utviklingstiltaket",
    "Hovedarena for diskusjon og konkretisering av tiltaket (ressursteam eller trinnteam)",
    "Hvem som skal delta i den praktiske utprøvingen av tiltaket",
    "Tidsramme og framdriftsplan for arbeidet",
]
GUIDE_LABELS_NN = [
    "Målsetjinga for tiltaket",
    "Kva tiltaket skal bestå i",
    "Koordinator for arbeidet med utviklingstiltaket",
    "Hovudarena for diskusjon og konkretisering av tiltaket (ressursteam eller trinnteam)",
    "Kven som skal delta i den praktiske utprøvinga av tiltaket",
    "Tidsramme og framdriftsplan for arbeidet",
]
GUIDE_LABELS_EN = [
    "Goal of the measure",
    "What the measure will consist of",
    "Coordinator of the work on the development measure",
    "Main arena for discussing and concretising the measure (resource team or grade team)",
    "Who will take part in the practical trial of the measure",
    "Time frame and progress plan for the work",
]
PLACEHOLDER = "Fylles ut av styringsgruppen"
WARNING = "Veilederen anbefaler at koordinator ikke er trinnleder, slik at flere får ansvar."
APPENDIX = "Vedlegg: innspill fra konferansen"
TITLES = [
    "Faste møter mellom lærere og helsesykepleier",
    "Drøftingsmøter med barnevernet uten navn",
    "PPT med i ressursteamet fra høsten",
]


@pytest.fixture
def sample() -> InitiativesReport:
    return make_sample_initiatives()


@pytest.fixture
def doc(sample: InitiativesReport, read_docx: Reader) -> DocxDocument:
    return read_docx(build_initiatives(sample))


# -- reading helpers ---------------------------------------------------------------------------------


def form_tables(doc: DocxDocument, first_label: str = GUIDE_LABELS_NB[0]) -> list[Table]:
    return [t for t in doc.tables if t.rows[0].cells[0].text == first_label]


def table_after(blocks: list[Block], text: str) -> Table:
    for i, block in enumerate(blocks):
        if isinstance(block, Paragraph) and block.text == text:
            nxt = blocks[i + 1]
            assert isinstance(nxt, Table), f"no table after {text!r}"
            return nxt
    raise AssertionError(f"{text!r} not found")


def form_value(doc: DocxDocument, initiative: int, row: int) -> str:
    return form_tables(doc)[initiative].rows[row].cells[1].text


# -- title page --------------------------------------------------------------------------------------


def test_title_page_names_the_conference_and_says_it_is_no_referral_form(doc: DocxDocument) -> None:
    front, _ = sections(doc)
    title = [p for p in doc.paragraphs if p.style.name == "Title"]
    assert [p.text for p in title] == ["Utviklingstiltak fra dialogkonferansen"]
    lines = texts(front)
    assert "Skole A" in lines
    assert "Dialogkonferanse 1 – Tverrfaglig samarbeid på Skole A" in lines
    facts = rows(tables(front)[0])
    assert facts == [
        ["Konferanse", "Dialogkonferanse 1 – Tverrfaglig samarbeid på Skole A"],
        ["Dato", "22. november 2026"],
        ["Nivå", "Skolenivå"],
        ["Skole", "Skole A"],
        ["Antall tiltak", "3"],
    ]
    scope = " ".join(lines)
    assert "plan for utviklingstiltak for hele skolen" in scope
    assert "Det er ikke et henvisningsskjema for enkeltelever." in scope
    assert rows(tables(front)[1]) == [
        ["Nr.", "Tiltak", "Status"],
        ["1", TITLES[0], "Foreslått"],
        ["2", TITLES[1], "Utkast"],
        ["3", TITLES[2], "Utkast"],
    ]


def test_title_page_for_a_municipal_conference_speaks_of_the_municipality(
    sample: InitiativesReport, read_docx: Reader
) -> None:
    doc = read_docx(build_initiatives(replace(sample, level="municipal", organisation="Kommune X")))
    front, _ = sections(doc)
    assert ["Kommune", "Kommune X"] in rows(tables(front)[0])
    assert ["Nivå", "Kommunenivå"] in rows(tables(front)[0])
    assert any("for skolene i kommunen" in line for line in texts(front))


def test_title_page_without_organisation_leaves_the_row_out(
    sample: InitiativesReport, read_docx: Reader
) -> None:
    doc = read_docx(build_initiatives(replace(sample, organisation="")))
    front, _ = sections(doc)
    assert [r[0] for r in rows(tables(front)[0])] == ["Konferanse", "Dato", "Nivå", "Antall tiltak"]


# -- one section per initiative ----------------------------------------------------------------------


def test_every_initiative_is_a_heading_1_on_a_new_page_then_the_appendix(doc: DocxDocument) -> None:
    assert heading1(doc) == [*TITLES, APPENDIX]
    blocks = list(doc.iter_inner_content())
    for title in [*TITLES, APPENDIX]:
        i = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text == title)
        heading = blocks[i]
        kicker = blocks[i - 1]
        assert isinstance(kicker, Paragraph)
        # the page break sits on the kicker line above the heading, or on the appendix heading itself
        assert kicker.paragraph_format.page_break_before or heading.paragraph_format.page_break_before
    assert [
        p.text for p in doc.paragraphs if p.text.startswith("Utviklingstiltak ") and " av " in p.text
    ] == [
        "Utviklingstiltak 1 av 3",
        "Utviklingstiltak 2 av 3",
        "Utviklingstiltak 3 av 3",
    ]


def test_each_form_has_the_six_labels_exactly_as_the_guide_names_them(doc: DocxDocument) -> None:
    forms = form_tables(doc)
    assert len(forms) == 3
    for table in forms:
        assert len(table.columns) == 2
        assert [row.cells[0].text for row in table.rows] == GUIDE_LABELS_NB


def test_form_values_come_from_the_initiative(doc: DocxDocument) -> None:
    assert form_value(doc, 0, 0).startswith("Elevene skal oppleve")
    assert form_value(doc, 0, 2) == "Deltaker 7, lærer 7. trinn"
    assert form_value(doc, 0, 4) == "Lærerne på 5.–7. trinn, helsesykepleier og sosiallærer"
    # a blank line in the text starts a new paragraph in the cell
    content_cell = form_tables(doc)[0].rows[1].cells[1]
    assert len(content_cell.paragraphs) == 2
    assert content_cell.paragraphs[1].text == "Etter hvert møte skriver koordinator en kort logg."


def test_main_arena_is_written_out(doc: DocxDocument) -> None:
    assert [form_value(doc, i, 3) for i in range(3)] == [
        "Trinnteam",
        "Ressursteam",
        "Ledermøtet, i samarbeid med PPT-leder",
    ]


def test_empty_fields_say_the_steering_group_fills_them_in(doc: DocxDocument, read_docx: Reader) -> None:
    third = form_tables(doc)[2]
    assert [row.cells[1].text for row in third.rows] == [
        "PPT skal bli en fast del av skolens ressursteam.",
        PLACEHOLDER,
        PLACEHOLDER,
        "Ledermøtet, i samarbeid med PPT-leder",
        PLACEHOLDER,
        PLACEHOLDER,
    ]
    placeholder_run = third.rows[1].cells[1].paragraphs[0].runs[0]
    assert placeholder_run.italic is True
    assert placeholder_run.font.color.rgb == RGBColor(0x80, 0x80, 0x80)
    # "other" with no text written is open as well
    ini = InitiativeData("Tiltak", main_arena="other")
    report = InitiativesReport("K", date(2026, 11, 22), "school", [ini])
    assert form_tables(read_docx(build_initiatives(report)))[0].rows[3].cells[1].text == PLACEHOLDER


def test_status_cluster_and_votes_are_shown_when_known(doc: DocxDocument) -> None:
    _, by_heading = sections(doc)
    first = texts(by_heading[TITLES[0]])
    assert "Status: Foreslått   ·   Klynge: «Helsesykepleier i trinnteamet»   ·   Stemmer: 14" in first
    third = texts(by_heading[TITLES[2]])
    assert "Status: Utkast" in third
    assert not [line for line in third if "Stemmer" in line or "Klynge" in line]


def test_pyramid_shows_all_three_levels_with_the_chosen_one_marked(doc: DocxDocument) -> None:
    _, by_heading = sections(doc)
    first = table_after(by_heading[TITLES[0]], "Nivå i tiltakspyramiden")
    assert rows(first) == [["☒ Forebyggende arbeid", "☐ Tidlig innsats", "☐ Individuell oppfølging"]]
    chosen_label = first.rows[0].cells[0].paragraphs[0].runs[1]
    assert chosen_label.bold is True
    assert not any(r.bold for r in first.rows[0].cells[1].paragraphs[0].runs)

    second = table_after(by_heading[TITLES[1]], "Nivå i tiltakspyramiden")
    assert rows(second) == [["☐ Forebyggende arbeid", "☒ Tidlig innsats", "☐ Individuell oppfølging"]]

    third_blocks = by_heading[TITLES[2]]
    third = table_after(third_blocks, "Nivå i tiltakspyramiden")
    assert rows(third) == [["☐ Forebyggende arbeid", "☐ Tidlig innsats", "☐ Individuell oppfølging"]]
    after = third_blocks[third_blocks.index(third) + 1]
    assert isinstance(after, Paragraph)
    assert after.text == PLACEHOLDER


def test_quality_checks_answer_ja_nei_or_not_assessed(doc: DocxDocument) -> None:
    _, by_heading = sections(doc)
    expected = {
        TITLES[0]: ["Ja", "Ja", "Ja"],
        TITLES[1]: ["Ja", "Ja", "Nei"],
        TITLES[2]: ["ikke vurdert", "ikke vurdert", "ikke vurdert"],  # never judged is not "no"
    }
    for title, answers in expected.items():
        table = table_after(by_heading[title], "Kvalitetskriterier")
        assert rows(table) == [
            ["Kriterium", "Oppfylt"],
            ["Tiltaket er reelt tverrfaglig", answers[0]],
            ["Tiltaket har en viss varighet", answers[1]],
            ["Tiltaket retter seg mot alle elever, ikke enkeltsaker", answers[2]],
        ]


def test_grade_team_leader_warning_appears_only_where_flagged(doc: DocxDocument) -> None:
    _, by_heading = sections(doc)
    warning = f"Merk: {WARNING}"
    assert warning in texts(by_heading[TITLES[1]])  # coordinator_is_grade_team_leader=True
    assert warning not in texts(by_heading[TITLES[0]])
    assert warning not in texts(by_heading[TITLES[2]])
    assert sum(p.text == warning for p in doc.paragraphs) == 1
    # right under the form, so it is read together with the coordinator field
    blocks = by_heading[TITLES[1]]
    form_at = next(
        i for i, b in enumerate(blocks) if isinstance(b, Table) and b._tbl is form_tables(doc)[1]._tbl
    )
    after = blocks[form_at + 1]
    assert isinstance(after, Paragraph)
    assert after.text == warning


# -- appendix ----------------------------------------------------------------------------------------


def test_appendix_lists_each_initiatives_sources_with_round_and_group(doc: DocxDocument) -> None:
    _, by_heading = sections(doc)
    appendix = by_heading[APPENDIX]
    first = table_after(appendix, f"Tiltak 1: {TITLES[0]}")
    r1, r2 = "Runde 1: Hva bør vi jobbe med?", "Runde 2: Hvordan organiserer vi arbeidet?"
    assert rows(first) == [
        ["Runde", "Bord", "Innspill"],
        [r1, "1", "Faste møter mellom trinnteam og helsesykepleier (til plenum)"],
        [r1, "1", "Felles språk for «tidlig innsats» – hva betyr det hos oss?"],
        [r1, "2", "Mer tid til samarbeid i årshjulet"],
        [r2, "1", "Plan per tiltak med tidsramme og framdriftsplan"],
    ]
    plenary = first.rows[1].cells[2].paragraphs[0].runs
    assert plenary[0].bold is True
    assert plenary[1].italic is True
    assert not first.rows[2].cells[2].paragraphs[0].runs[0].bold
    assert rows(table_after(appendix, f"Tiltak 3: {TITLES[2]}")) == [
        ["Runde", "Bord", "Innspill"],
        [r1, "1", "PPT med i ressursteamet fra høsten"],
    ]
    # the header row repeats when a long source list runs over a page
    assert first._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None


def test_initiative_without_sources_says_so_and_does_not_point_to_the_appendix(
    sample: InitiativesReport, read_docx: Reader
) -> None:
    initiatives = [replace(sample.initiatives[0], sources=[SourceBulletData("  \x00 ", "Runde 1", 1)])]
    doc = read_docx(build_initiatives(replace(sample, initiatives=initiatives)))
    _, by_heading = sections(doc)
    assert "Ingen innspill er knyttet til tiltaket." in texts(by_heading[APPENDIX])
    assert not [line for line in texts(by_heading[TITLES[0]]) if "vedlegget" in line]


def test_report_without_initiatives_has_a_title_page_and_nothing_else(
    sample: InitiativesReport, read_docx: Reader
) -> None:
    doc = read_docx(build_initiatives(replace(sample, initiatives=[])))
    assert heading1(doc) == []
    front, _ = sections(doc)
    assert "Ingen tiltak er registrert ennå." in texts(front)
    assert ["Antall tiltak", "0"] in rows(tables(front)[0])


# -- text safety, languages, document properties ----------------------------------------------------


def test_norwegian_characters_survive(read_docx: Reader) -> None:
    title = "Æ Ø Å æ ø å – «sårbare overganger» på 8.–10. trinn"
    ini = InitiativeData(title, goal="Økt trivsel blant elevene på småtrinnet", coordinator="Åse Ødegård")
    report = InitiativesReport("Høstkonferansen på Ørje skole", date(2026, 11, 22), "school", [ini])
    doc = read_docx(build_initiatives(report))
    assert heading1(doc)[0] == title
    assert form_tables(doc)[0].rows[0].cells[1].text == "Økt trivsel blant elevene på småtrinnet"
    assert form_tables(doc)[0].rows[2].cells[1].text == "Åse Ødegård"
    assert doc.sections[0].header.paragraphs[0].text == "Høstkonferansen på Ørje skole"


def test_hostile_text_is_cleaned_and_kept_literal(read_docx: Reader) -> None:
    ini = InitiativeData(
        "<script>alert(1)</script>\x00\x0b",
        goal="Mål\x1b[31m med & og <b>",
        content="linje 1\r\nlinje 2\ud800",
        main_arena="other",
        main_arena_other="\x07Annet forum",
        sources=[SourceBulletData("<img src=x onerror=alert(1)>\x0c", "Runde\x01 1", 2, True)],
    )
    report = InitiativesReport(
        "<Konferanse>\x1f", date(2026, 11, 22), "school", [ini], organisation="\x08Skole"
    )
    data = build_initiatives(report)
    doc = read_docx(data)
    assert heading1(doc) == ["<script>alert(1)</script>", APPENDIX]
    form = form_tables(doc)[0]
    assert form.rows[0].cells[1].text == "Mål[31m med & og <b>"
    assert form.rows[1].cells[1].text == "linje 1\nlinje 2"
    assert form.rows[3].cells[1].text == "Annet forum"
    _, by_heading = sections(doc)
    appendix = table_after(by_heading[APPENDIX], "Tiltak 1: <script>alert(1)</script>")
    assert rows(appendix)[1] == ["Runde 1", "2", "<img src=x onerror=alert(1)> (til plenum)"]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml").decode()
    assert "&lt;script&gt;" in xml
    assert "<script>" not in xml


@pytest.mark.parametrize(
    ("lang", "labels", "placeholder", "yes", "appendix", "title"),
    [
        ("nn", GUIDE_LABELS_NN, "Fyllast ut av styringsgruppa", "Ja", "Vedlegg: innspel frå konferansen",
         "Utviklingstiltak frå dialogkonferansen"),
        ("en", GUIDE_LABELS_EN, "To be filled in by the steering group", "Yes",
         "Appendix: input from the conference", "Development measures from the dialogue conference"),
    ],
)  # fmt: skip
def test_nynorsk_and_english_labels(
    sample: InitiativesReport,
    read_docx: Reader,
    lang: str,
    labels: list[str],
    placeholder: str,
    yes: str,
    appendix: str,
    title: str,
) -> None:
    doc = read_docx(build_initiatives(sample, lang))
    forms = form_tables(doc, labels[0])
    assert len(forms) == 3
    for table in forms:
        assert [row.cells[0].text for row in table.rows] == labels
    assert forms[2].rows[1].cells[1].text == placeholder
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [title]
    assert heading1(doc) == [*TITLES, appendix]
    assert yes in [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert not [p.text for p in doc.paragraphs if p.text == WARNING or PLACEHOLDER in p.text]


def test_core_properties_header_and_page_fields(doc: DocxDocument, sample: InitiativesReport) -> None:
    props = doc.core_properties
    assert (
        props.title
        == "Utviklingstiltak fra dialogkonferansen – Dialogkonferanse 1 – Tverrfaglig samarbeid på Skole A"
    )
    assert props.subject == "Utviklingstiltak fra dialogkonferansen"
    assert props.language == "nb-NO"
    assert props.category == "Skolenivå"
    assert props.author == ""
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == sample.conference_title
    footer = section.footer.paragraphs[0]
    instructions = [el.text.strip() for el in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Side ")
    # Norwegian proofing language in the style defaults, so Word does not spell-check as English
    langs = {el.get(qn("w:val")) for el in doc.styles.element.iter(qn("w:lang"))}
    assert "nb-NO" in langs


def test_language_tag_follows_lang(sample: InitiativesReport, read_docx: Reader) -> None:
    assert read_docx(build_initiatives(sample, "nn_NO")).core_properties.language == "nn-NO"
    assert read_docx(build_initiatives(sample, "en")).core_properties.language == "en-GB"
    with pytest.raises(ValueError, match="unsupported export language"):
        build_initiatives(sample, "de")


# -- one initiative per file -------------------------------------------------------------------------


def test_build_initiative_gives_exactly_one_initiative(sample: InitiativesReport, read_docx: Reader) -> None:
    doc = read_docx(build_initiative(sample, 1))
    assert heading1(doc) == [TITLES[1], APPENDIX]
    assert len(form_tables(doc)) == 1
    assert [p for p in doc.paragraphs if p.style.name == "Title"] == []  # a heading block, not a title page
    front, by_heading = sections(doc)
    lines = texts(front)
    assert lines[0] == "Utviklingstiltak fra dialogkonferansen"
    assert "Dato: 22. november 2026" in lines[1]
    assert any("ikke et henvisningsskjema for enkeltelever" in line for line in lines)
    assert "Utviklingstiltak 2 av 3" in lines
    assert f"Merk: {WARNING}" in texts(by_heading[TITLES[1]])
    appendix = by_heading[APPENDIX]
    assert [p for p in texts(appendix) if p.startswith("Tiltak ")] == [f"Tiltak 2: {TITLES[1]}"]
    assert len(tables(appendix)) == 1
    assert doc.core_properties.title.startswith(TITLES[1])


def test_build_initiative_rejects_an_index_out_of_range(sample: InitiativesReport) -> None:
    with pytest.raises(IndexError, match="out of range"):
        build_initiative(sample, 3)
    with pytest.raises(IndexError):
        build_initiative(sample, -1)


# -- LibreOffice ---------------------------------------------------------------------------------------


def test_libreoffice_lays_out_both_documents_with_page_numbers(
    sample: InitiativesReport, tmp_path: Path
) -> None:
    all_docx = tmp_path / "tiltak.docx"
    one_docx = tmp_path / "tiltak-2.docx"
    all_docx.write_bytes(build_initiatives(sample))
    one_docx.write_bytes(build_initiative(sample, 1))
    all_pdf, one_pdf = soffice_to_pdf([all_docx, one_docx], tmp_path)

    text = pdf_text(all_pdf)
    # title page, three forms, appendix: five pages, the fields computed by the layout engine
    assert "Side 1 av 5" in text
    assert "Side 5 av 5" in text
    assert "Utviklingstiltak fra dialogkonferansen" in text
    assert "Målsettingen for tiltaket" in text
    assert "☒ Forebyggende" in text  # the ballot box found a font with the glyph (the label may wrap)
    assert "Vedlegg: innspill fra konferansen" in text
    one = pdf_text(one_pdf)
    assert "Side 1 av " in one
    assert TITLES[1] in one
    assert TITLES[0] not in one
