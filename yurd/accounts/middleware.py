"""Two-factor authentication is required of administrators, reviewers and auditors."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

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
