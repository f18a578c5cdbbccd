"""The stylesheet, inlined into the phone pages.

On a slow link every separate file costs a round trip before anything is painted: on DevTools' Slow 3G
the join page showed after 4.1 s with `app.css` as a file, one 2-s round trip after its HTML. Inlined
(13 KB, 0.25 s more on that link) the page needs one request. The CSP allows exactly this text by its
SHA-256, so inline styles stay forbidden. Facilitator pages keep the cached file.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

CSS = Path(__file__).parent.parent / "static" / "css" / "app.css"


@lru_cache(maxsize=4)
def _load(mtime_ns: int) -> tuple[str, str]:
    text = CSS.read_text(encoding="utf-8")
    if "</" in text:
        raise ValueError(f"{CSS} must not contain '</' to be inlined")
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return text, f"'sha256-{digest}'"


def _current() -> tuple[str, str]:
    return _load(CSS.stat().st_mtime_ns)  # a changed file is picked up, as Flask's static route does


def style_element() -> Markup:
    text, _ = _current()
    return Markup("<style>") + Markup(text) + Markup("</style>")  # our own file, checked above


def csp_source() -> str:
    """The CSP source that allows `style_element()` and nothing else inline."""
    return _current()[1]
