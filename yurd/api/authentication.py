"""Token authentication in one query: the token, its user and the user's permissions.

DRF's TokenAuthentication reads the token and user through the ORM, and the first
permission check then runs Django's ModelBackend queries (the user's own permissions and
those of their groups). On an API list request those three queries cost more Python than
the list itself (issue 8 benchmark). Here one plain SELECT reads the token and user, built
into model instances with `Model.from_db`, and the permission names as one aggregated
column, stored where ModelBackend keeps them for the request (`_perm_cache`), so every
`has_perm` of the request (the view's role check, `sees_names`, the selectors) reads that
set. Nothing is kept beyond the request: a revoked token, a deactivated user or a removed
role take effect on the next request, as with DRF's class.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from rest_framework import authentication
from rest_framework.authtoken.models import Token

from yurd.accounts.models import User


@cache
def _token_sql(vendor: str) -> tuple[str, list[str], list[str]]:
    """The SELECT of a token, its user and the user's permissions, and the attribute
    names of the token's and the user's columns. The permissions ("app_label.codename",
    directly or through a group) come as one comma-separated text in the last column."""
    quote = connections[router.db_for_read(Token)].ops.quote_name
    token_fields = list(Token._meta.concrete_fields)
    user_fields = list(User._meta.concrete_fields)
    columns = [f"t.{quote(str(field.column))}" for field in token_fields]
    columns += [f"u.{quote(str(field.column))}" for field in user_fields]
    user_key = str(Token._meta.get_field("user").column)
    user_id = f"u.{quote(str(User._meta.pk.column))}"  # type: ignore[union-attr]
    direct = User.user_permissions.through._meta
    groups = User.groups.through._meta
    granted = Group.permissions.through._meta
    name = f"ct.{quote('app_label')} || '.' || p.{quote('codename')}"
    joined = f"string_agg({name}, ',')" if vendor == "postgresql" else f"group_concat({name}, ',')"
    permissions = (
        f"SELECT {joined} FROM {quote(Permission._meta.db_table)} p "  # noqa: S608 - names from _meta
        f"INNER JOIN {quote(ContentType._meta.db_table)} ct ON ct.{quote('id')} = p.{quote('content_type_id')} "
        f"WHERE p.{quote('id')} IN ("
        f"SELECT {quote('permission_id')} FROM {quote(direct.db_table)} WHERE {quote('user_id')} = {user_id} "
        f"UNION SELECT gp.{quote('permission_id')} FROM {quote(granted.db_table)} gp "
        f"INNER JOIN {quote(groups.db_table)} ug ON ug.{quote('group_id')} = gp.{quote('group_id')} "
        f"WHERE ug.{quote('user_id')} = {user_id})"
    )
    sql = (
        f"SELECT {', '.join(columns)}, ({permissions}) FROM {quote(Token._meta.db_table)} t "  # noqa: S608 - names from _meta
        f"INNER JOIN {quote(User._meta.db_table)} u ON {user_id} = t.{quote(user_key)} "
        f"WHERE t.{quote(str(Token._meta.pk.column))} = %s"  # type: ignore[union-attr]
    )
    return sql, [field.attname for field in token_fields], [field.attname for field in user_fields]


def _converted(connection: Any, fields: list[Any], row: tuple[Any, ...]) -> list[Any]:
    """`row`'s values as the ORM would give them (SQLite returns dates as text)."""
    values = []
    for field, raw in zip(fields, row, strict=True):
        expression = field.get_col(field.model._meta.db_table)
        value = raw
        for converter in connection.ops.get_db_converters(expression) + field.get_db_converters(connection):
            value = converter(value, expression, connection)
        values.append(value)
    return values


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>`, answered in one query (see above)."""

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        database = router.db_for_read(Token)
        connection = connections[database]
        sql, token_names, user_names = _token_sql(connection.vendor)
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None or not row[len(token_names) + user_names.index("is_active")]:
            # Unknown token or inactive user: DRF's own refusal, with its message.
            return super().authenticate_credentials(key)  # type: ignore[no-any-return]
        *columns, permissions = row
        values = _converted(connection, [*Token._meta.concrete_fields, *User._meta.concrete_fields], columns)
        token_values, user_values = values[: len(token_names)], values[len(token_names) :]
        user = User.from_db(database, user_names, user_values)
        token = Token.from_db(database, token_names, token_values)
        token._state.fields_cache["user"] = user  # as select_related would
        # ModelBackend.get_all_permissions returns this set while it is there, for every
        # has_perm of this request; the direct/group split it computes if ever asked.
        user._perm_cache = set(permissions.split(",")) if permissions else set()  # type: ignore[attr-defined]
        return user, token
