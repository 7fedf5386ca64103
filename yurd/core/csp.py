"""Content-Security-Policy: only this site's own scripts, styles, images and connections.

`ContentSecurityPolicyMiddleware` gives every request a fresh `request.csp_nonce`
and sends the policy with it; a template that cannot avoid an inline <script> or
<style> writes `nonce="{{ request.csp_nonce }}"` on it. The context processor
`csp_nonce` puts the nonce in the context, where django-htmx's `{% htmx_script %}`
finds it. Production settings enable both (config/settings/production.py).

Inline event handlers (onclick=…) and `javascript:` links never run under it. Map
tiles are allowed from the origin of YURD_MAP_TILES, when it names a tile server (by
default none: maps draw the base map shipped under static/maps/).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in {"http", "https"} and parts.netloc else ""


def policy(nonce: str) -> str:
    tiles = _origin(getattr(settings, "YURD_MAP_TILES", ""))
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", f"'nonce-{nonce}'"],
        "style-src": ["'self'", f"'nonce-{nonce}'"],
        "style-src-elem": ["'self'", f"'nonce-{nonce}'"],
        # Style attributes (a map legend's swatch colour) cannot run code.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *([tiles] if tiles else [])],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    extra: dict[str, list[str]] = getattr(settings, "YURD_CSP_EXTRA", {})
    for directive, sources in extra.items():
        directives.setdefault(directive, []).extend(sources)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy(nonce)
        return response


def csp_nonce(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `csp_nonce` for templates and {% htmx_script %}."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
