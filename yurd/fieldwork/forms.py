from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yurd.accounts.models import User
from yurd.core.forms import model_choice_field
from yurd.core.uploads import MaxUploadSize
from yurd.fieldwork.definition import PUBLISHED_FORMS
from yurd.fieldwork.selectors import device_users


class ExportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("KoBoToolbox or ODK Central export (CSV or XLSX)"),
        help_text=_("Submissions already received are skipped; new ones enter the registry's staged import."),
        validators=[MaxUploadSize("import")],
    )


def _form_choices() -> list[tuple[str, str]]:
    return [(form_id, f"{titles['en']} ({form_id})") for form_id, titles in PUBLISHED_FORMS.items()]


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=100)
    form_ids = forms.MultipleChoiceField(
        label=_("Forms the team's devices receive"),
        choices=_form_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Device users in the team"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only users whose role may collect with a device are listed."),
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "members").queryset = device_users()


class AssignmentForm(forms.Form):
    households = forms.CharField(
        label=_("Household codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Separated by spaces, commas or new lines, e.g. HH-000012 HH-000013."),
    )
    settlement = forms.CharField(
        label=_("Or every household from this settlement of origin"),
        max_length=200,
        required=False,
        help_text=_("A place code or a name in any script."),
    )

    def clean_households(self) -> list[str]:
        return [code.upper() for code in re.split(r"[\s,;]+", self.cleaned_data["households"]) if code]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("households") and not data.get("settlement"):
            raise forms.ValidationError(_("Give household codes or a settlement."))
        return data


class DevicePasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New device password"),
        required=False,
        min_length=12,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to have one generated. It is shown once; only its Digest hashes are kept."),
    )
