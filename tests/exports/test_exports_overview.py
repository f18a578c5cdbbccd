"""The school owner's overview as Word: the builder on plain data (counts, chart table, plan, flags,
hostile text, three languages), and `confapp overview` on the demo municipality, rendered by LibreOffice."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from readback import heading1, pdf_text, rows, sections, soffice_to_pdf, tables
from support import LiveServer

from exports.overview import build_overview
from exports.overview_data import OverviewMeasure, OverviewReport, PlanStepData, SchoolData
from exports.overview_labels import OVERVIEW_LABELS

STATUSES = [
    "draft",
    "concretised",
    "decided",
    "in_trial",
    "evaluated",
    "daily_operation",
    "adjusted",
    "stopped",
]


def sample() -> OverviewReport:
    chart = {lv: dict.fromkeys(STATUSES, 0) for lv in ("preventive", "early", "individual", "")}
    chart["preventive"]["in_trial"] = 1
    chart["individual"]["draft"] = 1
    return OverviewReport(
        organisation="Eksempel kommune",
        as_of=date(2026, 12, 1),
        year=2026,
        schools=[
            SchoolData(
                "Nordli skole",
                [OverviewMeasure("Faste møtepunkter", "in_trial", "preventive", "Sosiallærer")],
                with_coordinator=1,
                with_forum=1,
                plan=[
                    PlanStepData("dk1_school", "held", "DK1 Nordli", date(2026, 9, 1)),
                    PlanStepData("dk2_school", "missing"),
                ],
            ),  # fmt: skip
            SchoolData(
                "Vestre \x00skole \u202eRTL",
                [
                    OverviewMeasure(
                        "Oppfølging \x0bav én elev",
                        "draft",
                        "individual",
                        "",
                        ["no_coordinator", "not_all_pupils"],
                    )
                ],
            ),  # fmt: skip
        ],
        statuses=STATUSES,
        chart=chart,
    )


def test_the_overview_has_counts_chart_plan_and_flags() -> None:
    doc = Document(io.BytesIO(build_overview(sample(), "nb")))
    assert heading1(doc)[:2] == ["Tall per skole", "Tiltak etter nivå i tiltakspyramiden og status"]
    _, by_heading = sections(doc)
    counts = rows(tables(by_heading["Tall per skole"])[0])
    assert counts[1] == ["Nordli skole", "1", "1", "1", "0"]
    assert counts[2][1:] == ["1", "0", "0", "1"]
    chart = rows(tables(by_heading["Tiltak etter nivå i tiltakspyramiden og status"])[0])
    assert chart[0] == [
        "Status", "Forebyggende arbeid", "Tidlig innsats", "Individuell oppfølging", "Ikke plassert", "Sum",
    ]  # fmt: skip
    assert chart[1:] == [["Utkast", "0", "0", "1", "0", "1"], ["Under utprøving", "1", "0", "0", "0", "1"]]
    nordli = by_heading["Nordli skole"]
    plan, measures = tables(nordli)
    assert rows(plan)[1] == ["DK1 skole: DK1 Nordli", "Gjennomført", "01.09.2026"]
    assert rows(plan)[2] == ["DK2 skole", "Mangler", "–"]
    assert rows(measures)[1] == ["Faste møtepunkter", "Under utprøving", "Forebyggende arbeid", "–"]
    vestre = next(v for k, v in by_heading.items() if k.startswith("Vestre"))
    assert rows(tables(vestre)[0])[1][3] == "ingen koordinator, rettet mot enkeltelever"


def test_every_language_has_the_same_overview_labels() -> None:
    assert OVERVIEW_LABELS["nn"].keys() == OVERVIEW_LABELS["nb"].keys() == OVERVIEW_LABELS["en"].keys()
    doc = Document(io.BytesIO(build_overview(sample(), "en")))
    assert heading1(doc)[0] == "Counts per school"


def test_confapp_overview_writes_the_demo_municipality_and_libreoffice_renders_it(
    tmp_path: Path, artifacts: Path
) -> None:
    cli = LiveServer(tmp_path, f"sqlite:///{tmp_path / 'cli.sqlite'}")
    last = cli.cli("demo", "--municipality").strip().splitlines()[-1]
    assert last.startswith("organisation: ")
    target = tmp_path / "oversikt.docx"
    cli.cli("overview", last.split(": ")[1], "--out", str(target))
    doc = Document(str(target))
    assert heading1(doc)[2:] == ["Nordli skole", "Sørbyen skole", "Vestre skole"]
    (pdf,) = soffice_to_pdf([target], tmp_path)
    text = pdf_text(pdf)
    for words in ("Skoleeiers oversikt", "Tall per skole", "Vestre skole", "koordinator er trinnleder"):
        assert words in text
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is needed to render the PDF"
    page_one = [pdftoppm, "-png", "-r", "60", "-singlefile", str(pdf), str(artifacts / "pdf-overview")]
    subprocess.run(page_one, check=True, timeout=60)
    with pytest.raises(AssertionError, match="No organisation with id 999"):
        cli.cli("overview", "999", "--out", str(tmp_path / "x.docx"))
