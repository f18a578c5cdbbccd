"""Word-building helpers shared by the export builders (conference report, initiative forms).

All exported documents share one house style: Arial everywhere, navy headings, A4 with
25 mm margins, the document title in the page header and "Side X av Y" in the footer,
tables in the "Light Grid Accent 1" style with fixed column widths. The helpers write
plain text straight into `w:t` and set styles by id, because python-docx's convenient
setters are slow on big documents (see the module docstring of `exports.report`).

Callers pass text through `exports.text.clean_text()` first; these helpers do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from exports.labels import LANGUAGE_TAGS

FONT = "Arial"  # on every office PC; LibreOffice maps it to the metric-equal Liberation Sans
NAVY = RGBColor(0x1F, 0x38, 0x64)
GREY = RGBColor(0x59, 0x59, 0x59)
TABLE_STYLE = "Light Grid Accent 1"

THEME_FONT_ATTRS = tuple(qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))
FONT_ATTRS = tuple(qn(f"w:{a}") for a in ("ascii", "hAnsi", "eastAsia", "cs"))


# -- runs and fields ---------------------------------------------------------------------------------


def run(paragraph: Paragraph, text: str) -> Run:
    """`paragraph.add_run(text)` without python-docx's character-by-character text setter.

    That setter exists to turn "\\n" and "\\t" into breaks and tabs; plain text (nearly
    every cell and bullet) goes straight into one `w:t`, which is several times faster.
    """
    if "\n" in text or "\t" in text or "\r" in text:
        return paragraph.add_run(text)
    r = paragraph._p.add_r()
    if text:
        r.add_t(text)
    return Run(r, paragraph)


def fill_header(row: _Row, labels: Sequence[str]) -> None:
    for cell, label in zip(row.cells, labels, strict=True):
        run(cell.paragraphs[0], label).bold = True


def styled_run(paragraph: Paragraph, text: str, *, size: float, color: RGBColor) -> Run:
    r = paragraph.add_run(text)
    r.font.size = Pt(size)
    r.font.color.rgb = color
    return r


def facts_line(paragraph: Paragraph, facts: Sequence[tuple[str, str]]) -> None:
    """ "Key: value   ·   Key: value" in small grey type: a document's facts on one line."""
    for n, (key, value) in enumerate(facts):
        if n:
            styled_run(paragraph, "   ·   ", size=9.5, color=GREY)
        styled_run(paragraph, f"{key}: ", size=9.5, color=GREY).bold = True
        styled_run(paragraph, value, size=9.5, color=GREY)


def add_field(paragraph: Paragraph, instruction: str, *, size: float, color: RGBColor) -> None:
    """Append a Word field (PAGE, NUMPAGES …) as the begin/instr/separate/result/end run sequence.

    python-docx has no field API. The cached result "1" is what a reader that does not
    update fields shows; Word and LibreOffice recompute it when they lay out pages.
    """

    def fld_char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        styled_run(paragraph, "", size=size, color=color)._r.append(el)

    fld_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    styled_run(paragraph, "", size=size, color=color)._r.append(instr)
    fld_char("separate")
    styled_run(paragraph, "1", size=size, color=color)
    fld_char("end")


# -- document skeleton -------------------------------------------------------------------------------


def add_para(doc: DocxDocument, text: str = "", style: BaseStyle | None = None) -> Paragraph:
    """Add a body paragraph; the style goes in by id (`paragraph.style = obj` scans all styles)."""
    p = doc.add_paragraph()
    if text:
        run(p, text)
    if style is not None:
        p._p.style = style.style_id
    return p


def apply_house_styles(doc: DocxDocument, lang: str) -> None:
    """One font everywhere, the proofing language of `lang`, sober navy headings, table cell air."""
    styles = doc.styles
    styles_el = styles.element
    # The template's styles point at theme fonts (Calibri/Cambria), which Word prefers over
    # explicit names; drop those pointers so that Arial wins everywhere.
    for rfonts in styles_el.iter(qn("w:rFonts")):
        for attr in THEME_FONT_ATTRS:
            rfonts.attrib.pop(attr, None)
        for attr in FONT_ATTRS:
            rfonts.set(attr, FONT)
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is not None:
        for lang_el in defaults.iter(qn("w:lang")):
            lang_el.set(qn("w:val"), LANGUAGE_TAGS[lang])
        for spacing in defaults.iter(qn("w:spacing")):  # template: 10 pt after, 1.15 lines
            spacing.set(qn("w:after"), "120")
            spacing.set(qn("w:line"), "264")

    # A little air above and below cell text; the template's table style has none.
    cell_margins = styles[TABLE_STYLE].element.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    if cell_margins is not None:
        for side in ("top", "bottom"):
            margin = cell_margins.find(qn(f"w:{side}"))
            if margin is not None:
                margin.set(qn("w:w"), "29")  # twips: about 0.5 mm

    title_font = styles["Title"].font
    title_font.size = Pt(22)
    title_font.color.rgb = NAVY
    for name, size, before in (("Heading 1", 16, 18), ("Heading 2", 13, 14), ("Heading 3", 11.5, 10)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = NAVY
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(4)


def setup_a4_page(doc: DocxDocument, header_text: str, page_prefix: str, page_middle: str) -> None:
    """A4 portrait, house margins, `header_text` right in the header, "Side X av Y" in the footer."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.header_distance = section.footer_distance = Mm(12)

    header_p = section.header.paragraphs[0]
    header_p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    styled_run(header_p, header_text, size=8.5, color=GREY)

    footer_p = section.footer.paragraphs[0]
    footer_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled_run(footer_p, page_prefix, size=8.5, color=GREY)
    add_field(footer_p, "PAGE", size=8.5, color=GREY)
    styled_run(footer_p, page_middle, size=8.5, color=GREY)
    add_field(footer_p, "NUMPAGES", size=8.5, color=GREY)


def set_core_properties(
    doc: DocxDocument, *, title: str, subject: str, lang: str, author: str = "", category: str = ""
) -> None:
    """Title, subject, language and dates; no leftovers from the template (thumbnail, revision)."""
    props = doc.core_properties
    props.title = title
    props.subject = subject
    props.language = LANGUAGE_TAGS[lang]
    props.author = author
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    props.category = category
    props.revision = 1
    now = datetime.now(UTC).replace(tzinfo=None)
    props.created = now
    props.modified = now
    # The template ships a thumbnail of an empty page that file browsers would show.
    package = doc.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[r_id]


def add_table(
    doc: DocxDocument,
    rows: int,
    widths: Sequence[int],
    *,
    first_row: bool = True,
    first_col: bool = False,
    banded_rows: bool = True,
    style: BaseStyle | None = None,
) -> Table:
    """An empty table with fixed column widths, the house style, and a repeating header row.

    `banded_rows=False` turns off the style's alternate-row shading (for forms, where every
    row is a field and stripes would suggest a grouping that is not there).
    """
    table = doc.add_table(rows=rows, cols=len(widths))
    tbl = table._tbl
    tbl.tblPr.style = (style or doc.styles[TABLE_STYLE]).style_id
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    look = tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        # Bold/shaded header row only where there is one; bold first column only where asked.
        look.set(qn("w:firstRow"), "1" if first_row else "0")
        look.set(qn("w:firstColumn"), "1" if first_col else "0")
        look.set(qn("w:noHBand"), "0" if banded_rows else "1")
        flags = (
            (0x20 if first_row else 0) | (0x80 if first_col else 0) | (0 if banded_rows else 0x200) | 0x400
        )
        look.set(qn("w:val"), f"{flags:04X}")
    for grid_col, width in zip(tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = width
    # Word takes widths from the cells, LibreOffice from the grid: set both.
    for tr in tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = width
    if first_row:
        tbl.tr_lst[0].get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    return table


def shade_cell(cell: _Cell, fill: str) -> None:
    """Give a cell a solid background, `fill` as hex RGB ("EEF2F7")."""
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = tc_pr.find(qn("w:shd"))
    if shd is None:
        shd = OxmlElement("w:shd")
        # CT_TcPr is a sequence; these come after w:shd.
        tc_pr.insert_element_before(
            shd,
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
            "w:headers",
            "w:cellIns",
            "w:cellDel",
            "w:cellMerge",
            "w:tcPrChange",
        )
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def keep_row_together(row: _Row) -> None:
    """Forbid a page break inside the row (a form field should not be split over two pages)."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))
