"""Word exports for the web and the CLI: gather in the request, build off the event loop."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from flask import Response
from flask_babel import force_locale, gettext

from confapp.models import Conference, Initiative
from confapp.services.reports import conference_report, initiatives_report
from exports.initiatives import build_initiative, build_initiatives
from exports.report import build_report

T = TypeVar("T")


def off_loop(fn: Callable[..., T], *args: Any) -> T:
    """Run CPU-heavy work in gevent's threadpool when serving, so live traffic keeps flowing."""
    try:
        from gevent import get_hub, monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return fn(*args)
    if not monkey.is_module_patched("socket"):
        return fn(*args)
    return get_hub().threadpool.apply(fn, args)  # type: ignore[no-any-return]


def report_bytes(conf: Conference, lang: str = "nb") -> bytes:
    data = conference_report(conf)
    if data.template_label:
        with force_locale(lang):
            data = dataclasses.replace(data, template_label=gettext(data.template_label))
    return off_loop(build_report, data, lang)


def filename(conf: Conference, what: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9æøåÆØÅ]+", "-", conf.title).strip("-")[:60] or "konferanse"
    return f"{slug}-{what}-{conf.held_on.isoformat()}.docx"


def initiatives_bytes(conf: Conference, only: Initiative | None = None, lang: str = "nb") -> bytes:
    data = initiatives_report(conf, only)
    if only is not None:
        return off_loop(build_initiative, data, 0, lang)
    return off_loop(build_initiatives, data, lang)


def initiatives_response(conf: Conference, only: Initiative | None, lang: str = "nb") -> Response:
    name = filename(conf, f"tiltak-{only.id}" if only is not None else "tiltak")
    return _docx(initiatives_bytes(conf, only, lang), name)


def report_response(conf: Conference, lang: str = "nb") -> Response:
    return _docx(report_bytes(conf, lang), filename(conf, "referat"))


def _docx(data: bytes, name: str) -> Response:
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={
            "Content-Disposition": f'attachment; filename="{name.encode("ascii", "replace").decode()}"; '
            f"filename*=UTF-8''{quote(name)}"
        },
    )
