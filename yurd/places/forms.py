from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yurd.core.uploads import MaxUploadSize
from yurd.places.importing import CSV_FORMAT, GEONAMES_FORMAT
from yurd.places.models import CoordinatePrecision, NameKind, NameScript, Place, PlaceKind


class ReasonField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Reason for the change"),
            max_length=100,
            help_text=_("Kept in the history of this record."),
            **kwargs,
        )


class ParentCodeField(forms.CharField):
    """The parent place by its code; cleans to a Place or None."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Part of (code)"),
            max_length=32,
            required=False,
            help_text=_("The code of the district, region or country this place belongs to."),
            **kwargs,
        )

    def clean(self, value: Any) -> Place | None:
        code = super().clean(value).strip()
        if not code:
            return None
        place = Place.objects.filter(code=code).first()
        if place is None:
            raise forms.ValidationError(_("No place has the code %(code)s."), params={"code": code})
        return place


class PlaceForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlaceKind.choices)
    parent = ParentCodeField()
    name = forms.CharField(label=_("Primary name"), max_length=200)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=6)
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=6
    )
    coordinate_precision = forms.ChoiceField(
        label=_("Coordinate precision"), choices=CoordinatePrecision.choices, initial=CoordinatePrecision.UNKNOWN
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    reason = ReasonField(required=False)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if Place.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A place with this code exists already."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both coordinates or neither."))
        return data


class PlaceEditForm(PlaceForm):
    reason = ReasonField(required=True)

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.place = place
        del self.fields["code"]
        del self.fields["kind"]


class PlaceNameForm(forms.Form):
    text = forms.CharField(label=_("Name"), max_length=200)
    language = forms.ChoiceField(label=_("Language and script"), choices=NameScript.choices)
    kind = forms.ChoiceField(label=_("Kind of name"), choices=NameKind.choices, initial=NameKind.OTHER)
    year_from = forms.IntegerField(label=_("In use from (year)"), required=False, min_value=1, max_value=2100)
    year_to = forms.IntegerField(label=_("In use until (year)"), required=False, min_value=1, max_value=2100)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    reason = ReasonField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None and start > end:
            self.add_error("year_to", _("The last year of use comes before the first."))
        return data


class PlaceNameEditForm(PlaceNameForm):
    reason = ReasonField(required=True)


class PlaceImportForm(forms.Form):
    file = forms.FileField(label=_("Gazetteer file"), validators=[MaxUploadSize("import")])
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[(CSV_FORMAT, _("Yurd place CSV")), (GEONAMES_FORMAT, _("GeoNames table (AM.txt layout)"))],
    )
    alternate_names = forms.FileField(
        label=_("GeoNames alternate names (optional)"),
        required=False,
        help_text=_("alternateNamesV2.txt layout; only with the GeoNames format."),
        validators=[MaxUploadSize("import")],
    )
