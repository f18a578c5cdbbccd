from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import qrcode
import qrcode.constants

from exports.qr import qr_svg, qr_svg_bytes

SVG = "{http://www.w3.org/2000/svg}"
JOIN_URL = "https://konferanse.example.no/bli-med/K7QX2M"


def reference_qr() -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(JOIN_URL)
    qr.make(fit=True)
    return qr


def dark_modules(svg: str, box_size: int = 10) -> set[tuple[int, int]]:
    """Module coordinates from the path qrcode draws: one "Mx,yH…V…H…z" square per dark module."""
    unit = box_size / 10
    path = ET.fromstring(svg).find(f"{SVG}path")
    assert path is not None
    return {
        (round(float(x) / unit), round(float(y) / unit))
        for x, y in re.findall(r"M([\d.]+),([\d.]+)H", path.get("d", ""))
    }


def test_qr_svg_is_a_scalable_svg_on_white() -> None:
    svg = qr_svg(JOIN_URL)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    side = reference_qr().modules_count + 2 * 4  # modules plus the four-module quiet zone each side
    assert root.get("viewBox") == f"0 0 {side} {side}"
    assert root.get("width") is None and root.get("height") is None
    rect = root.find(f"{SVG}rect")
    assert rect is not None and rect.get("fill") == "white"
    assert (rect.get("width"), rect.get("height")) == ("100%", "100%")
    assert len(root.findall(f"{SVG}path")) == 1
    assert not svg.startswith("<?xml")  # inline-able in HTML


def test_qr_svg_draws_exactly_the_error_correction_m_matrix() -> None:
    matrix = reference_qr().get_matrix()
    expected = {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
    assert dark_modules(qr_svg(JOIN_URL)) == expected


def test_box_size_only_changes_the_coordinate_unit() -> None:
    small, big = qr_svg(JOIN_URL), qr_svg(JOIN_URL, box_size=20)
    side = ET.fromstring(small).get("viewBox").split()[-1]
    assert ET.fromstring(big).get("viewBox") == f"0 0 {2 * int(side)} {2 * int(side)}"
    assert dark_modules(big, box_size=20) == dark_modules(small)


def test_qr_svg_escapes_the_url_in_its_title() -> None:
    url = 'https://example.no/j?a=1&b=<x>"'
    svg = qr_svg(url)
    assert "<x>" not in svg
    assert ET.fromstring(svg).find(f"{SVG}title").text == url


def test_qr_svg_bytes_is_a_utf8_svg_file() -> None:
    data = qr_svg_bytes(JOIN_URL)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert ET.fromstring(data).tag == f"{SVG}svg"
    assert data.decode("utf-8").endswith(qr_svg(JOIN_URL))


def test_qr_svg_scans_back_to_the_join_url(tmp_path: Path) -> None:
    rsvg = shutil.which("rsvg-convert")
    zbarimg = shutil.which("zbarimg")
    if rsvg is None or zbarimg is None:
        pytest.skip("needs rsvg-convert (apt librsvg2-bin) and zbarimg (apt zbar-tools) to render and decode")
    svg_path, png_path = tmp_path / "qr.svg", tmp_path / "qr.png"
    svg_path.write_bytes(qr_svg_bytes(JOIN_URL))
    subprocess.run(
        [rsvg, "--width", "400", "--background-color", "white", "-o", str(png_path), str(svg_path)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    decoded = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(png_path)], capture_output=True, text=True, timeout=60, check=True
    )
    assert decoded.stdout.strip() == JOIN_URL
