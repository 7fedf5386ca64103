"""OpenRosa plumbing: device authentication (HTTP Digest, or Basic over HTTPS), headers and documents."""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext

from yurd.accounts.models import User
from yurd.accounts.services import device_failure_record, device_failures_clear, device_locked
from yurd.fieldwork import digest
from yurd.fieldwork.models import DeviceCredential, DigestAlgorithm

OPENROSA_VERSION = "1.0"
XML_TYPE = "text/xml; charset=utf-8"
# Devices send a submission in several requests when its attachments exceed this.
MAX_CONTENT_LENGTH = 10 * 1024 * 1024


def realm() -> str:
    """The Digest realm; device passwords are bound to it (changing it means new device passwords)."""
    return str(getattr(settings, "YURD_OPENROSA_REALM", "Yurd"))


def basic_allowed() -> bool:
    """HTTP Basic with the device password: allowed (over HTTPS only) unless switched off."""
    return bool(getattr(settings, "YURD_OPENROSA_BASIC", True))


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


def _challenge(*, stale: bool = False) -> HttpResponse:
    response = openrosa_response("", status=401, content_type="text/plain")
    offers = digest.challenges(realm(), digest.make_nonce(settings.SECRET_KEY), stale=stale)
    if basic_allowed():
        offers.append(f'Basic realm="{realm()}"')
    # One header field with comma-separated challenges (RFC 9110 11.6.1): Django sends
    # each header name once.
    response["WWW-Authenticate"] = ", ".join(offers)
    return response


def _count_is_new(nonce: str, nc: str) -> bool:
    """Refuse a replayed request: each nonce's count must grow (kept as long as the nonce lives)."""
    try:
        count = int(nc, 16)
    except ValueError:
        return False
    key = f"fieldwork-digest-nc:{nonce}"
    shared = caches["shared"]  # every process sees the counts, or a replay to another one passes
    if count <= int(shared.get(key, 0)):
        return False
    # add() refuses a key that exists: of two requests racing with the same count, one wins.
    if not shared.add(f"{key}:{count}", 1, timeout=digest.NONCE_SECONDS * 2):
        return False
    shared.set(key, count, timeout=digest.NONCE_SECONDS * 2)
    return True


def _locked(username: str) -> HttpResponse | None:
    if device_locked(username=username):
        return message(
            gettext("Too many wrong device passwords: this device user is locked for a while. Ask an administrator."),
            status=429,
        )
    return None


def _wrong_password(username: str) -> HttpResponse:
    """Counted against the device user (shared cache); past the limit the device is locked."""
    device_failure_record(username=username)
    return _locked(username) or _challenge()


def _digest_user(request: HttpRequest, header: str) -> User | HttpResponse:  # noqa: PLR0911 - one refusal per check
    params = digest.parse_authorization(header)
    parsed = digest.read_request(params) if params is not None else None
    # Without qop there is no nonce count, so a captured request could be replayed for
    # the nonce's whole life: only qop=auth is accepted (every challenge offers it).
    if parsed is None or parsed.realm != realm() or parsed.qop != "auth":
        return _challenge()
    age = digest.nonce_age(settings.SECRET_KEY, parsed.nonce)
    if age is None or age < -5:
        return _challenge()
    # The uri the client signed must be this request's (a response for another URL is useless).
    if parsed.uri not in (request.get_full_path(), request.build_absolute_uri()):
        return _challenge()
    locked = _locked(parsed.username)
    if locked is not None:
        return locked
    user, credential = _device_user(parsed.username)
    if user is None or credential is None:
        return _wrong_password(parsed.username)
    if not digest.response_matches(parsed, ha1_hex=credential.ha1(parsed.algorithm), method=request.method or "GET"):
        return _wrong_password(parsed.username)
    if age > digest.NONCE_SECONDS:
        return _challenge(stale=True)
    if not _count_is_new(parsed.nonce, parsed.nc):
        return _challenge(stale=True)
    device_failures_clear(username=parsed.username)
    return user


def _basic_user(request: HttpRequest, header: str) -> User | HttpResponse:  # noqa: PLR0911 - one refusal per check
    if not basic_allowed():
        return _challenge()
    # The account password would cross the network readable: HTTPS only (or DEBUG).
    if not (request.is_secure() or settings.DEBUG):
        return message("HTTPS is required.", status=403)
    try:
        username, _sep, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return _challenge()
    locked = _locked(username)
    if locked is not None:
        return locked
    user, credential = _device_user(username)
    if user is None or credential is None:
        return _wrong_password(username)
    # The device password, never the account's: Digest's stored hash checks it.
    given = digest.ha1(DigestAlgorithm.SHA256, user.get_username(), realm(), password)
    if not constant_time_compare(given, credential.ha1(DigestAlgorithm.SHA256)):
        return _wrong_password(username)
    device_failures_clear(username=username)
    return user


def _device_user(username: str) -> tuple[User | None, DeviceCredential | None]:
    """The active user with a device password for this realm, or (None, None).

    Users whose role requires a second factor never authenticate as a device: a device
    password is one factor, so it would be a way around the code."""
    user = User.objects.filter(username=username, is_active=True).select_related("device_credential").first()
    credential = getattr(user, "device_credential", None) if user is not None else None
    if user is None or credential is None or credential.realm != realm() or user.requires_two_factor:
        return None, None
    return user, credential


def device_auth(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Authenticate a device by HTTP Digest with its device password, by Basic over HTTPS
    with the device password, or accept a logged-in browser session (Enketo).

    The account password never works here: it would be a log-in without the second factor."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            # A browser session comes with cookies, so it must bring the CSRF token as well
            # (the view is exempt only for devices, which authenticate every request).
            refused = CsrfViewMiddleware(lambda request: HttpResponse()).process_view(request, view, (), {})
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header[:7].lower() == "digest ":
            found = _digest_user(request, header)
        elif header.startswith("Basic "):
            found = _basic_user(request, header)
        else:
            return _challenge()
        if isinstance(found, HttpResponse):
            return found
        request.user = found
        return view(request, *args, **kwargs)

    return wrapper
