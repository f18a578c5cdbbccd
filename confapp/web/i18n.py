"""Languages: bokmål by default, nynorsk and English when chosen (`?lang=`, kept in a cookie)."""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_babel import Babel

LANG_COOKIE = "confapp_lang"


def select_locale() -> str:
    chosen = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in ("nb", "nn", "en"):
        g.confapp_lang_chosen = request.args.get("lang")
        return chosen
    # Norwegian browsers say nb/no/nn; anything else still gets bokmål, the product's language.
    best = request.accept_languages.best_match(["nn", "nb", "no"])
    return "nn" if best == "nn" else "nb"


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale, default_translation_directories="translations")

    @app.after_request
    def _remember_language(response: Response) -> Response:
        chosen = getattr(g, "confapp_lang_chosen", None)
        if chosen:
            response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response
