from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yurd.testimonies.models import ConsentUse


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words in any language or script"), max_length=200, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("How and when the narrator withdrew consent"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ExportForm(forms.Form):
    use = forms.ChoiceField(
        label=_("Use of the export"),
        choices=ConsentUse.choices,
        help_text=_("Only testimonies whose narrators consented to this use are exported."),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=200)


class TermProposalForm(forms.Form):
    label_en = forms.CharField(label=_("Term in English"), max_length=100)
    label_az = forms.CharField(label=_("Term in Azerbaijani"), max_length=100, required=False)
    label_ru = forms.CharField(label=_("Term in Russian"), max_length=100, required=False)
    scope_note = forms.CharField(label=_("Scope note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
