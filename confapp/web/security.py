"""Response headers every page gets: a strict Content-Security-Policy (no inline scripts) and friends.

HSTS goes on every response when phones reach us over TLS (see `public_url.is_https`).
"""

from __future__ import annotations

from flask import Flask, Response

from confapp.web import public_url, stylesheet

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' {inline_css}; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
HSTS = "max-age=31536000"  # a year, as browsers' preload lists ask; no includeSubDomains: not our domain


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        # The one inline style allowed is the stylesheet the phone pages carry (confapp/web/stylesheet.py).
        response.headers.setdefault("Content-Security-Policy", CSP.format(inline_css=stylesheet.csp_source()))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if public_url.is_https():
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
