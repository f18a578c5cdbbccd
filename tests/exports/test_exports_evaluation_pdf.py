"""The DK2 report's evaluation section as an office suite lays it out: `confapp demo --series` builds
the school's series, `confapp export` writes DK2's Word report, LibreOffice converts it to PDF, and
the PDF's text has, per evaluated measure in order, its heading, its status now, the tables that
evaluated it and the points those tables wrote (their answers to the guide's three questions)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from readback import pdf_text, sections, soffice_to_pdf
from support import LiveServer

SECTION = "Evaluering av tiltak"
QUESTIONS = "Hva fungerer? Hva bør justeres? Bør det bli daglig praksis?"


def flat(text: str) -> str:
    """One line of single spaces: the PDF wraps lines and pads table cells."""
    return " ".join(text.split())


def test_libreoffice_lays_out_the_dk2_reports_evaluation_section(tmp_path: Path) -> None:
    cli = LiveServer(tmp_path, f"sqlite:///{tmp_path / 'series.sqlite'}")
    printed = cli.cli("demo", "--series").strip().splitlines()
    dk2 = int(printed[-1].split(": ")[1])
    report = tmp_path / "dk2-rapport.docx"
    cli.cli("export", str(dk2), "--what", "report", "--out", str(report))

    # What the Word file says: the section's measures (Heading 2), their facts and their tables' points.
    _front, by_heading = sections(Document(str(report)))
    blocks = by_heading[SECTION]
    heads = list(by_heading)
    after = heads[heads.index(SECTION) + 1] if heads[-1] != SECTION else None  # where the section ends
    measures: list[dict[str, list[str] | str]] = []
    for block in blocks:
        style = getattr(block, "style", None)
        name = style.name if style is not None else ""
        if name == "Heading 2":
            measures.append({"title": block.text, "facts": [], "points": []})
        elif measures and hasattr(block, "rows"):
            measures[-1]["facts"] = [flat(" ".join(c.text for c in row.cells)) for row in block.rows]
        elif measures and name == "List Bullet" and block.text.strip():
            measures[-1]["points"].append(block.text)  # type: ignore[union-attr]
    assert len(measures) == 3, [m["title"] for m in measures]
    assert all(any(f.startswith("Status nå ") for f in m["facts"]) for m in measures)
    assert all(m["points"] for m in measures), "every evaluated measure has its table's answers"

    # What LibreOffice lays out: the same, in the same order, after the section's heading.
    (pdf,) = soffice_to_pdf([report], tmp_path, timeout=300)
    text = flat(pdf_text(pdf))
    start = text.index(f"{SECTION} {QUESTIONS}")
    # The points stand in the proceedings too: only the section itself counts.
    section = text[start : text.index(after, start)] if after else text[start:]
    at = 0
    for m in measures:
        for piece in [m["title"], *m["facts"], "Punkter fra bordet", *m["points"]]:
            found = section.find(flat(str(piece)), at)
            assert found >= 0, f"{piece!r} is missing from the PDF's evaluation section (after {at})"
            at = found
