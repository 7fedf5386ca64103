from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from yurd.core.partial_dates import PartialDate, PartialDateError
from yurd.names.collation import SORT_TEXT_LENGTH, sort_text


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


class SortKeyField(models.CharField):
    """The alphabetical key of other columns of the same row (yurd.names.collation.sort_text):
    `Meta.ordering` and list pages order by it, so the database sorts names as the language's
    readers do (Ç after C, Ə after E, I before İ) on SQLite and PostgreSQL alike.

    Filled on every save (`pre_save`; a model saving with update_fields adds it when a source
    column is among them) and by BulkWriter, which computes it from the source columns of
    each row it writes."""

    def __init__(self, *args: Any, sources: tuple[str, ...] = (), **kwargs: Any) -> None:
        self.sources = tuple(sources)
        kwargs.setdefault("max_length", SORT_TEXT_LENGTH)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["sources"] = self.sources
        for key, default in (("max_length", SORT_TEXT_LENGTH), ("editable", False), ("default", ""), ("blank", True)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def key_of(self, *values: str) -> str:
        return sort_text(*values)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.key_of(*(getattr(model_instance, source) for source in self.sources))
        setattr(model_instance, self.attname, value)
        return value


def with_sort_keys(model: type[models.Model], update_fields: Any) -> Any:
    """`update_fields` with the sort keys of `model` whose sources it names (None stays None)."""
    if update_fields is None:
        return None
    named = set(update_fields)
    for field in model._meta.concrete_fields:
        if isinstance(field, SortKeyField) and named & set(field.sources):
            named.add(field.name)
    return named
