"""Requests no view can answer sensibly are refused before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
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
