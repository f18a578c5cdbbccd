"""A measure's dossier and the steering group's status report, read back with python-docx."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph
from readback import Block, heading1, rows, sections, texts

from exports.labels import LABELS
from exports.measure_data import MEASURE_STATUSES, LogEntryData, MeasureData, MeasuresReport, SourcePointData
from exports.measure_labels import MEASURE_LABELS, measure_labels_for, status_label
from exports.measure_samples import DK1, DK2, make_sample_measures
from exports.measures import build_dossier, build_status_report, next_milestone

Reader = Callable[[bytes], DocxDocument]

NURSE = "Faste møter mellom lærere og helsesykepleier"
CHILD_WELFARE = "Drøftingsmøter med barnevernet uten navn"
# The statuses as the brief spells them, not imported from the labels, so a rewording fails here.
STATUS_WORDS = {
    "nb": [
        "utkast",
        "konkretisert",
        "vedtatt",
        "under utprøving",
        "evaluert",
        "daglig drift",
        "justeres",
        "avsluttet",
    ],
    "nn": [
        "utkast",
        "konkretisert",
        "vedteke",
        "under utprøving",
        "evaluert",
        "dagleg drift",
        "justerast",
        "avslutta",
    ],
    "en": [
        "draft",
        "concretised",
        "decided",
        "in trial",
        "evaluated",
        "daily operation",
        "adjusted",
        "stopped",
    ],
}
DOSSIER_HEADINGS = {
    "nb": [
        "Plan for tiltaket",
        "Vedtak og statusendringer",
        "Tidslinje",
        "Logg fra utprøvingen",
        "Evalueringer",
        "Innspill fra konferansene",
    ],
    "nn": [
        "Plan for tiltaket",
        "Vedtak og statusendringar",
        "Tidslinje",
        "Logg frå utprøvinga",
        "Evalueringar",
        "Innspel frå konferansane",
    ],
    "en": [
        "Plan for the measure",
        "Decisions and status changes",
        "Timeline",
        "Log of the trial",
        "Evaluations",
        "Input from the conferences",
    ],
}


@pytest.fixture
def sample() -> MeasuresReport:
    return make_sample_measures()


def only_table(blocks: list[Block]) -> Table:
    found = [b for b in blocks if isinstance(b, Table)]
    assert len(found) == 1, f"{len(found)} tables"
    return found[0]


# -- labels --------------------------------------------------------------------------------------------


def test_measure_labels_have_the_same_keys_in_every_language_and_never_shadow_shared_ones() -> None:
    keys = set(MEASURE_LABELS["nb"])
    assert set(MEASURE_LABELS) == set(LABELS)
    for lang, labels in MEASURE_LABELS.items():
        assert set(labels) == keys, lang
        assert all(labels.values()), lang
        assert not keys & set(LABELS[lang]), lang


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_every_status_has_the_word_the_users_use(lang: str) -> None:
    t = measure_labels_for(lang)
    assert [status_label(t, s) for s in MEASURE_STATUSES] == STATUS_WORDS[lang]
    assert status_label(t, "in_trial", capital=True) == STATUS_WORDS[lang][3].capitalize()


# -- dossier -------------------------------------------------------------------------------------------


def test_dossier_has_plan_decisions_timeline_log_evaluations_and_sources(
    sample: MeasuresReport, read_docx: Reader
) -> None:
    doc = read_docx(build_dossier(sample, 0))
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [NURSE]
    assert heading1(doc) == DOSSIER_HEADINGS["nb"]
    front, by = sections(doc)
    lines = texts(front)
    assert lines[0] == "Tiltaksmappe – Skole A"
    assert "Status: Evaluert" in lines[2] and "Koordinator: Deltaker 7, lærer 7. trinn" in lines[2]
    assert doc.sections[0].header.paragraphs[0].text == "Skole A"
    assert doc.core_properties.title == f"Tiltaksmappe – {NURSE}"

    plan = [b for b in by["Plan for tiltaket"] if isinstance(b, Table)]
    assert [r[0] for r in rows(plan[0])][0] == "Målsettingen for tiltaket"  # the initiative form's six points
    assert len(plan[0].rows) == 6
    assert rows(plan[0])[3][1] == "Trinnteam"
    assert rows(plan[1])[0][0].startswith("☒ Forebyggende arbeid")
    assert rows(plan[2])[1] == ["Tiltaket er reelt tverrfaglig", "Ja"]

    decisions = rows(only_table(by["Vedtak og statusendringer"]))
    assert decisions[0] == ["Dato", "Endring", "Hvem", "Begrunnelse og vedtak"]
    assert decisions[1] == ["22.11.2026", "Opprettet som utkast", "Fasilitator 1", "Laget på DK1."]
    assert decisions[3] == [
        "14.12.2026",
        "Fra konkretisert til vedtatt",
        "Rektor",
        "Tverrfaglig og for hele trinnet.\nVedtak: Styringsgruppemøte 14. desember, sak 12/26",
    ]
    assert decisions[4][3] == "ikke utfylt"  # no reason given: said so, not left blank

    timeline = rows(only_table(by["Tidslinje"]))
    days = [date(int(r[0][6:]), int(r[0][3:5]), int(r[0][:2])) for r in timeline[1:]]
    assert days == sorted(days)
    assert ["27.04.2027", "Evaluering", f"Evaluering: {DK2}"] in timeline
    assert ["10.06.2027", "Milepæl", "Styringsgruppen avgjør daglig drift (planlagt)"] in timeline
    assert ["11.01.2027", "Milepæl", "Første møte med helsesykepleier (nådd)"] in timeline
    assert ["27.04.2027", "Innspill", "Møtene fungerer, men kolliderer med prøveuker"] in timeline

    log = rows(only_table(by["Logg fra utprøvingen"]))
    assert log[0] == ["Dato", "Hva ble gjort", "Hvem deltok", "Hva lærte vi"]
    assert log[1] == [
        "11.01.2027",
        "Første møte: søvn og skjermbruk på 6. trinn.",
        "Trinnteam 6, helsesykepleier",
        "Elevene ville selv snakke om søvn.",
    ]

    evaluations = by["Evalueringer"]
    assert [p.text for p in evaluations if isinstance(p, Paragraph) and p.style.name == "Heading 2"] == [
        "Evaluering 27. april 2027"
    ]
    assert rows(only_table(evaluations)) == [
        ["Hva fungerer?", "Lærerne vet hvem de kan drøfte bekymringer med."],
        ["Hva bør justeres?", "Møtene bør legges til uker uten prøver."],
        ["Bør tiltaket bli en del av daglig drift?", "Ja, fra høsten 2027."],
        ["Deltakere", "Bord 3: lærere 5.–7. trinn, helsesykepleier, sosiallærer"],
        ["Konferanse", DK2],
    ]

    sources = rows(only_table(by["Innspill fra konferansene"]))
    assert sources[0] == ["Konferanse", "Dato", "Bord", "Innspill"]
    assert sources[1] == [DK1, "22.11.2026", "1", "Faste møter mellom trinnteam og helsesykepleier"]
    assert sources[3] == [DK2, "27.04.2027", "3", "Møtene fungerer, men kolliderer med prøveuker"]


def test_dossier_shows_rule_warnings_and_says_what_is_still_empty(
    sample: MeasuresReport, read_docx: Reader
) -> None:
    doc = read_docx(build_dossier(sample, 1))
    front, by = sections(doc)
    lines = texts(front)
    assert "Regelvarsler" in lines
    assert "• Koordinator er trinnleder; veilederen anbefaler en annen." in lines
    assert rows(only_table(by["Tidslinje"]))[1:3] == [
        ["22.11.2026", "Innspill", "Lavterskel kontakt med barnevernet"],
        ["01.02.2027", "Status", "Fra vedtatt til under utprøving"],
    ]
    assert ["01.04.2027", "Milepæl", "Første drøftingstime holdt (forfalt)"] in rows(
        only_table(by["Tidslinje"])
    )
    assert texts(by["Evalueringer"]) == ["Tiltaket er ikke evaluert ennå."]

    empty = read_docx(build_dossier(sample, 2))
    _, by = sections(empty)
    assert (
        rows([b for b in by["Plan for tiltaket"] if isinstance(b, Table)][0])[0][1]
        == "Fylles ut av styringsgruppen"
    )
    assert texts(by["Vedtak og statusendringer"]) == ["Ingen statusendringer er registrert."]
    assert texts(by["Tidslinje"]) == ["Ingenting er registrert ennå."]
    assert texts(by["Logg fra utprøvingen"]) == ["Ingen loggføringer ennå."]
    assert texts(by["Innspill fra konferansene"]) == ["Ingen innspill er knyttet til tiltaket."]
    assert "Regelvarsler" not in [p.text for p in empty.paragraphs]


def test_dossier_rejects_an_index_out_of_range(sample: MeasuresReport) -> None:
    with pytest.raises(IndexError, match="out of range"):
        build_dossier(sample, 5)
    with pytest.raises(IndexError):
        build_dossier(sample, -1)


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_dossier_in_nynorsk_and_english(sample: MeasuresReport, read_docx: Reader, lang: str) -> None:
    doc = read_docx(build_dossier(sample, 0, lang))
    assert heading1(doc) == DOSSIER_HEADINGS[lang]
    first_change = rows(doc.tables[3])[2][1]  # decisions: from draft to concretised
    expected = {"nn": "Frå utkast til konkretisert", "en": "From draft to concretised"}
    assert first_change == expected[lang]
    assert doc.core_properties.language == {"nn": "nn-NO", "en": "en-GB"}[lang]
    if lang == "en":
        assert rows(doc.tables[3])[1][0] == "22 Nov 2026"
        assert doc.sections[0].footer.paragraphs[0].text.startswith("Page ")


# -- status report ---------------------------------------------------------------------------------------


def test_status_report_counts_by_status_and_groups_every_measure(
    sample: MeasuresReport, read_docx: Reader
) -> None:
    doc = read_docx(build_status_report(sample))
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [
        "Statusrapport for utviklingstiltakene"
    ]
    front, by = sections(doc)
    assert "Dato: 10. mai 2027" in texts(front)[2]
    assert heading1(doc) == [
        "Antall tiltak etter status",
        "Utkast (1)",
        "Under utprøving (1)",
        "Evaluert (1)",
        "Daglig drift (1)",
        "Avsluttet (1)",
    ]
    summary = rows(only_table(by["Antall tiltak etter status"]))
    assert summary[0] == ["Status", "Antall"]
    assert [r[0] for r in summary[1:-1]] == [w.capitalize() for w in STATUS_WORDS["nb"]]
    assert [r[1] for r in summary[1:-1]] == ["1", "0", "0", "1", "1", "1", "0", "1"]
    assert summary[-1] == ["Totalt", "5"]

    in_trial = rows(only_table(by["Under utprøving (1)"]))
    assert in_trial[0] == ["Tiltak", "Koordinator", "Siste loggføring", "Neste milepæl"]
    assert in_trial[1] == [
        f"{CHILD_WELFARE}\nMerk: Koordinator er trinnleder; veilederen anbefaler en annen.\n"
        "Merk: Milepælen «Første drøftingstime holdt» er forfalt.",
        "Deltaker 1, trinnleder 5. trinn",
        "15.03.2027\nAvtale med barnevernet om tidspunkt.",
        "01.04.2027 (forfalt)\nFørste drøftingstime holdt",
    ]
    evaluated = rows(only_table(by["Evaluert (1)"]))[1]
    # the last entry by date, and the first milestone not yet reached
    assert evaluated[2] == "08.02.2027\nMøte om overgangen til ungdomsskolen."
    assert evaluated[3] == "10.06.2027\nStyringsgruppen avgjør daglig drift"
    assert rows(only_table(by["Utkast (1)"]))[1][1:] == ["ikke utfylt", "ingen logg ennå", "ingen planlagt"]


def test_status_report_shortens_a_long_last_log_entry_and_shows_unknown_statuses(
    sample: MeasuresReport, read_docx: Reader
) -> None:
    long_entry = LogEntryData(date(2027, 5, 1), "Lang tekst. " * 500)
    odd = MeasureData(id=9, title="Tiltak med ukjent status", status="paused", log=[long_entry])
    doc = read_docx(build_status_report(replace(sample, measures=[*sample.measures, odd])))
    _, by = sections(doc)
    assert heading1(doc)[-1] == "Paused (1)"
    cell = rows(only_table(by["Paused (1)"]))[1][2]
    assert cell.startswith("01.05.2027\nLang tekst.")
    assert cell.endswith("…") and len(cell) < 300
    assert rows(only_table(by["Antall tiltak etter status"]))[-2:] == [["Paused", "1"], ["Totalt", "6"]]


def test_status_report_without_measures(read_docx: Reader) -> None:
    doc = read_docx(build_status_report(MeasuresReport("Skole B", date(2027, 1, 1))))
    front, by = sections(doc)
    assert heading1(doc) == ["Antall tiltak etter status"]
    assert "Ingen utviklingstiltak er registrert ennå." in texts(by["Antall tiltak etter status"])
    assert rows(only_table(by["Antall tiltak etter status"]))[-1] == ["Totalt", "0"]


@pytest.mark.parametrize(
    ("lang", "title"),
    [("nn", "Statusrapport for utviklingstiltaka"), ("en", "Status report on the development measures")],
)
def test_status_report_in_nynorsk_and_english(
    sample: MeasuresReport, read_docx: Reader, lang: str, title: str
) -> None:
    doc = read_docx(build_status_report(sample, lang))
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [title]
    words = STATUS_WORDS[lang]
    assert heading1(doc)[1:] == [f"{words[i].capitalize()} (1)" for i in (0, 3, 4, 5, 7)]


def test_next_milestone_is_the_earliest_not_reached(sample: MeasuresReport) -> None:
    nurse, child_welfare, draft = sample.measures[:3]
    assert next_milestone(nurse).title == "Styringsgruppen avgjør daglig drift"  # type: ignore[union-attr]
    assert next_milestone(child_welfare).due == date(2027, 4, 1)  # type: ignore[union-attr]  overdue counts
    assert next_milestone(draft) is None


# -- hostile text --------------------------------------------------------------------------------------------


HOSTILE_TITLE = "<script>alert(1)</script>\x00\x0b Tiltak \u202eevil\u202c 😀 مرحبا بالعالم"
CLEAN_TITLE = "<script>alert(1)</script> Tiltak evil 😀 مرحبا بالعالم"


def test_hostile_text_is_cleaned_kept_literal_and_long_text_survives(
    sample: MeasuresReport, read_docx: Reader
) -> None:
    long_text = "Veldig lang logg. " * 1500  # about 27 000 characters
    measure = MeasureData(
        id="x\x00",
        title=HOSTILE_TITLE,
        status="in_trial",
        coordinator="\x1b[31mÅse\u200b Ødegård",
        goal="linje 1\r\nlinje 2\ud800 & <b>",
        log=[LogEntryData(date(2027, 2, 1), long_text, "\x07Alle", "\x0cIngenting\x1f")],
        sources=[
            SourcePointData("Innspill\x08 med \u2066skjult\u2069 retning", "<Konferanse>\x1f", None, None)
        ],
        warnings=["\x00", "Varsel\x0b med kontrolltegn"],
    )
    report = replace(sample, organisation="\x08Skole & <A>", measures=[measure])
    data = build_dossier(report, 0)
    doc = read_docx(data)
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [CLEAN_TITLE]
    assert doc.sections[0].header.paragraphs[0].text == "Skole & <A>"
    front, by = sections(doc)
    assert "Koordinator: [31mÅse Ødegård" in texts(front)[2]
    assert [line for line in texts(front) if line.startswith("•")] == ["• Varsel med kontrolltegn"]
    assert [b for b in by["Plan for tiltaket"] if isinstance(b, Table)][0].rows[0].cells[1].text == (
        "linje 1\nlinje 2 & <b>"
    )
    log = rows(only_table(by["Logg fra utprøvingen"]))[1]
    assert log[1] == long_text.strip()
    assert log[2:] == ["Alle", "Ingenting"]
    assert rows(only_table(by["Innspill fra konferansene"]))[1] == [
        "<Konferanse>",
        "ikke utfylt",
        "ikke utfylt",
        "Innspill med skjult retning",
    ]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml").decode()
    assert "&lt;script&gt;" in xml and "<script>" not in xml
    assert "\u202e" not in xml and "\x1b" not in xml

    report_doc = read_docx(build_status_report(report))
    _, by = sections(report_doc)
    title_cell = rows(only_table(by["Under utprøving (1)"]))[1][0]
    assert title_cell == f"{CLEAN_TITLE}\nMerk: Varsel med kontrolltegn"
