"""QR codes for the join URL, as SVG.

SVG because the code is shown on a projector and printed on a poster: it stays
sharp at any size, and qrcode's SVG path factory needs no Pillow. The code is a
single <path> on a white background (dark-mode pages and coloured posters would
otherwise swallow the quiet zone), with error correction M, which survives a
bit of glare on a projector screen.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.constants
from qrcode.compat.etree import ET  # lxml when installed, else the stdlib: match qrcode's own
from qrcode.image.svg import SvgPathFillImage


def qr_svg(url: str, *, box_size: int = 10) -> str:
    """Return a standalone-or-inline SVG element (no XML declaration) encoding `url`.

    It has a viewBox and no width/height, so it scales to whatever box it is put in:
    inline in HTML, `<img src=…>` with a CSS width, or a poster. `box_size` only sets the
    unit of the viewBox coordinates (10 → one unit per module), not the shown size.
    """
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=4,  # the quiet zone the standard asks for; scanners fail without it
        image_factory=SvgPathFillImage,
    )
    qr.add_data(url)
    qr.make(fit=True)
    img = qr.make_image()
    root = img.get_image()
    # qrcode writes width/height in mm, which pins the size; the viewBox alone lets it scale.
    for attr in ("width", "height"):
        root.attrib.pop(attr, None)
    root.set("shape-rendering", "crispEdges")  # no anti-aliased seams between modules
    root.set("role", "img")
    title = ET.Element("title")
    title.text = url
    root.insert(0, title)  # what screen readers announce, and a tooltip
    return ET.tostring(root, encoding="unicode")


def qr_svg_bytes(url: str, *, box_size: int = 10) -> bytes:
    """The same SVG as a UTF-8 file body with an XML declaration, for download or a file."""
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + qr_svg(url, box_size=box_size).encode("utf-8")


def qr_text(url: str, *, ansi: bool = False) -> str:
    """The QR code drawn with half-block characters, for the terminal `confapp serve` prints to.

    Scanners want dark modules on a light ground. Terminals differ (dark or light themes), so with
    `ansi` the lines carry explicit colours (white on black, inverted), which scan on any theme;
    without it (a log file) dark modules are plain full blocks.
    """
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    qr.add_data(url)
    qr.make(fit=True)
    out = io.StringIO()
    qr.print_ascii(out=out, invert=ansi)
    if not ansi:
        return out.getvalue()
    return "".join(f"\x1b[48;5;232m\x1b[38;5;255m{line}\x1b[0m\n" for line in out.getvalue().splitlines())
