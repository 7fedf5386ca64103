from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yurd.accounts.models import User
from yurd.accounts.services import normalise_token
from yurd.core.forms import choice_field


class LoginForm(AuthenticationForm):
    """Username and password; a wrong pair is reported next to the password field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django capitalises the model's "istifadəçi adı" with str.capitalize, giving a dotless
        # "Istifadəçi" in Azerbaijani: the label is its own message instead.
        self.fields["username"].label = _("Username")

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError as error:
            self.add_error("password", error)
            return self.cleaned_data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=16,
        help_text=_("Six digits; a new code appears every 30 seconds."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True, "size": 8}
        ),
        error_messages={"required": _("Enter the six-digit code from your authenticator app.")},
    )

    def clean_token(self) -> str:
        token = normalise_token(self.cleaned_data["token"])
        if not (token.isdigit() and len(token) == 6):
            raise ValidationError(_("A code is six digits, for example 123456."), code="format")
        return token

    def reject(self) -> None:
        self.add_error(
            "token",
            ValidationError(
                _("That code is not valid. Check your device's clock and enter the current six-digit code."),
                code="invalid",
            ),
        )


class LanguageForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["preferred_language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = choice_field(self, "preferred_language")
        field.choices = [("", _("As chosen on the log-in page or by your browser")), *settings.LANGUAGES]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the new token"),
        max_length=100,
        help_text=_("What it is for, such as the name of a script."),
        error_messages={"required": _("Give the token a name.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
