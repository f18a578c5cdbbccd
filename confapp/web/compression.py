"""Compressed static files: a phone's first visit is 98 KB as plain text, 42 KB compressed.

Only scripts, styles and SVG are compressed. HTML pages and JSON hold secrets (the CSRF token, a phone's
token) next to text a user typed, the mix that BREACH reads through compression; they are small anyway.
Flask-Compress picks brotli, zstd or deflate from the browser's Accept-Encoding and keeps ETags right.
Each file is compressed once per version (its mtime) and kept: 2,000 phones arriving at once must not
cost 8,000 brotli runs.
"""

from __future__ import annotations

import os
from collections import OrderedDict

from flask import Flask, Request, Response, current_app, request
from flask_compress import Compress
from werkzeug.security import safe_join

compress = Compress()

STATIC_TYPES = ["text/css", "text/javascript", "application/javascript", "image/svg+xml"]
NOT_CACHED = "-"


class _Cache:
    """Compressed bodies by (algorithm, path, mtime); bounded, and only for static files."""

    def __init__(self, size: int = 128):
        self.size = size
        self.items: OrderedDict[str, bytes] = OrderedDict()

    def get(self, key: str) -> bytes | None:
        return self.items.get(key)

    def set(self, key: str, value: bytes) -> None:
        if key.split(";", 1)[1].startswith(NOT_CACHED):
            return
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)


def _cache_key(req: Request) -> str:
    if not (req.endpoint or "").endswith("static") or not req.view_args:
        return NOT_CACHED
    owner = current_app.blueprints[req.blueprint] if req.blueprint else current_app
    folder = owner.static_folder
    path = safe_join(folder or "", req.view_args.get("filename", ""))
    if path is None or not os.path.isfile(path):
        return NOT_CACHED
    return f"{req.path}:{os.stat(path).st_mtime_ns}"


def _read_static_file(response: Response) -> Response:
    """A static file streams from disk; read it (closing the file) so that it can be compressed once."""
    if request.endpoint and request.endpoint.endswith("static") and response.direct_passthrough:
        response.direct_passthrough = False
        response.get_data()
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", STATIC_TYPES)
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", _Cache)
    app.config.setdefault("COMPRESS_CACHE_KEY", _cache_key)
    compress.init_app(app)
    # after_request functions run last-registered first: this one runs before Flask-Compress's.
    app.after_request(_read_static_file)

