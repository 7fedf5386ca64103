from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from yurd.core.forms import LocalDateField, PartialDateInput, choice_field, model_choice_field
from yurd.core.partial_dates import PartialDate, PartialDateError
from yurd.core.uploads import MaxUploadSize
from yurd.places.display import sorted_places
from yurd.places.models import Place, PlaceKind
from yurd.places.selectors import place_choice_labels, residence_country, residence_places
from yurd.registry.models import (
    Certainty,
    ContactDetails,
    FigureKind,
    Household,
    HouseholdRole,
    IdentityDocument,
    Person,
    PersonName,
    PopulationEstimate,
    Sex,
    Wave,
)
from yurd.registry.selectors import RegistryFilters, list_filter_choices

YES_NO = [("", _("any")), ("yes", _("yes")), ("no", _("no"))]


def _settlements() -> Any:
    return Place.objects.filter(kind=PlaceKind.SETTLEMENT).order_by("name_sort", "code")


class PlaceChoiceIterator(forms.models.ModelChoiceIterator):
    """The places of a choice field, with what tells apart places of one name beside it
    ("Ağbulaq (Vedi)"); a residence field groups them into the residence country and abroad."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # In the page's alphabetical order (Ç after C, Ə after E; Cyrillic on ru pages).
        places = sorted_places(self.queryset.select_related("parent"))
        labels = place_choice_labels(places, {str(value): str(label) for value, label in PlaceKind.choices})
        choices = [(self.choice(place)[0], labels[place.pk]) for place in places]
        home = residence_country() if getattr(self.field, "residence", False) else None
        if home is None:
            yield from choices
            return
        inside = [choice for choice, place in zip(choices, places, strict=True) if place.path.startswith(home.path)]
        abroad = [choice for choice, place in zip(choices, places, strict=True) if not place.path.startswith(home.path)]
        yield (home.name, inside)
        if abroad:
            yield (str(_("Abroad")), abroad)


class PlaceChoiceField(forms.ModelChoiceField):
    iterator = PlaceChoiceIterator

    def __init__(self, *args: Any, residence: bool = False, **kwargs: Any) -> None:
        self.residence = residence
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def offer_residences(form: forms.BaseForm, name: str, *, keep: int | None) -> None:
    """Offer Azerbaijan's places and the countries abroad in a current-residence field."""
    model_choice_field(form, name).queryset = residence_places(keep=keep)


class PlainSelect(forms.Select):
    """A select rendered in Python rather than one template per option.

    The list pages' place filters carry every settlement of the gazetteer; rendered
    through the template engine, their options alone took tens of milliseconds a page.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(item) for item in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option_value, mark_safe(" selected") if str(option_value) in selected else "", label)
                for option_value, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)


class FilterForm(forms.Form):
    origin_place = forms.TypedChoiceField(
        label=_("Origin settlement"), coerce=int, required=False, empty_value=None, widget=PlainSelect
    )
    wave = forms.TypedChoiceField(label=_("Wave"), coerce=int, required=False, empty_value=None, widget=PlainSelect)
    current_district = forms.TypedChoiceField(
        label=_("Current district"), coerce=int, required=False, empty_value=None, widget=PlainSelect
    )
    deceased = forms.ChoiceField(
        label=_("Deceased"),
        choices=[("", _("living and deceased")), ("no", _("living")), ("yes", _("deceased"))],
        required=False,
        widget=PlainSelect,
    )
    consent = forms.ChoiceField(label=_("Active consent"), choices=YES_NO, required=False, widget=PlainSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One query for the places and waves (list pages have a query budget); the lists
        # pass it on to resolve a place filter without another.
        self.choices = list_filter_choices()
        choice_field(self, "origin_place").choices = [("", _("any")), *self.choices.settlements]
        choice_field(self, "current_district").choices = [("", _("any")), *self.choices.districts]
        choice_field(self, "wave").choices = [("", _("any")), *self.choices.waves]

    def filters(self) -> RegistryFilters:
        if not self.is_valid():
            return RegistryFilters()
        data = self.cleaned_data

        def yes_no(value: str) -> bool | None:
            return {"yes": True, "no": False}.get(value)

        return RegistryFilters(
            origin_place=data["origin_place"],
            wave=data["wave"],
            current_district=data["current_district"],
            deceased=yes_no(data["deceased"]),
            consent=yes_no(data["consent"]),
        )


class ReasonMixin(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=200,
        help_text=_("Kept in the record's history."),
    )


class HouseholdEditForm(forms.ModelForm, ReasonMixin):
    origin_place = PlaceChoiceField(label=_("Origin settlement"), queryset=_settlements(), required=False)
    current_place = PlaceChoiceField(
        label=_("Current residence"),
        queryset=Place.objects.order_by("name_sort", "code"),
        required=False,
        residence=True,
    )
    destination_place = PlaceChoiceField(
        label=_("First destination"), queryset=Place.objects.order_by("name_sort", "code"), required=False
    )

    class Meta:
        model = Household
        fields = ["origin_place", "wave", "displacement_date", "destination_place", "current_place", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_residences(self, "current_place", keep=self.instance.current_place_id)


class PersonEditForm(forms.ModelForm, ReasonMixin):
    class Meta:
        model = Person
        fields = [
            "surname",
            "given_name",
            "patronymic",
            "sex",
            "household_role",
            "birth_date",
            "birth_place_text",
            "is_deceased",
            "death_date",
        ]


# --- Registration wizard ---------------------------------------------------------------------


class WizardHouseholdForm(forms.Form):
    source = forms.CharField(
        label=_("Source"), max_length=200, required=False, help_text=_("The form or list this comes from.")
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class WizardMemberForm(forms.Form):
    surname = forms.CharField(label=_("Surname"), max_length=100, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, required=False)
    household_role = forms.ChoiceField(label=_("Role in household"), choices=HouseholdRole.choices)
    birth_date = forms.CharField(
        widget=PartialDateInput(), label=_("Birth date"), max_length=32, required=False, help_text=_("e.g. 12.03.1951")
    )
    death_date = forms.CharField(widget=PartialDateInput(), label=_("Death date"), max_length=32, required=False)
    other_surname = forms.CharField(label=_("Surname in another script"), max_length=100, required=False)
    other_given_name = forms.CharField(label=_("Given name in another script"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}

        for name in ("birth_date", "death_date"):
            if data.get(name):
                try:
                    PartialDate.parse(data[name])
                except PartialDateError:
                    self.add_error(name, _("Not a date: use 12.03.1951, 03.1951, 1951 or 1951-03-12."))
        return data

    @property
    def is_blank(self) -> bool:
        return not any((self.cleaned_data or {}).get(name) for name in ("surname", "given_name", "patronymic"))


def default_household_role(index: int | None) -> str:
    """The role a new member row starts with: the first member heads the household, the
    second is most often the spouse, later ones the children."""
    if index == 0:
        return HouseholdRole.HEAD
    if index == 1:
        return HouseholdRole.SPOUSE
    return HouseholdRole.CHILD


class BaseMemberFormSet(forms.BaseFormSet):
    # For the page's script, which adds rows without asking the server: the roles of the
    # first rows, the last one repeating.
    default_roles = " ".join(default_household_role(index) for index in range(3))

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is None or index >= len(self.initial or []):
            kwargs["initial"] = {"household_role": default_household_role(index)}
        return kwargs

    def clean(self) -> None:
        if any(self.errors):
            return
        filled = [form for form in self.forms if not form.is_blank]
        if not filled:
            raise forms.ValidationError(_("Enter at least one member."))
        for form in filled:
            if not (form.cleaned_data.get("surname") or form.cleaned_data.get("given_name")):
                form.add_error("surname", _("Give at least a surname or a given name."))
        if sum(1 for form in filled if form.cleaned_data["household_role"] == HouseholdRole.HEAD) > 1:
            raise forms.ValidationError(_("A household has one head."))


# One row to start with; "Add member" adds one at a time (a script in the page, or a
# submit button that comes back with one more row where scripts do not run).
MemberFormSet = forms.formset_factory(WizardMemberForm, formset=BaseMemberFormSet, extra=1, max_num=30)
MEMBER_FIELDS = list(WizardMemberForm.base_fields)


def member_formset_with_another_row(data: Any) -> forms.BaseFormSet:
    """The posted rows, unbound (no errors shown yet), and one empty row after them."""
    try:
        count = min(int(data.get("members-TOTAL_FORMS", 0)), 29)
    except ValueError:
        count = 0
    rows = [{name: data.get(f"members-{index}-{name}", "") for name in MEMBER_FIELDS} for index in range(count)]
    return MemberFormSet(initial=rows, prefix="members")


class WizardOriginForm(forms.Form):
    origin_place = PlaceChoiceField(label=_("Origin settlement"), queryset=_settlements())
    wave = forms.ModelChoiceField(label=_("Wave"), queryset=Wave.objects.all(), required=False)
    displacement_date = forms.CharField(
        widget=PartialDateInput(),
        label=_("Displacement date"),
        max_length=32,
        required=False,
        help_text=_("e.g. 11.1988 or 1988"),
    )
    destination_place = PlaceChoiceField(
        label=_("First destination"), queryset=Place.objects.order_by("name_sort", "code"), required=False
    )

    def clean_displacement_date(self) -> str:
        value = self.cleaned_data["displacement_date"]
        if value:
            try:
                PartialDate.parse(value)
            except PartialDateError:
                raise forms.ValidationError(_("Not a date: use 11.1988 or 1988.")) from None
        return value


class WizardResidenceForm(forms.Form):
    current_place = PlaceChoiceField(
        label=_("Current residence"), queryset=Place.objects.order_by("name_sort", "code"), residence=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_residences(self, "current_place", keep=None)


class WizardConsentForm(forms.Form):
    consent_given = forms.BooleanField(label=_("The household consents to registration"), required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, initial=_("registration and restitution claims"))
    given_on = LocalDateField(label=_("Given on"))


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"), validators=[MaxUploadSize("import")])
    source = forms.CharField(
        label=_("Source"), max_length=200, help_text=_("Name of the list; re-importing it skips known rows.")
    )


class ExportForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    identified = forms.BooleanField(label=_("Include names"), required=False)
    file_format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")])


class ConsentForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    given_on = LocalDateField(label=_("Given on"))


# --- Person page: name forms, kinship, sensitive groups -------------------------------------

SCRIPTS = [
    ("", _("unknown")),
    ("az-Latn", _("Azerbaijani (Latin)")),
    ("az-Cyrl", _("Azerbaijani (Cyrillic)")),
    ("ru", _("Russian")),
    ("hy", _("Armenian")),
    ("en", _("English or passport transliteration")),
    ("other", _("other")),
]


class PersonNameForm(forms.ModelForm, ReasonMixin):
    script = forms.ChoiceField(label=_("Language and script"), choices=SCRIPTS, required=False)

    class Meta:
        model = PersonName
        fields = ["surname", "given_name", "patronymic", "script", "kind", "source"]
        labels = {"kind": _("Kind (maiden name, passport, spelling in a source)")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(part) for part in ("surname", "given_name", "patronymic")):
            self.add_error("surname", _("Give at least one part of the name."))
        return data


class KinshipRelation:
    """Which way the edge points, seen from the person whose page this is."""

    PARENT_OF = "parent_of"
    CHILD_OF = "child_of"
    SPOUSE_OF = "spouse_of"
    CHOICES = [
        (PARENT_OF, _("is a parent of")),
        (CHILD_OF, _("is a child of")),
        (SPOUSE_OF, _("is the spouse of")),
    ]


class KinshipForm(ReasonMixin):
    relation = forms.ChoiceField(label=_("This person"), choices=KinshipRelation.CHOICES)
    other_person = forms.CharField(
        label=_("Relative's person code"), max_length=16, help_text=_("e.g. P-0012345, from the relative's page")
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    certainty = forms.ChoiceField(label=_("Certainty"), choices=Certainty.choices, initial=Certainty.HIGH)

    field_order = ["relation", "other_person", "source", "certainty", "reason"]

    def __init__(self, *args: Any, person: Person, find_person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.find_person = find_person

    def clean_other_person(self) -> Person:
        code = self.cleaned_data["other_person"].strip().upper()
        other = self.find_person(code)
        if other is None:
            raise forms.ValidationError(_("No person with this code that you may see."))
        if other.pk == self.person.pk:
            raise forms.ValidationError(_("A person cannot be their own relative."))
        return other


class ContactForm(forms.ModelForm, ReasonMixin):
    class Meta:
        model = ContactDetails
        fields = ["phone", "email", "address"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class IdentityDocumentForm(forms.ModelForm, ReasonMixin):
    class Meta:
        model = IdentityDocument
        fields = ["kind", "number", "issued_by", "issued_on"]
        labels = {"kind": _("Kind (passport, birth certificate, refugee card)")}


class RemoveForm(ReasonMixin):
    """Removing a record needs only the reason, kept in the history."""


class PopulationFigureForm(forms.Form):
    """The number of displaced families progress is measured against, with its source and a reason."""

    families = forms.IntegerField(label=_("Families"), min_value=1)
    kind = forms.ChoiceField(label=_("Kind"), choices=FigureKind.choices)
    source = forms.CharField(
        label=_("Source"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who gives the figure, in what document, and when."),
    )
    interval_low = forms.IntegerField(label=_("Interval from"), min_value=0, required=False)
    interval_high = forms.IntegerField(label=_("Interval to"), min_value=0, required=False)
    estimate = forms.ModelChoiceField(
        label=_("Estimate cited"),
        queryset=PopulationEstimate.objects.order_by("-computed_at", "-pk"),
        required=False,
        to_field_name="pk",
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=100)


class PopulationEstimateForm(forms.Form):
    """Which registration lists to estimate the number of families from, and how."""

    lists = forms.MultipleChoiceField(
        label=_("Registration lists"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least two. A family is on a list when the list named it or any of its members."),
    )
    method = forms.ChoiceField(
        label=_("Model chosen by"),
        choices=[
            ("stepwise", _("stepwise selection (p-value threshold 0.02)")),
            ("bic", _("lowest BIC")),
            ("fixed", _("main effects only (independent lists)")),
        ],
        initial="stepwise",
    )
    bootstrap = forms.IntegerField(label=_("Bootstrap samples"), min_value=0, max_value=5000, initial=500)
    seed = forms.IntegerField(label=_("Seed"), initial=1, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, lists: list[tuple[str, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lists"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        field.choices = [
            (name, _("%(list)s (%(families)s families)") % {"list": name, "families": families})
            for name, families in lists
        ]
