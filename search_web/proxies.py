"""The client's real address and scheme behind the reverse proxies named in ``web.trusted_proxies``.

Werkzeug's ProxyFix believes a fixed number of ``X-Forwarded-*`` hops from anyone; here the hops are
believed only while they come from a trusted proxy: the request's peer must be one, and each address
of ``X-Forwarded-For`` read from the right is the client unless it is a trusted proxy too. A request
from anywhere else is passed on untouched, so a client cannot choose the address the login throttle
counts by sending the header itself.
"""
from __future__ import annotations

import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None


class TrustedProxyFix:
    """WSGI middleware: ProxyFix applied for as many hops as there are trusted proxies in the chain."""

    def __init__(self, app, trusted: tuple[str, ...]):
        self.app = app
        self.networks = [ipaddress.ip_network(n, strict=False) for n in trusted]
        self._fixes: dict[int, ProxyFix] = {}

    def trusted(self, address: str | None) -> bool:
        ip = _parse(address or "")
        return ip is not None and any(ip in net for net in self.networks)

    def hops(self, environ) -> int:
        """How many ``X-Forwarded-For`` entries, from the right, were added by trusted proxies."""
        if not self.networks or not self.trusted(environ.get("REMOTE_ADDR")):
            return 0
        chain = [a for a in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        hops = 0
        for address in reversed(chain):
            hops += 1
            if not self.trusted(address):
                break
        return hops

    def __call__(self, environ, start_response):
        hops = self.hops(environ)
        if not hops:
            return self.app(environ, start_response)
        fix = self._fixes.get(hops)
        if fix is None:
            fix = self._fixes[hops] = ProxyFix(self.app, x_for=hops, x_proto=1, x_host=0, x_port=0,
                                               x_prefix=0)
        return fix(environ, start_response)
