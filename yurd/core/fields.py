from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from yurd.core.partial_dates import PartialDate, PartialDateError


class PartialDateField(models.CharField):
    """A PartialDate stored as sortable EDTF-style text; see yurd.core.partial_dates."""

    # What django-stubs' plugin gives the attribute: a PartialDate (or None) read back,
    # and a PartialDate or its text written.
    _pyi_private_set_type: PartialDate | str | None  # type: ignore[assignment]  # narrower than CharField
    _pyi_private_get_type: PartialDate | None  # type: ignore[assignment]  # what from_db_value gives

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("max_length", 12), ("blank", True), ("default", "")):
            if kwargs.get(key) == value:
                kwargs.pop(key)
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> PartialDate | None:
        if not value:
            return None
        return PartialDate.from_storage(value)

    def to_python(self, value: Any) -> PartialDate | None:
        if value is None or value == "" or isinstance(value, PartialDate):
            return value or None
        try:
            return PartialDate.parse(str(value))
        except PartialDateError as error:
            raise ValidationError(str(error), code="invalid_partial_date") from None

    def get_prep_value(self, value: Any) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, PartialDate):
            return value.to_storage()
        # Lookups such as birth_date__gte="1950" compare stored text directly.
        return str(value)

    def value_to_string(self, obj: Any) -> str:
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value: Any, model_instance: Any) -> None:
        # An unknown date is stored as "" but read back as None; both mean "blank".
        if value is None and self.blank:
            return
        super().validate(value, model_instance)

    def run_validators(self, value: Any) -> None:
        super().run_validators(self.get_prep_value(value))

    def formfield(self, **kwargs: Any) -> Any:
        defaults: dict[str, Any] = {"form_class": forms.CharField, "max_length": 32}
        defaults.update(kwargs)
        return super().formfield(**defaults)
