"""Where a login may send the browser next: only a path on this site.

Browsers strip tabs and newlines from URLs and treat `\\` like `/`, so `/%09/evil.example/` becomes
`//evil.example/` (another host). A target is accepted only if it is a plain absolute path with no
such characters, no scheme and no host.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Printable ASCII without space, backslash, quotes and angle brackets; anything else is refused.
_SAFE_CHARS = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*")


def safe_next(target: str | None) -> str | None:
    """`target` if it is a relative path on this site, else None."""
    if not target or not _SAFE_CHARS.fullmatch(target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
