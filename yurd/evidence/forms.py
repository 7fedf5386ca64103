from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yurd.core.forms import FilterForm, PartialDateInput
from yurd.core.partial_dates import PartialDate, PartialDateError
from yurd.core.uploads import MaxUploadSize
from yurd.evidence.models import EvidenceKind, Sensitivity
from yurd.places.models import Place


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label=_("File"), validators=[MaxUploadSize("evidence")])
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    title_az = forms.CharField(label=_("Title (Azerbaijani)"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices, initial=EvidenceKind.PHOTO)
    captured = forms.CharField(
        widget=PartialDateInput(),
        label=_("Captured on"),
        max_length=32,
        required=False,
        help_text=_("For example 1988, 11.1988 or 23.11.1988."),
    )
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.all(), required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    source_reference = forms.CharField(label=_("Source reference"), max_length=300, required=False)
    author = forms.CharField(label=_("Author or collector"), max_length=200, required=False)
    method = forms.CharField(label=_("Method and tool"), max_length=300, required=False)
    licence = forms.CharField(label=_("Licence"), max_length=200, required=False)
    sensitivity = forms.ChoiceField(label=_("Sensitivity"), choices=Sensitivity.choices, initial=Sensitivity.INTERNAL)

    def clean_captured(self) -> str:
        text = self.cleaned_data["captured"].strip()
        if text:
            try:
                PartialDate.parse(text)
            except PartialDateError:
                raise forms.ValidationError(_("Enter a date such as 1988, 11.1988 or 23.11.1988.")) from None
        return text


class EvidenceFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("any")), *EvidenceKind.choices], required=False)
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity"), choices=[("", _("any")), *Sensitivity.choices], required=False
    )
