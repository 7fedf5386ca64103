from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yurd.casualties.models import SourceList
from yurd.core.uploads import MaxUploadSize
from yurd.places.models import Place, PlaceKind

AREA_KINDS = [PlaceKind.DISTRICT, PlaceKind.REGION, PlaceKind.COUNTRY]


class SourceListForm(forms.ModelForm):
    area = forms.ModelChoiceField(
        label=_("Area covered"),
        queryset=Place.objects.filter(kind__in=AREA_KINDS).order_by("name_sort", "code"),
        required=False,
    )

    class Meta:
        model = SourceList
        fields = ["code", "name", "kind", "compiler", "compiled_on", "period_from", "period_to", "area", "notes"]
        help_texts = {
            "code": _("A short name without spaces, such as official-1990: the list's column in estimates."),
        }


class ListImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"), validators=[MaxUploadSize("import")])
