"""Search forms of the audit pages. Bad input becomes a form error, never a 500."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yurd.core import formatting
from yurd.core.models import AccessAction, Channel
from yurd.core.partial_dates import PartialDate, PartialDateError


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field `name`, which must offer choices: typed, so its choices may be set."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field `name`, which must choose among rows: typed, so its queryset may be set."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a model choice field")
    return field


class PartialDateInput(forms.TextInput):
    """A date typed as text, in the page's language: the hint names the forms it reads
    (07.12.2026, 12.2026, 2026 on az/ru pages; 2026-12-07 … on English ones), and a value
    is shown as yurd.core.formatting writes it. No browser date picker (it shows the
    browser's own, often US, format)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = {"placeholder": formatting.date_hint(), **(attrs or {})}
        return super().get_context(name, value, attrs)

    def format_value(self, value: Any) -> str | None:
        if value in (None, ""):
            return None
        if isinstance(value, str):
            return value
        return formatting.format_date(value)


class LocalDateField(forms.DateField):
    """A whole calendar day typed in the page's language (or ISO): 07.12.2026, 2026-12-07."""

    widget = PartialDateInput
    default_error_messages = {"invalid": _("Enter a whole date, such as %(example)s.")}

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if hasattr(value, "year") and not isinstance(value, PartialDate):
            return value.date() if hasattr(value, "hour") else value
        try:
            parsed = formatting.parse_date(str(value))
        except PartialDateError:
            parsed = None
        if parsed is None or parsed.day is None or parsed.approximate:
            raise ValidationError(
                self.error_messages["invalid"] % {"example": formatting.format_date(PartialDate(1988, 11, 23))},
                code="invalid",
            )
        return parsed.as_range()[0]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field it names when the form has
    that field, above the form otherwise (a code the service chose, a rule over several fields).
    Django's form.add_error raises ValueError for a field the form does not have."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class FilterForm(forms.Form):
    """The form of a filter bar: every optional list starts with one empty choice, "any"
    (Django's "---------" beside another list's "any" read as two different things)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and not field.required:
                field.empty_label = _("any")


class AccessLogSearchForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("any action")), *AccessAction.choices]
    )
    target_type = forms.CharField(
        label=_("Record type"), required=False, max_length=64, help_text=_("For example registry.household")
    )
    target_code = forms.CharField(label=_("Record code"), required=False, max_length=64)
    date_from = LocalDateField(label=_("From"), required=False)
    date_to = LocalDateField(label=_("To"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("any channel")), *Channel.choices])
    purpose = forms.CharField(label=_("Purpose contains"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class ChangeLogSearchForm(forms.Form):
    model = forms.ChoiceField(label=_("Record type"), required=False)
    username = forms.CharField(label=_("User"), required=False, max_length=150)

    def __init__(self, *args: Any, model_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "model").choices = [("", _("every record type")), *model_choices]
