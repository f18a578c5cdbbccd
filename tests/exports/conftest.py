"""Fixtures for the export builder tests: build a report, read it back with python-docx."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
import pytest
from docx.document import Document as DocxDocument

from exports.data import ConferenceReport
from exports.report import build_report
from exports.samples import make_sample_report


@pytest.fixture
def sample_report() -> ConferenceReport:
    return make_sample_report()


@pytest.fixture
def read_docx() -> Callable[[bytes], DocxDocument]:
    def read(data: bytes) -> DocxDocument:
        return docx.Document(io.BytesIO(data))

    return read


@pytest.fixture
def sample_doc(sample_report: ConferenceReport, read_docx: Callable[[bytes], DocxDocument]) -> DocxDocument:
    return read_docx(build_report(sample_report))
