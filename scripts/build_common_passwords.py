#!/usr/bin/env python3
"""Rebuild confapp/common_passwords.txt from the zxcvbn package (PyPI, MIT licence).

Needs zxcvbn only here, not at run time:  python -m venv /tmp/zx && /tmp/zx/bin/pip install zxcvbn==4.5.0
&& /tmp/zx/bin/python scripts/build_common_passwords.py
"""

from __future__ import annotations

from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-not-found]

COUNT = 10_000
OUT = Path(__file__).resolve().parent.parent / "confapp" / "common_passwords.txt"
HEADER = """\
# The 10,000 most common passwords, most common first, one a line (lower case).
# From the `passwords` list of zxcvbn 4.5.0 on PyPI (MIT licence, (c) 2016 Daniel Wolf; the list
# itself comes from Dropbox's zxcvbn, built from Mark Burnett's public 10 million password set).
# Rebuild: scripts/build_common_passwords.py. Read by confapp/services/passwords.py.
"""

if __name__ == "__main__":
    OUT.write_text(HEADER + "".join(w + "\n" for w in FREQUENCY_LISTS["passwords"][:COUNT]))
    print(f"{OUT}: {COUNT} passwords")
