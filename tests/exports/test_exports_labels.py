from __future__ import annotations

from datetime import date

import pytest

from exports.labels import LABELS, LANGUAGE_TAGS, format_date, normalize_lang


def test_every_language_has_the_same_label_keys() -> None:
    keys = set(LABELS["nb"])
    for lang, labels in LABELS.items():
        assert set(labels) == keys, lang
        assert all(value for value in labels.values()), lang
    assert set(LANGUAGE_TAGS) == set(LABELS)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("nb", "22. november 2026"), ("nn", "22. november 2026"), ("en", "22 November 2026")],
)
def test_format_date_writes_the_long_local_form(lang: str, expected: str) -> None:
    assert format_date(date(2026, 11, 22), lang) == expected


def test_format_date_has_no_leading_zero_and_lowercase_norwegian_month() -> None:
    assert format_date(date(2027, 1, 5)) == "5. januar 2027"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("nb", "nb"), ("nb_NO", "nb"), ("no", "nb"), ("nn-NO", "nn"), ("NN", "nn"), ("en-GB", "en")],
)
def test_normalize_lang_accepts_locale_variants(given: str, expected: str) -> None:
    assert normalize_lang(given) == expected


def test_normalize_lang_rejects_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="unsupported export language"):
        normalize_lang("de")
