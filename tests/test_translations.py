"""The Norwegian catalogues are complete, well-formed, compiled, and actually used by the app.

A developer who adds a UI string without translating it gets a failing test that names the string and
where it is. Fix: `scripts/i18n extract && scripts/i18n update`, translate the empty msgstr entries in
confapp/translations/{nb,nn}/LC_MESSAGES/messages.po, then `scripts/i18n compile` (see scripts/i18n).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask import Flask

REPO = Path(__file__).resolve().parents[1]
TRANSLATIONS = REPO / "confapp" / "translations"
LANGS = ["nb", "nn"]
# The same keywords scripts/i18n passes to `pybabel extract` (N_ marks service errors for later).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "N_": None}

# A printf conversion: %(name)s, %d, %% ... Translations must keep exactly the msgid's set, and must not
# add a stray '%': Jinja's new-style gettext applies `%` to every translated template string.
PLACEHOLDER = re.compile(r"%(?:\((?P<name>\w+)\))?[-#0 +]*\d*(?:\.\d+)?(?P<conv>[diouxXeEfFgGcrsa%])?")


def _mapping() -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    from babel.messages import frontend

    with open(REPO / "babel.cfg", encoding="utf-8") as f:
        return frontend.parse_mapping_cfg(f, filename="babel.cfg")


@cache
def extracted() -> dict[str | tuple[str, ...], list[str]]:
    """Every message the sources mark today, with where it occurs (what `scripts/i18n extract` finds)."""
    method_map, options_map = _mapping()
    found: dict[str | tuple[str, ...], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        REPO, method_map, options_map, keywords=KEYWORDS
    ):
        found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


@cache
def catalogue(lang: str) -> Catalog:
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def _translated(lang: str) -> Iterator[tuple[str | tuple[str, ...], str | tuple[str, ...]]]:
    for m in catalogue(lang):
        if m.id and m.string:
            yield m.id, m.string


def _strings(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _placeholders(text: str) -> Counter[str]:
    return Counter(
        f"%({m['name']}){m['conv']}" if m["name"] else f"%{m['conv']}" for m in PLACEHOLDER.finditer(text)
    )


def test_extraction_finds_the_ui_strings() -> None:
    """Guards the guard: babel.cfg really reaches the templates, the views and the N_() service errors."""
    found = extracted()
    assert "Log in" in found  # a Jinja template
    assert "You are at table %(n)s" in found  # participant_ui/strings.py
    assert "No conference has that code. Check the code on the screen." in found  # N_() in a service
    assert not any(
        loc.startswith(("confapp/grouping/", "confapp/clustering/"))
        for locs in found.values()
        for loc in locs
    )


@pytest.mark.parametrize("lang", LANGS)
def test_every_extracted_string_is_translated(lang: str) -> None:
    cat = catalogue(lang)
    missing = []
    for msgid, locations in sorted(extracted().items(), key=lambda kv: str(kv[0])):
        key = msgid if isinstance(msgid, str) else msgid[0]
        m = cat.get(key)
        if m is None:
            why = "not in the catalogue (run scripts/i18n extract && scripts/i18n update)"
        elif m.fuzzy:
            why = "marked fuzzy"
        elif not all(s.strip() for s in _strings(m.string)):
            why = "no translation"
        else:
            continue
        missing.append(f"  {msgid!r} ({', '.join(locations[:3])}): {why}")
    assert not missing, (
        f"{len(missing)} UI string(s) lack a {lang} translation in confapp/translations/{lang}/LC_MESSAGES/"
        "messages.po:\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_match(lang: str) -> None:
    wrong = []
    for msgid, msgstr in _translated(lang):
        wanted = _placeholders(_strings(msgid)[-1])
        forms = _strings(msgstr)
        for i, s in enumerate(forms):
            have = _placeholders(s)
            # A plural's singular form may leave out the count ("ett punkt"); everything else must match.
            ok = have == wanted or (i < len(forms) - 1 and not have - wanted)
            if not ok:
                wrong.append(f"  {msgid!r} -> {s!r}: {sorted(have)} != {sorted(wanted)}")
    assert not wrong, f"{lang}: translations whose %-placeholders differ from the msgid's:\n" + "\n".join(
        wrong
    )


@pytest.mark.parametrize("lang", LANGS)
def test_no_fuzzy_entries(lang: str) -> None:
    cat = catalogue(lang)
    fuzzy = [m.id for m in cat if m.id and m.fuzzy]
    assert not fuzzy, f"{lang}: fuzzy entries are not used by the app; review them: {fuzzy}"


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


@pytest.mark.parametrize("lang", LANGS)
def test_committed_mo_matches_po(lang: str) -> None:
    """The app reads the .mo files and they are committed (no compile step after a clone)."""
    mo_path = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo"
    assert mo_path.is_file(), f"{mo_path} is missing: run scripts/i18n compile"
    fresh = BytesIO()
    write_mo(fresh, catalogue(lang))
    fresh.seek(0)
    with open(mo_path, "rb") as f:
        committed = read_mo(f)
    # Plural entries (ngettext) have lists for id and string.
    want = {_key(m.id): _key(m.string) for m in read_mo(fresh) if m.id}
    have = {_key(m.id): _key(m.string) for m in committed if m.id}
    stale = sorted(str(k) for k in want.keys() | have.keys() if want.get(k) != have.get(k))
    assert not stale, f"{mo_path} is out of date with messages.po (run scripts/i18n compile): {stale[:10]}"


# --- the app really shows Norwegian -------------------------------------------------------------------


@pytest.fixture
def web(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """Like conftest's `app`, but without an app context held open: Flask-Babel caches the locale on `g`,
    which would otherwise be shared by every request of the test."""
    monkeypatch.setenv("CONFAPP_INSTANCE_PATH", str(tmp_path))
    from confapp import create_app
    from confapp.services import facilitators

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unit.sqlite'}",
            "SECRET_KEY": "unit-test",
            "SOCKETIO_ASYNC_MODE": "threading",
            "TESTING": True,
        }
    )
    with app.app_context():  # /login sends a first-time visitor to /setup until a facilitator exists
        facilitators.create(email="ordstyrer@example.no", name="Ordstyrer", password="hemmelig-passord")
    return app


def _page(app: Flask, path: str, **headers: str) -> tuple[int, str]:
    response = app.test_client().get(path, headers=headers)  # a fresh client: no language cookie
    return response.status_code, response.get_data(as_text=True)


def test_login_page_is_bokmal_by_default(web: Flask) -> None:
    status, html = _page(web, "/login")
    assert status == 200
    assert "Logg inn som ordstyrer" in html
    assert "Logg inn" in html and "Log in" not in html
    assert '<html lang="nb">' in html


def test_login_page_in_nynorsk_and_english_when_chosen(web: Flask) -> None:
    status, html = _page(web, "/login?lang=nn")
    assert status == 200
    assert "Logg inn som ordstyrar" in html
    assert '<html lang="nn">' in html

    status, html = _page(web, "/login", **{"Accept-Language": "nn-NO,nn;q=0.9"})
    assert "Logg inn som ordstyrar" in html

    status, html = _page(web, "/login?lang=en")
    assert status == 200
    assert "Log in as facilitator" in html
    assert "Logg inn" not in html


def test_service_error_is_shown_in_norwegian(web: Flask) -> None:
    """N_() messages from the services are translated where they are shown."""
    status, html = _page(web, "/j/ZZZZZZ")
    assert status == 404
    assert "Finner ingen konferanse med den koden. Sjekk koden på skjermen." in html

    status, html = _page(web, "/j/ZZZZZZ?lang=nn")
    assert "Finn ingen konferanse med den koden. Sjekk koden på skjermen." in html

    status, html = _page(web, "/j/ZZZZZZ?lang=en")
    assert "No conference has that code. Check the code on the screen." in html
