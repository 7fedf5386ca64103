"""Two-factor authentication is required of administrators, reviewers and auditors; idle sessions end."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

# Paths a privileged user may reach before completing two-factor enrolment: the
# account pages themselves (enrolment, code, log-out), the language switcher, assets.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/accounts/", "/status/")


def is_verified(user: object) -> bool:
    """True when this session proved the second factor (django-otp's OTPMiddleware sets is_verified)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


class RequireTwoFactorMiddleware:
    """Sends a privileged user whose session is not verified to enter a code, or to enrol."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and getattr(user, "requires_two_factor", False)
            and not is_verified(user)
        ):
            target = "accounts:verify" if user_has_device(user, confirmed=True) else "accounts:two_factor_setup"
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return redirect(f"{reverse(target)}?{query}" if query else reverse(target))
        return self.get_response(request)


class IdleSessionMiddleware:
    """Keeps a session alive while it is used, without writing it on every request.

    Sessions end after `SESSION_COOKIE_AGE` without activity. Saving the session on every
    request (Django's SESSION_SAVE_EVERY_REQUEST) would do that too, at the cost of a write
    (three statements) per page; here the session is saved again only when its last refresh
    is more than `YURD_SESSION_REFRESH_SECONDS` old, so the idle limit is kept to within
    that many seconds. Sits after SessionMiddleware, whose response phase then saves."""

    KEY = "_yurd_refreshed"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if session.session_key and not session.is_empty():
            now = int(time.time())
            refreshed = session.get(self.KEY)
            if not isinstance(refreshed, int) or now - refreshed >= settings.YURD_SESSION_REFRESH_SECONDS:
                session[self.KEY] = now
        return response
