from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yurd.core.forms import LocalDateField, model_choice_field
from yurd.places.models import Place, PlaceKind
from yurd.registry.models import Household, Person
from yurd.returns.models import Intention, ReturnCondition, Timeline, check_preferred_place


class ReturnIntentionForm(forms.Form):
    survey_date = LocalDateField(label=_("Survey date"))
    intention = forms.ChoiceField(label=_("Intends to return"), choices=Intention.choices)
    preferred_place = forms.ModelChoiceField(
        label=_("Preferred settlement"),
        queryset=Place.objects.filter(kind=PlaceKind.SETTLEMENT).order_by("name_sort", "code"),
        required=False,
    )
    conditions = forms.MultipleChoiceField(
        label=_("Conditions named"),
        choices=ReturnCondition.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    returning_members = forms.ModelMultipleChoiceField(
        label=_("Members who would return"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    timeline = forms.ChoiceField(label=_("Timeline"), choices=Timeline.choices, initial=Timeline.UNKNOWN)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survey_date"].initial = timezone.localdate()
        members = model_choice_field(self, "returning_members")
        # Members of a household the view resolved through get_household_for_user.
        members.queryset = Person.objects.unscoped().filter(household=household, is_deceased=False).order_by("code")
        if household.origin_place_id:
            self.fields["preferred_place"].initial = household.origin_place_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "intention" in data:
            try:
                check_preferred_place(intention=data["intention"], preferred_place=data.get("preferred_place"))
            except ValidationError as error:
                self.add_error(None, error)
        return data


class PlanningExportForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of the export"),
        max_length=200,
        help_text=_("Recorded in the access log; the pseudonyms depend on it."),
    )
