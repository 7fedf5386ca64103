"""The request type of views behind `login_required`: its `user` is a `User`, never anonymous.

    @login_required
    def household_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
        household_get(user=request.user, code=code)   # typed as User, no cast

At run time it is `HttpRequest` itself; only the type checker sees the narrower `user`
(so core names accounts' User only under TYPE_CHECKING, which the import contract allows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from yurd.accounts.models import User

    class AuthenticatedHttpRequest(HttpRequest):
        user: User
        htmx: HtmxDetails  # set by django-htmx's middleware, on every request

else:
    AuthenticatedHttpRequest = HttpRequest

__all__ = ["AuthenticatedHttpRequest"]
