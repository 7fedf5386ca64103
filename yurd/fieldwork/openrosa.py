"""OpenRosa plumbing: HTTP Basic authentication for devices, headers and response documents."""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse

OPENROSA_VERSION = "1.0"
XML_TYPE = "text/xml; charset=utf-8"
# Devices send a submission in several requests when its attachments exceed this.
MAX_CONTENT_LENGTH = 10 * 1024 * 1024


def openrosa_response(body: str, *, status: int = 200, content_type: str = XML_TYPE) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["X-OpenRosa-Version"] = OPENROSA_VERSION
    response["X-OpenRosa-Accept-Content-Length"] = str(MAX_CONTENT_LENGTH)
    return response


def message(text: str, *, status: int) -> HttpResponse:
    body = (
        '<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
        f'<message nature="">{escape(text)}</message></OpenRosaResponse>'
    )
    return openrosa_response(body, status=status)


def _challenge() -> HttpResponse:
    response = openrosa_response("", status=401, content_type="text/plain")
    response["WWW-Authenticate"] = 'Basic realm="Yurd"'
    return response


def device_auth(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Authenticate a device by HTTP Basic (over HTTPS only), or accept a logged-in session.

    ODK Collect and Enketo send the user's name and password with every request; Basic
    over plain HTTP would expose them, so it is refused unless settings.DEBUG.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Basic "):
            return _challenge()
        if not (request.is_secure() or settings.DEBUG):
            return message("HTTPS is required.", status=403)
        try:
            username, _sep, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return _challenge()
        user = authenticate(request, username=username, password=password)
        if user is None or not user.is_active:
            return _challenge()
        request.user = user
        return view(request, *args, **kwargs)

    return wrapper
