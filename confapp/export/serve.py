"""Serving Word exports: the web's downloads and the CLI's files.

Served under gevent, the document is gathered and built in a child process (`confapp.export.worker`),
so live traffic keeps flowing; elsewhere (the CLI, unit tests) it is built in this process
(`confapp.export.build`). Only a child that died falls back to building here.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

from flask import Response, current_app

from confapp.errors import N_, Unavailable
from confapp.export.build import build_inline
from confapp.export.worker import ExportError, ExportFailed, ExportTimedOut, ExportWorker
from confapp.models import Conference, Initiative, Organisation

log = logging.getLogger(__name__)


def serving_under_gevent() -> bool:
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return False
    return bool(monkey.is_module_patched("socket"))


def worker() -> ExportWorker:
    """This server process's export child (one per app)."""
    ext = current_app.extensions
    if "confapp_export_worker" not in ext:
        ext["confapp_export_worker"] = ExportWorker(
            current_app.config["DATABASE_URL"], timeout=float(current_app.config["EXPORT_TIMEOUT"])
        )
    return ext["confapp_export_worker"]  # type: ignore[no-any-return]


def report_bytes(conf: Conference, lang: str = "nb") -> bytes:
    return _build({"what": "report", "conference_id": conf.id, "lang": lang})


def initiatives_bytes(conf: Conference, only: Initiative | None = None, lang: str = "nb") -> bytes:
    request = {"what": "initiatives", "conference_id": conf.id, "lang": lang}
    if only is not None:
        request["initiative_id"] = only.id
    return _build(request)


def measure_document_bytes(request: dict[str, Any]) -> bytes:
    """A measure document (`confapp.export.measures`), through the child like the Word exports."""
    return _build(request)


def overview_bytes(org: Organisation, year: int, lang: str = "nb") -> bytes:
    """The school owner's overview (`confapp.export.overview`), through the child like the Word exports."""
    return _build({"what": "overview", "organisation_id": org.id, "year": year, "lang": lang})


def forum_bytes(org: Organisation, lang: str = "nb") -> bytes:
    """The strategy forum's agenda and minutes (`confapp.export.forum`), through the child likewise."""
    return _build({"what": "forum", "organisation_id": org.id, "lang": lang})


def _build(request: dict[str, Any]) -> bytes:
    if serving_under_gevent():
        try:
            return worker().build(request)
        except ExportFailed:
            # The child died: nothing is lost by building it here instead (slower for the hall).
            log.exception("the export process died; building %s in the server", request)
        except ExportTimedOut:
            raise Unavailable(
                "export_timeout", N_("Making the Word document took too long. Try again in a minute.")
            ) from None
        except ExportError:
            # It would fail the same way here, and block every phone while it did.
            log.exception("the export process could not build %s", request)
            raise Unavailable("export_failed", N_("The Word document could not be made.")) from None
    return build_inline(request)


def filename(conf: Conference, what: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9æøåÆØÅ]+", "-", conf.title).strip("-")[:60] or "konferanse"
    return f"{slug}-{what}-{conf.held_on.isoformat()}.docx"


def initiatives_response(conf: Conference, only: Initiative | None, lang: str = "nb") -> Response:
    name = filename(conf, f"tiltak-{only.id}" if only is not None else "tiltak")
    return _docx(initiatives_bytes(conf, only, lang), name)


def report_response(conf: Conference, lang: str = "nb") -> Response:
    return _docx(report_bytes(conf, lang), filename(conf, "referat"))


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(data: bytes, name: str) -> Response:
    return download(data, name)


def download(data: bytes, name: str, mimetype: str = DOCX) -> Response:
    """The file as an attachment; the name's non-ASCII letters survive in filename* (RFC 6266)."""
    return Response(
        data,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{name.encode("ascii", "replace").decode()}"; '
            f"filename*=UTF-8''{quote(name)}"
        },
    )
