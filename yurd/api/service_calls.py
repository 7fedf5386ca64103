"""What every write endpoint shares: the acting user on the API channel, and service errors
turned into 400 answers that name the field."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from yurd.accounts.models import User
from yurd.core.actors import Actor, actor_from_request
from yurd.core.models import Channel
from yurd.core.partial_dates import PartialDate, PartialDateError


def api_actor(request: Request) -> Actor:
    return actor_from_request(request, channel=Channel.API)


def request_user(request: Request) -> User:
    """The user of an API request; every API view requires one to be authenticated."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user


@contextmanager
def service_errors() -> Iterator[None]:
    """A service's ValidationError becomes a 400 with its field names (or non_field_errors)."""
    try:
        yield
    except DjangoValidationError as error:
        detail: Any = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        raise serializers.ValidationError(detail) from None


class PartialDateInput(serializers.CharField):
    """A partial date as people write it: 1988, 11.1988, 23.11.1988 (or ISO)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        text = str(super().to_internal_value(data)).strip()
        if text:
            try:
                PartialDate.parse(text)
            except PartialDateError:
                raise serializers.ValidationError(_("Enter a date such as 1988, 11.1988 or 23.11.1988.")) from None
        return text


def partial_date_text(value: Any) -> str:
    """A stored partial date as text ("" when unknown)."""
    return value.to_storage() if isinstance(value, PartialDate) else (value or "")
