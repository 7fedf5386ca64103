"""API tokens: `Authorization: Token <key>`, with the token, user, roles and permissions in one query.

Tokens are created on the profile page (`yurd.accounts.services.api_token_create`). A
token is refused when it is unknown, expired, revoked (deleted), when its user is
inactive or has changed their password since, and when the user's role requires two
factors but the token was not created in a session verified with the second factor.

The first permission check of a request would run ModelBackend's two queries (the
user's own permissions and those of their groups), and `has_role` a third; on an API
list those cost more than the list itself (issue 8 benchmark). So the token's query
also reads the user's role names and permission names as two aggregated columns; the
permissions go to `user.preloaded_permissions`, which `yurd.accounts.backends.ModelBackend`
serves to every `has_perm` of the request. Nothing is kept beyond the request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Aggregate, CharField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from yurd.accounts.models import ApiToken, User


class _Joined(Aggregate):
    """The distinct values of a text column joined by commas (GROUP_CONCAT / STRING_AGG)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler, connection, function="STRING_AGG", template="%(function)s(DISTINCT %(expressions)s, ',')"
        )


def _joined(queryset: QuerySet[Any], expression: Any) -> Subquery:
    """One row, one column: `expression` over `queryset`'s rows, joined by commas."""
    return Subquery(
        queryset.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(joined=_Joined(expression))
        .values("joined")[:1],
        output_field=CharField(),
    )


def _tokens() -> QuerySet[ApiToken]:
    user = OuterRef("user_id")
    permissions = Permission.objects.filter(Q(user=user) | Q(group__user=user))
    return ApiToken.objects.select_related("user").annotate(
        role_names=_joined(Group.objects.filter(user=user), F("name")),
        permission_names=_joined(
            permissions, Concat(F("content_type__app_label"), Value("."), F("codename"), output_field=CharField())
        ),
    )


def _split(joined: str | None) -> set[str]:
    return set(joined.split(",")) if joined else set()


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's header parsing (`Token <key>`); the key checked against `ApiToken`."""

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = _tokens().filter(key_digest=ApiToken.digest(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = token.user
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("This token has expired. Create a new one on your profile page."))
        if not constant_time_compare(token.password_stamp, user.get_session_auth_hash()):
            raise exceptions.AuthenticationFailed(
                _("This token ended when the password changed. Create a new one on your profile page.")
            )
        # Assigned as the cached values `has_role` and `has_perm` read (see the module's docstring).
        # role_names and permission_names are _tokens()' annotations, unknown to the stubs.
        user.role_names = frozenset(_split(token.role_names))  # type: ignore[attr-defined]
        user.preloaded_permissions = _split(token.permission_names)  # type: ignore[attr-defined]
        if user.requires_two_factor and not token.two_factor:
            raise exceptions.AuthenticationFailed(
                _(
                    "Your role requires two-factor log-in: create a token on your profile page "
                    "after logging in with your code."
                )
            )
        return user, token


class TokenScheme(OpenApiAuthenticationExtension):
    """The token as the OpenAPI schema describes it to clients."""

    target_class = "yurd.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Token <key>`. Create a token on your profile page (/accounts/profile/#api-tokens) "
                "while logged in, after the code from your authenticator app when your account has one; "
                "no endpoint issues a token for a password. A token lasts YURD_API_TOKEN_DAYS days "
                "(30 unless configured) and ends earlier when revoked on the profile page or when "
                "the password changes."
            ),
        }
