"""LibreOffice lays out the dossier, the status report and the årshjul: an office suite opens them.

One soffice run converts all four files (the fourth is a dossier full of hostile and very
long text). Page 1 of each is rendered to test-artifacts/ as PNG, to be looked at.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

from readback import pdf_text, soffice_to_pdf

from exports.annual_calendar import build_annual_calendar
from exports.measure_data import LogEntryData, MeasureData, SourcePointData
from exports.measure_samples import make_sample_measures
from exports.measures import build_dossier, build_status_report

LONG_LOG = "Veldig lang logg fra utprøvingen. " * 900  # about 30 000 characters: more than a page


def test_libreoffice_converts_the_measure_documents_to_pdf(tmp_path: Path, artifacts: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is needed to render the PDFs"
    sample = make_sample_measures()
    hostile = MeasureData(
        id=99,
        title="Tiltak \x00med\x0b <b>kontrolltegn</b> \u202eRTL\u202c مرحبا 😀",
        status="in_trial",
        log=[LogEntryData(date(2027, 2, 1), LONG_LOG, "Alle", "Mye")],
        sources=[SourcePointData("Innspill 😀 مرحبا", "Konferanse", date(2026, 11, 22), 4)],
        warnings=["Varsel\x1b om noe"],
    )
    files = {
        "tiltaksmappe": build_dossier(sample, 0),
        "statusrapport": build_status_report(sample),
        "aarshjul": build_annual_calendar(sample, first_month=date(2026, 8, 1)),
        "fiendtlig": build_dossier(replace(sample, measures=[hostile]), 0),
    }
    paths = []
    for name, data in files.items():
        paths.append(tmp_path / f"{name}.docx")
        paths[-1].write_bytes(data)
    pdfs = dict(zip(files, soffice_to_pdf(paths, tmp_path, timeout=300), strict=True))

    def read(name: str) -> str:
        page_one = [
            pdftoppm,
            "-png",
            "-r",
            "60",
            "-singlefile",
            str(pdfs[name]),
            str(artifacts / f"pdf-{name}"),
        ]
        subprocess.run(page_one, check=True, timeout=60)
        assert (artifacts / f"pdf-{name}.png").stat().st_size > 5_000
        return pdf_text(pdfs[name])

    dossier = read("tiltaksmappe")
    assert "Faste møter mellom lærere og" in dossier
    assert "Side 1 av 3" in dossier and "Side 3 av 3" in dossier  # page fields computed by the layout
    assert "Målsettingen for tiltaket" in dossier and "Hva fungerer?" in dossier
    assert "☒ Forebyggende" in dossier

    report = read("statusrapport")
    assert "Statusrapport for utviklingstiltakene" in report
    assert "Under utprøving (1)" in report and "01.04.2027 (forfalt)" in report
    assert "Side 1 av " in report

    wheel = read("aarshjul")
    assert "Årshjul" in wheel and "August 2026" in wheel and "Juli 2027" in wheel
    assert "Side 1 av 1" in wheel  # a school year fits on one page, for the wall

    hostile_text = read("fiendtlig")
    assert "<b>kontrolltegn</b>" in hostile_text
    assert hostile_text.count("Veldig lang logg") > 800  # the long row broke over pages, nothing was clipped
    assert "Side 3 av " in hostile_text
