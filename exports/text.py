"""Make user text safe to put into Office XML.

Reporters type on phones; pasted text can carry control characters (\\x0b from
Word, \\x1b from terminals, \\x00 from broken clients) or lone surrogates. lxml and
therefore python-docx raise on those, which would make one bad bullet break the
whole export. Zero-width and bidi-control characters go too (they can make a name look like
another or reorder a line). Everything else, including æøå, emoji, newlines and tabs, is kept.
"""

from __future__ import annotations

import re

from confapp.services.text import INVISIBLE

# Characters XML 1.0 does not allow, plus the two noncharacters U+FFFE/U+FFFF.
# \t (\x09) and \n (\x0a) are allowed and kept; \r is normalised below.
# Any surrogate code point in a Python str is unpaired (a valid pair would have
# been decoded into one astral code point), so the whole range goes.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile("\r\n?")


def clean_text(text: str | None) -> str:
    """Return `text` with XML-illegal characters removed and newlines as "\\n".

    CR and CRLF become LF because python-docx turns each "\\r" and "\\n" into a
    line break, so a pasted CRLF would otherwise give two.
    """
    if not text:
        return ""
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    return INVISIBLE.sub("", _INVALID_XML.sub("", text))  # no hidden bidi overrides in the document
