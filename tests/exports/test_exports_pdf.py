"""Prove that an office suite can open and lay out the report, not just python-docx."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from readback import soffice_to_pdf

from exports.data import ConferenceReport
from exports.report import build_report


def test_report_converts_to_pdf_with_libreoffice(sample_report: ConferenceReport, tmp_path: Path) -> None:
    docx_path = tmp_path / "rapport.docx"
    docx_path.write_bytes(build_report(sample_report))

    (pdf,) = soffice_to_pdf([docx_path], tmp_path, timeout=120)

    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) > 5_000

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return  # the PDF exists; checking its text needs poppler-utils
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "Tverrfaglig samarbeid på Skole A" in text
    assert "Runde 1: Hva bør vi jobbe med?" in text
    # the PAGE/NUMPAGES fields were computed by the layout engine, not left at their cached "1"
    assert "Side 1 av 2" in text
    assert "Side 2 av 2" in text
