"""The client's address, behind a configured number of trusted reverse proxies.

Behind nginx every request comes from 127.0.0.1: the client's address is in
X-Forwarded-For, where each proxy appends the address it received the request from.
Only the entries the trusted proxies appended can be believed (a client can send any
X-Forwarded-For it likes), so with `YURD_TRUSTED_PROXIES = n` the client is the n-th
entry from the right; with 0 (no proxy, the default) it is the connection's address.
The access log, django-axes (`AXES_CLIENT_IP_CALLABLE`) and the rate limits all use this.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = int(getattr(settings, "YURD_TRUSTED_PROXIES", 0))
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than trusted proxies: the request skipped one of them; the leftmost
    # entry is then the nearest thing to the client that a trusted proxy wrote.
    chosen = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
    return _valid(chosen) or remote
