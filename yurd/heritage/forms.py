from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yurd.core.forms import FilterForm, PartialDateInput
from yurd.core.partial_dates import PartialDate, PartialDateError
from yurd.core.uploads import MaxUploadSize
from yurd.evidence.models import Sensitivity
from yurd.heritage import geometry as geo
from yurd.heritage.models import Alteration, Certainty, Extent, Method, PhysicalState, Site, SiteType
from yurd.places.models import NameScript, Place, PlaceKind

CONDITION_CHOICES = [
    ("", _("any")),
    *PhysicalState.choices,
    ("unknown", _("no published observation")),
]


class SiteFilterForm(FilterForm):
    q = forms.CharField(label=_("Name or code"), required=False)
    site_type = forms.ModelChoiceField(label=_("Type"), queryset=SiteType.objects.all(), required=False)
    settlement = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.exclude(kind=PlaceKind.COUNTRY), required=False
    )
    condition = forms.ChoiceField(label=_("Current condition"), choices=CONDITION_CHOICES, required=False)


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Primary name"), max_length=200)
    site_type = forms.ModelChoiceField(label=_("Type"), queryset=SiteType.objects.all())
    settlement = forms.ModelChoiceField(
        label=_("Settlement"), queryset=Place.objects.filter(kind=PlaceKind.SETTLEMENT).order_by("name_sort", "code")
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    geometry = forms.CharField(
        label=_("Geometry (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A GeoJSON Point or Polygon, longitude first. Leave empty to use the latitude and longitude."),
    )
    names = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name | language (az-Latn, az-Cyrl, ru, hy, en) | period of use."),
    )
    period = forms.CharField(label=_("Period of construction"), max_length=100, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    related_sites = forms.ModelMultipleChoiceField(
        label=_("Related sites"), queryset=Site.objects.all(), required=False
    )
    is_published = forms.BooleanField(label=_("Show in the public catalogue"), required=False)

    def __init__(self, *args: Any, can_publish: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_publish:
            del self.fields["is_published"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = (data.get("geometry") or "").strip()
        try:
            if text:
                data["geometry"] = geo.validate(json.loads(text))
            elif data.get("latitude") is not None and data.get("longitude") is not None:
                data["geometry"] = geo.point(data["longitude"], data["latitude"])
            else:
                self.add_error("latitude", _("Give the latitude and longitude, or a GeoJSON geometry."))
        except (ValueError, geo.GeometryError) as error:
            self.add_error("geometry", str(error))
        except RecursionError:
            self.add_error("geometry", _("The geometry is nested too deeply to be GeoJSON."))
        return data

    def clean_names(self) -> list[dict[str, Any]]:
        names = []
        for number, line in enumerate(self.cleaned_data["names"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            language = parts[1] if len(parts) > 1 and parts[1] else NameScript.OTHER
            if language not in NameScript.values:
                raise forms.ValidationError(
                    _("Line %(number)s: unknown language %(language)s."),
                    params={"number": number, "language": language},
                )
            names.append({"text": parts[0], "language": language, "period": parts[2] if len(parts) > 2 else ""})
        return names


def _partial_date(value: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            PartialDate.parse(value)
        except PartialDateError:
            raise forms.ValidationError(_("Enter a date such as 2021, 08.2021 or 14.08.2021.")) from None
    return value


class ObservationForm(forms.Form):
    physical_state = forms.ChoiceField(label=_("Physical state"), choices=PhysicalState.choices)
    extent = forms.ChoiceField(label=_("Extent of damage"), choices=Extent.choices, initial=Extent.UNKNOWN)
    alterations = forms.MultipleChoiceField(
        label=_("Alterations"), choices=Alteration.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    threat = forms.CharField(
        label=_("Threat"), max_length=300, required=False, help_text=_("The activity nearby, if any.")
    )
    certainty = forms.ChoiceField(label=_("Certainty"), choices=Certainty.choices, initial=Certainty.MEDIUM)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    observed_on = forms.CharField(widget=PartialDateInput(), label=_("Observed on"), max_length=32, required=False)
    interval_start = forms.CharField(
        widget=PartialDateInput(), label=_("Or between (earlier image date)"), max_length=32, required=False
    )
    interval_end = forms.CharField(
        widget=PartialDateInput(), label=_("and (later image date)"), max_length=32, required=False
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.ImageField(label=_("Photograph or image"), required=False, validators=[MaxUploadSize("photo")])
    photo_sensitivity = forms.ChoiceField(
        label=_("Sensitivity of the image"), choices=Sensitivity.choices, initial=Sensitivity.INTERNAL
    )

    def clean_observed_on(self) -> str:
        return _partial_date(self.cleaned_data["observed_on"])

    def clean_interval_start(self) -> str:
        return _partial_date(self.cleaned_data["interval_start"])

    def clean_interval_end(self) -> str:
        return _partial_date(self.cleaned_data["interval_end"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("observed_on") and not (data.get("interval_start") and data.get("interval_end")):
            raise forms.ValidationError(_("Give the date of the observation, or both image dates of the interval."))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("approve")), ("reject", _("reject"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExportForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose of the export"), max_length=300, required=False)
