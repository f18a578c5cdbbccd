from __future__ import annotations

import io

import docx
import pytest

from exports.text import clean_text


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f"])
def test_clean_text_strips_xml_illegal_control_characters(bad: str) -> None:
    assert clean_text(f"før{bad}etter") == "føretter"


def test_clean_text_keeps_norwegian_letters_emoji_newlines_and_tabs() -> None:
    text = "Æ Ø Å æ ø å – «sitat» 👍🏽\nneste linje\tmed tab"
    assert clean_text(text) == text


def test_clean_text_removes_lone_surrogates_and_noncharacters() -> None:
    assert clean_text("a\ud800b\udfffc\ufffed\uffffe") == "abcde"


def test_clean_text_turns_crlf_and_cr_into_one_newline() -> None:
    assert clean_text("en\r\nto\rtre") == "en\nto\ntre"


@pytest.mark.parametrize("empty", ["", None])
def test_clean_text_of_nothing_is_empty_string(empty: str | None) -> None:
    assert clean_text(empty) == ""


def test_cleaned_text_is_accepted_by_python_docx() -> None:
    nasty = "".join(chr(c) for c in range(0x20)) + "\ud83d\ufffe\uffffæøå"
    document = docx.Document()
    with pytest.raises(ValueError):
        document.add_paragraph(nasty)  # the reason clean_text exists
    document.add_paragraph(clean_text(nasty))
    buf = io.BytesIO()
    document.save(buf)
    reread = docx.Document(io.BytesIO(buf.getvalue()))
    assert reread.paragraphs[-1].text.endswith("æøå")
