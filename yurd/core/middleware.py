"""Requests no view can answer sensibly are refused before any view runs; personal
answers are never stored by browsers or shared caches."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class RefuseNulMiddleware:
    """A NUL character in the path or the query string is a 400.

    PostgreSQL cannot hold or compare text with NUL, so a code such as `/registry/households/%00/`
    or a filter `?q=%00` would otherwise end in a database error (500). Form fields already
    refuse NUL (Django's ProhibitNullCharactersValidator); paths and query strings reach
    lookups and API filters directly.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest(_("The address holds a NUL character."))
        return self.get_response(request)


class NoStoreForUsersMiddleware:
    """Every answer to a logged-in user (session or API token) carries
    `Cache-Control: private, no-store`.

    Those pages hold names, kinship and documents: no shared proxy may keep them, and the
    browser may not keep them on disk where the next person at a shared computer finds
    them with the back button. Sits after AuthenticationMiddleware; DRF sets the token's
    user on the request before the answer comes back here. Static files (WhiteNoise)
    never reach it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
