"""LibreOffice lays out the dossier, the status report and the årshjul: an office suite opens them.

One soffice run converts all four files (the fourth is a dossier full of hostile and very
long text). Page 1 of each is rendered to test-artifacts/ as PNG, to be looked at.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from exports.annual_calendar import build_annual_calendar
from exports.measure_data import LogEntryData, MeasureData, SourcePointData
from exports.measure_samples import make_sample_measures
from exports.measures import build_dossier, build_status_report

LONG_LOG = "Veldig lang logg fra utprøvingen. " * 900  # about 30 000 characters: more than a page


def test_libreoffice_converts_the_measure_documents_to_pdf(tmp_path: Path, artifacts: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; apt-get install libreoffice-writer-nogui")
    pdftotext, pdftoppm = shutil.which("pdftotext"), shutil.which("pdftoppm")
    assert pdftotext and pdftoppm, "poppler-utils is needed to read the PDFs back"
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
    for name, data in files.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    # A private profile per run: two LibreOffice processes sharing one profile block each other.
    profile = (tmp_path / f"lo-profile-{uuid.uuid4().hex}").as_uri()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *(str(tmp_path / f"{name}.docx") for name in files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    def pdf_text(name: str) -> str:
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.exists(), f"no {name}.pdf; soffice said: {result.stdout} {result.stderr}"
        assert pdf.read_bytes().startswith(b"%PDF-")
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(artifacts / f"pdf-{name}"),
            ],
            check=True,
            timeout=60,
        )
        assert (artifacts / f"pdf-{name}.png").stat().st_size > 5_000
        return subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
        ).stdout

    dossier = pdf_text("tiltaksmappe")
    assert "Faste møter mellom lærere og" in dossier
    assert "Side 1 av 3" in dossier and "Side 3 av 3" in dossier  # page fields computed by the layout
    assert "Målsettingen for tiltaket" in dossier and "Hva fungerer?" in dossier
    assert "☒ Forebyggende" in dossier

    report = pdf_text("statusrapport")
    assert "Statusrapport for utviklingstiltakene" in report
    assert "Under utprøving (1)" in report and "01.04.2027 (forfalt)" in report
    assert "Side 1 av " in report

    wheel = pdf_text("aarshjul")
    assert "Årshjul" in wheel and "August 2026" in wheel and "Juli 2027" in wheel
    assert "Side 1 av 1" in wheel  # a school year fits on one page, for the wall

    hostile_text = pdf_text("fiendtlig")
    assert "<b>kontrolltegn</b>" in hostile_text
    assert hostile_text.count("Veldig lang logg") > 800  # the long row broke over pages, nothing was clipped
    assert "Side 3 av " in hostile_text
