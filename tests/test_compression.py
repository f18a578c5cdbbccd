"""Static files go out compressed; pages and JSON (which hold secrets beside user text) do not."""

from __future__ import annotations

import brotli
from flask import Flask

STATIC = [
    "/static/vendor/socket.io-4.8.4.min.js",
    "/static/js/reducer.js",  # the largest module of the live layer (live.js only re-exports)
    "/static/css/app.css",
    "/static/phone/phone.js",
]


def test_scripts_and_styles_are_compressed_and_decode_to_the_file(app: Flask) -> None:
    client = app.test_client()
    for path in STATIC:
        plain = client.get(path, headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200 and "Content-Encoding" not in plain.headers, path
        packed = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert packed.status_code == 200, path
        assert packed.headers["Content-Encoding"] == "br", path
        assert "Accept-Encoding" in packed.headers["Vary"], path
        assert brotli.decompress(packed.get_data()) == plain.get_data(), path
        assert len(packed.get_data()) < 0.5 * len(plain.get_data()), path
        plain.close()
        packed.close()


def test_each_file_is_compressed_once(app: Flask) -> None:
    from confapp.web.compression import compress

    client = app.test_client()
    for _ in range(3):
        client.get(STATIC[0], headers={"Accept-Encoding": "br"}).close()
    assert compress.cache is not None
    keys = [k for k in compress.cache.items if STATIC[0] in k]
    assert len(keys) == 1 and keys[0].startswith("br;"), keys


def test_pages_and_json_are_not_compressed(app: Flask) -> None:
    client = app.test_client()
    for path in ("/setup", "/api/v1/openapi.json"):  # /setup: the first-run page, no account yet
        r = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert r.status_code == 200, path
        assert "Content-Encoding" not in r.headers, path
        r.close()
