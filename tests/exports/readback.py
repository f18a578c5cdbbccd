"""Reading exported Word files back: python-docx structure helpers and a LibreOffice PDF round trip.

Shared by the export tests so each test reads a document the same way (pytest puts this
folder on sys.path, as it does `tests/` for `support`).
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Sequence
from pathlib import Path

import pytest
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

Block = Paragraph | Table


def heading1(doc: DocxDocument) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]


def sections(doc: DocxDocument) -> tuple[list[Block], dict[str, list[Block]]]:
    """The blocks before the first Heading 1 (title page), and the blocks under each Heading 1."""
    front: list[Block] = []
    by_heading: dict[str, list[Block]] = {}
    current = front
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph) and block.style.name == "Heading 1":
            current = by_heading.setdefault(block.text, [])
            continue
        current.append(block)
    return front, by_heading


def texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Paragraph)]


def tables(blocks: list[Block]) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


def rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def soffice_to_pdf(docx_paths: Sequence[Path], outdir: Path, *, timeout: int = 180) -> list[Path]:
    """Convert the files with one headless LibreOffice run; skip the test if it is not installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; apt-get install libreoffice-writer-nogui")
    # A private profile per run: two LibreOffice processes sharing one profile block each other.
    profile = (outdir / f"lo-profile-{uuid.uuid4().hex}").as_uri()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, docx_paths),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pdfs = [outdir / (path.stem + ".pdf") for path in docx_paths]
    for pdf in pdfs:
        assert pdf.exists(), f"no {pdf.name}; soffice said: {result.stdout} {result.stderr}"
        assert pdf.read_bytes().startswith(b"%PDF-")
    return pdfs


def pdf_text(pdf: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "pdftotext (poppler-utils) is needed to read the PDF back"
    return subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
