"""Cleaning what people type: one rule for every field, applied before anything is stored."""

from __future__ import annotations

import re
import unicodedata

from confapp.errors import N_, ServiceError

# Characters that show nothing but change what a name looks like or how it sorts: zero-width
# space/joiners, bidi marks, embeddings, overrides and isolates, the word joiner and invisible
# operators, the BOM, the Mongolian vowel separator, the soft hyphen, and the "blank" fillers
# (Hangul fillers, the blank braille pattern). Removed from names and from Word exports.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\u2800\u3164\ufeff\uffa0]"
)

# C0 controls except tab/newline, DEL, C1 controls, lone surrogates, non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(value: str, *, single_line: bool = True) -> str:
    value = unicodedata.normalize("NFC", value)
    value = _CONTROL.sub("", value)
    if single_line:
        value = " ".join(value.split())
    else:
        value = "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").split("\n")).strip()
    return value.strip()


def required(value: object, field: str, max_chars: int, *, single_line: bool = True) -> str:
    if not isinstance(value, str):
        raise ServiceError("invalid", N_("%(field)s must be text."), field=field)
    text = clean(value, single_line=single_line)
    if not text:
        raise ServiceError("empty", N_("%(field)s cannot be empty."), field=field)
    if len(text) > max_chars:
        raise ServiceError(
            "too_long",
            N_("%(field)s is too long: %(length)d characters, at most %(max)d."),
            field=field,
            length=len(text),
            max=max_chars,
        )
    return text


def optional(value: object, field: str, max_chars: int, *, single_line: bool = True) -> str:
    if value is None or (isinstance(value, str) and not clean(value)):
        return ""
    return required(value, field, max_chars, single_line=single_line)


def name(value: object, field: str, max_chars: int) -> str:
    """A person's display name: NFKC, no invisible or bidi characters, and something visible left.

    NFKC folds compatibility forms (full-width letters, ligatures, styled math letters) into plain
    ones, so "Ｋａｒｉ" is stored as "Kari". A name of only combining marks, fillers or spaces is empty.
    """
    if isinstance(value, str):
        value = INVISIBLE.sub("", unicodedata.normalize("NFKC", value))
    cleaned = required(value, field, max_chars)
    if not any(unicodedata.category(ch)[0] in "LNPS" for ch in cleaned):
        raise ServiceError("empty", N_("%(field)s cannot be empty."), field=field)
    return cleaned
