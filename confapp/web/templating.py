"""Template helpers shared by every blueprint."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask_babel import format_date, get_locale

from confapp.web import stylesheet


def current_lang() -> str:
    locale = get_locale()
    return str(locale.language) if locale else "nb"


def format_day(value: date) -> str:
    return format_date(value, "d. MMMM y")


def iso_day(value: str | None) -> str:
    """A day from a plain view's ISO date or timestamp, written as the pages write dates."""
    return format_day(date.fromisoformat(value[:10])) if value else ""


def init_app(app: Flask) -> None:
    app.jinja_env.globals["current_lang"] = current_lang
    app.jinja_env.globals["inline_stylesheet"] = stylesheet.style_element
    app.jinja_env.filters["format_day"] = format_day
    app.jinja_env.filters["iso_day"] = iso_day
