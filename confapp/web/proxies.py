"""Trust X-Forwarded-* headers from exactly `CONFAPP_TRUSTED_PROXIES` proxies in front of us (default 0).

Behind HAProxy the client address, scheme and host arrive in X-Forwarded-For/-Proto/-Host. Trusting them
from anyone would let a phone pick its own rate-limit bucket; ignoring them puts a whole hall into the
proxy's one bucket and builds http:// links behind TLS. Werkzeug's ProxyFix takes the right-most N
values, the ones our own proxies wrote. Flask-Limiter keys on `request.remote_addr`, which ProxyFix sets.
X-Forwarded-Port is not read: the proxy's Host header carries the port. The proxy must *set* (overwrite)
-Proto and -Host, or a client's own header would be taken for the proxy's (docs/deploy.md, HAProxy).
"""

from __future__ import annotations

import ipaddress

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix


def trusted_proxies(value: object) -> int:
    """The setting as a count, or a clear error at start-up."""
    try:
        count = int(str(value if value is not None else 0))
    except ValueError:
        count = -1
    if count < 0 or count > 10:
        raise RuntimeError(f"CONFAPP_TRUSTED_PROXIES must be a whole number from 0 to 10; got {value!r}.")
    return count


def init_app(app: Flask) -> None:
    """Wrap the whole WSGI app (Socket.IO included), so call it after everything else wrapped it."""
    count = trusted_proxies(app.config.get("TRUSTED_PROXIES"))
    app.config["TRUSTED_PROXIES"] = count
    if count:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_prefix=count
        )


def from_this_computer() -> bool:
    """Whether the client is this machine itself: loopback, or one of its own addresses (a browser here
    that opened the LAN address confapp printed). After ProxyFix a proxied client is judged by its own
    address, so a phone behind the proxy never is."""
    try:
        client = ipaddress.ip_address((request.remote_addr or "").split("%", 1)[0])
    except ValueError:
        return False
    if client.version == 6 and client.ipv4_mapped:  # a dual-stack socket reports IPv4 clients so
        client = client.ipv4_mapped
    if client.is_loopback:
        return True
    import psutil

    own = {a.address.split("%", 1)[0] for addrs in psutil.net_if_addrs().values() for a in addrs}
    return str(client) in own
