"""The password rule: at least 12 characters, and not one of the most common passwords.

The list (confapp/common_passwords.txt) ships with the package; nothing is fetched at run time. A
password is refused if it, or its core without leading and trailing digits and symbols
("Sommer2024!!" → "sommer"), is on the list, or if it is one character repeated.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from confapp.errors import N_, ServiceError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing a megabyte per attempt would be a cheap way to burn the server's CPU
_LIST = Path(__file__).resolve().parent.parent / "common_passwords.txt"
_EDGES = "0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


@functools.cache
def common() -> frozenset[str]:
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def check(password: Any) -> str:
    """The password if it is acceptable; else a ServiceError saying why."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise ServiceError("weak", N_("The password must be at least %(n)d characters."), n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise ServiceError("too_long", N_("The password can be at most %(n)d characters."), n=MAX_LENGTH)
    lowered = password.lower()
    core = lowered.strip(_EDGES)
    if lowered in common() or core in common() or len(set(lowered)) == 1:
        raise ServiceError(
            "common", N_("That password is one of the most common ones. Choose one that is harder to guess.")
        )
    return password
