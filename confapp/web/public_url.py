"""The one public base URL that every link a phone or projector opens is built from.

A QR code that says `http://127.0.0.1:5000/j/ABC123` is useless in a hall: no phone can open it. So every
such link (QR code, poster, console, table cards, the API's `join_url` and `projector_url`) goes through
`external_url()`, which picks, in this order:

1. `CONFAPP_PUBLIC_URL` when set (behind a proxy: `https://konferanse.kommune.no`, maybe with a path prefix);
2. when `confapp serve` listens on all interfaces and no proxy is trusted: this machine's LAN address and
   port, looked up again on every call, so a laptop that moves to a phone hotspot gets a new QR code
   without a restart;
3. when `confapp serve` listens on one address: that address;
4. otherwise (gunicorn, a trusted proxy, tests in process): the address the request came in on, which
   `confapp.web.proxies` has already corrected from the trusted proxy's X-Forwarded-* headers.

`base().loopback_only` says when the chosen address is one only this computer can open; the console, the
poster and the terminal then say so.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request, url_for

LISTEN_KEY = "confapp_listen"  # app.extensions[LISTEN_KEY] = (host, port), set by `confapp serve`
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
# Interfaces that are rarely the one phones reach: container and VM bridges, VPN tunnels.
UNLIKELY_PREFIXES = (
    "docker",
    "br-",
    "virbr",
    "veth",
    "vmnet",
    "vboxnet",
    "tun",
    "tap",
    "wg",
    "zt",
    "tailscale",
)
ROUTE_TABLE = Path("/proc/net/route")


@dataclass(frozen=True)
class PublicBase:
    url: str  # scheme://host[:port][/prefix], no trailing slash
    loopback_only: bool  # True: only this computer can open it

    @property
    def https(self) -> bool:
        return self.url.startswith("https://")


def check_setting(value: object) -> str | None:
    """Return the normalised `CONFAPP_PUBLIC_URL` (no trailing slash), or raise with what is wrong."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(
            f"CONFAPP_PUBLIC_URL must look like https://konferanse.kommune.no or http://10.0.0.5:5000 "
            f"(optionally with a path, no ?query or #fragment); got {text!r}."
        )
    return text.rstrip("/")


def init_app(app: Flask) -> None:
    """Validate the setting and make the session cookies `Secure` when the public address is https."""
    app.config["PUBLIC_URL"] = check_setting(app.config.get("PUBLIC_URL"))
    if (app.config["PUBLIC_URL"] or "").startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True


def set_listen_address(app: Flask, host: str, port: int) -> None:
    """Called by `confapp serve`: where the server listens decides the default public address."""
    app.extensions[LISTEN_KEY] = (host, port)


def base() -> PublicBase:
    """The public base URL for the current app (and request, if any). See the module docstring."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return PublicBase(configured, _is_loopback(urlsplit(configured).hostname or ""))
    listen = current_app.extensions.get(LISTEN_KEY)
    if listen and not current_app.config.get("TRUSTED_PROXIES"):
        host, port = listen
        if host in WILDCARD_HOSTS:
            lan = lan_ipv4()
            return PublicBase(f"http://{lan or '127.0.0.1'}:{port}", lan is None)
        return PublicBase(f"http://{_bracket(host)}:{port}", _is_loopback(host))
    if has_request_context():
        return PublicBase(
            request.url_root.rstrip("/"), _is_loopback(urlsplit(request.url_root).hostname or "")
        )
    return PublicBase("http://127.0.0.1:5000", True)


def external_url(endpoint: str, **values: object) -> str:
    """`url_for(endpoint, _external=True)`, but on the public base URL instead of the request's host."""
    path = url_for(endpoint, **values)
    root = request.script_root if has_request_context() else ""
    if root and path.startswith(root + "/"):
        path = path[len(root) :]  # the base URL already carries the prefix
    return base().url + path


def is_https() -> bool:
    """Whether phones reach us over TLS: an https public URL, or a request a trusted proxy marked https."""
    # Cheap on purpose (runs on every response): only these two cases are https; the LAN address is not.
    if (current_app.config.get("PUBLIC_URL") or "").startswith("https://"):
        return True
    return has_request_context() and request.is_secure


def lan_ipv4() -> str | None:
    """This machine's best LAN IPv4 address, or None when it has only loopback.

    Reads the interface list and the routing table; it sends no traffic. Preference: the interface the
    default route leaves by, then a private (RFC 1918) address, then any other; container, VM and VPN
    interfaces last; link-local (169.254/16) never.
    """
    import psutil  # imported here: only `serve` and the views that show the address need it

    stats = psutil.net_if_stats()
    default_ifaces = _default_route_interfaces()
    candidates: list[tuple[tuple[int, int, int, int], str]] = []
    for order, (name, addrs) in enumerate(psutil.net_if_addrs().items()):
        if name in stats and not stats[name].isup:
            continue
        for addr in addrs:
            if addr.family != socket.AF_INET:
                continue
            ip = ipaddress.IPv4Address(addr.address)
            if ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast:
                continue
            rank = (
                0 if name in default_ifaces else 1,
                1 if name.startswith(UNLIKELY_PREFIXES) else 0,
                0 if ip.is_private else 1,
                order,
            )
            candidates.append((rank, str(ip)))
    return min(candidates)[1] if candidates else None


def _default_route_interfaces() -> set[str]:
    """Interfaces with a default route (Linux /proc/net/route; elsewhere an empty set)."""
    try:
        lines = ROUTE_TABLE.read_text().splitlines()[1:]
    except OSError:
        return set()
    return {
        f[0]
        for f in (line.split() for line in lines)
        if len(f) > 7 and f[1] == "00000000" and f[7] == "00000000"
    }


def _is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host
