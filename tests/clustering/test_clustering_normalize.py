"""Normalisation: missing æ/ø/å, abbreviations, nynorsk forms, compounds."""

from __future__ import annotations

import pytest

from confapp.clustering.normalize import analyse, fold, lemma_key, split_compound


@pytest.mark.parametrize(
    ("typed", "proper"),
    [
        ("moter", "møter"),
        ("forste", "første"),
        ("fravaer", "fravær"),
        ("naar", "når"),
        ("skolemiljo", "skolemiljø"),
    ],
)
def test_fold_makes_missing_letters_agree(typed: str, proper: str) -> None:
    assert fold(typed) == fold(proper)


@pytest.mark.parametrize("form", ["møter", "moter", "møtene", "motene", "møte"])
def test_meeting_forms_share_one_key(form: str) -> None:
    assert lemma_key(form) == lemma_key("møte")


@pytest.mark.parametrize(
    "form", ["hs", "HS", "helsesøster", "helsesykepleier", "helsesykepleieren", "helsesjukepleiaren"]
)
def test_school_nurse_spellings_share_one_key(form: str) -> None:
    assert lemma_key(form.lower()) == lemma_key("helsesykepleier")


@pytest.mark.parametrize(
    ("abbrev", "full"),
    [("bv", "barnevernet"), ("rt", "ressursteamet"), ("ppt", "pp-tjenesten"), ("9a", "9a")],
)
def test_abbreviations_expand(abbrev: str, full: str) -> None:
    assert lemma_key(abbrev) == lemma_key(full)


@pytest.mark.parametrize(
    ("nynorsk", "bokmaal"),
    [
        ("elevane", "elevene"),
        ("skulen", "skolen"),
        ("heime", "hjemme"),
        ("fråvær", "fravær"),
        ("treng", "trenger"),
    ],
)
def test_nynorsk_forms_meet_bokmaal(nynorsk: str, bokmaal: str) -> None:
    assert lemma_key(nynorsk) == lemma_key(bokmaal)


@pytest.mark.parametrize(
    ("compound", "parts"),
    [("foreldremote", ("foreldre", "mote")), ("ressursteammote", ("ressursteam", "mote"))],
)
def test_compounds_split_into_known_parts(compound: str, parts: tuple[str, ...]) -> None:
    assert split_compound(compound) == parts


def test_analyse_drops_function_words_and_adds_topics() -> None:
    an = analyse("Vi må reagere på fravaer tidligere, og ringe hjem første dag")
    assert "og" not in an.words and "vi" not in an.words
    assert "C_fravær" in an.concepts
    assert an.words.count(lemma_key("fravær")) == 1


def test_analyse_handles_hyphenated_abbreviations() -> None:
    an = analyse("PPT-rådgiveren og 9A-saker")
    assert lemma_key("ppt") in an.words
    assert "9a" in an.words
