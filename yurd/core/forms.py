"""Search forms of the audit pages. Bad input becomes a form error, never a 500."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yurd.core.models import AccessAction, Channel


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
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
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
        self.fields["model"].choices = [("", _("every record type")), *model_choices]  # type: ignore[attr-defined]
