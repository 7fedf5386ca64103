"""The one permission check of services, selectors, views and commands.

    require(actor, "registry.change_household")
    require(request.user, "registry.view_sensitive", "registry.change_contactdetails")
    require(actor, "claims.submit_claim|claims.approve_claim")   # either one will do
    require(actor, "heritage.add_site", message=_("You may not record sites."))

Every argument must be held; one argument may name alternatives separated by "|". A
refusal is always Django's `PermissionDenied` (or a subclass the caller names, such as
claims' `ClaimPermissionError`, which is also a `ClaimError`): Django answers it with 403
in a view, DRF with 403 in the API, and a command turns it into an error line. An actor
without a user is the system operator at the command line, who may do everything (and
is still logged); an anonymous web user holds no permission.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from yurd.core.actors import Actor

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, PermissionsMixin
    from django.utils.functional import _StrPromise

    Who = Actor | PermissionsMixin | AnonymousUser | None


def has_permissions(who: Who, *permissions: str) -> bool:
    """Whether `who` (an Actor, a user, or None for the system) holds every permission."""
    user = who.user if isinstance(who, Actor) else who
    if user is None:
        return True
    return all(any(user.has_perm(name) for name in permission.split("|")) for permission in permissions)


def require(
    who: Who,
    *permissions: str,
    message: str | _StrPromise | None = None,
    refusal: type[PermissionDenied] = PermissionDenied,
) -> None:
    """Refuse with `refusal` (a `PermissionDenied`) unless `who` holds every one of `permissions`."""
    if not has_permissions(who, *permissions):
        raise refusal(message or _("You may not do this."))
