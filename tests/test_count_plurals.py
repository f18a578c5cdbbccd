"""Counts of points on the console and the projector take the plural in bokmål ("0 punkter", "6 punkter").

Seen at 100 people: the projector's "who sits where" read "Bord 1 · 0 punkt" and "· 6 punkt" in bokmål,
because "N points" was one plain string. Nynorsk keeps "punkt" for every count; English says "point(s)".
"""

from __future__ import annotations

import pytest
from flask import Flask

from facilitator.strings import console_strings, projector_strings


@pytest.mark.parametrize(
    ("lang", "one", "other"),
    [
        ("nb", "%(n)s punkt", "%(n)s punkter"),
        ("nn", "%(n)s punkt", "%(n)s punkt"),
        ("en", "%(n)s point", "%(n)s points"),
    ],
)
def test_point_counts_have_both_plural_forms(app: Flask, lang: str, one: str, other: str) -> None:
    with app.test_request_context(f"/?lang={lang}"):
        for strings in (console_strings(), projector_strings()):
            assert strings["points"] == {"one": one, "other": other}
