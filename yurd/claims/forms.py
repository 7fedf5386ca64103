from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yurd.claims.domain.shares import ShareError, parse_share
from yurd.claims.models import LetterChannel, LetterLanguage, LossCategory, Remedy, Unit, ValuationTable
from yurd.claims.services.filing import ClaimantShare
from yurd.core.partial_dates import PartialDate
from yurd.core.uploads import MaxUploadSize
from yurd.places.models import Place, PlaceKind
from yurd.registry.models import HeirLine, Household, Person

EVIDENCE_REFERENCE = re.compile(r"^([0-9a-f]{64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


def parse_claimants(text: str, people: Any = None) -> list[ClaimantShare]:
    """One claimant a line: person code and share ("P-0000012 1/2"). `people`: the people
    the user may name (a code outside it reads like one that does not exist)."""
    people = Person.objects.unscoped() if people is None else people  # None: the system; views pass a scope
    result = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2:
            raise forms.ValidationError(
                _("Line %(number)s: write a person code and a share, e.g. P-0000012 1/2.") % {"number": number}
            )
        person = people.filter(code=parts[0].upper()).first()
        if person is None:
            raise forms.ValidationError(
                _("Line %(number)s: no person %(code)s.") % {"number": number, "code": parts[0]}
            )
        try:
            share = parse_share(parts[1])
        except ShareError as error:
            raise forms.ValidationError(_("Line %(number)s: %(error)s") % {"number": number, "error": error}) from error
        result.append(ClaimantShare(person=person, share=share))
    if not result:
        raise forms.ValidationError(_("Name at least one claimant."))
    return result


class ClaimantsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})
    people: Any = None  # set by the form: the people its user may name

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text.strip() and not self.required:
            return None
        return parse_claimants(text, self.people)


class ClaimCreateForm(forms.Form):
    household = forms.CharField(
        label=gettext_lazy("Household code"), help_text=gettext_lazy("The displaced household, e.g. HH-004211.")
    )
    heir_line = forms.CharField(
        label=gettext_lazy("Heir line code"),
        required=False,
        help_text=gettext_lazy("Only when heirs file for a deceased person, e.g. HL-000123."),
    )
    remedy = forms.ChoiceField(label=gettext_lazy("Remedy sought"), choices=Remedy.choices)
    language = forms.ChoiceField(label=gettext_lazy("Language of letters"), choices=LetterLanguage.choices)
    claimants = ClaimantsField(
        label=gettext_lazy("Claimants and shares"),
        required=False,
        help_text=gettext_lazy(
            "One a line: person code and share, e.g. P-0000012 1/2. For an heir line, leave it empty: "
            "every heir the registry derives claims, with the heirs' shares."
        ),
    )
    share_override_reason = forms.CharField(
        label=gettext_lazy("Why the shares differ from the heirs' shares"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Only when other shares are agreed; a second person reviews them."),
    )
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, households: Any = None, people: Any = None, **kwargs: Any) -> None:
        """`households`, `people`: what the user may name (the views pass the user's scope);
        a code outside them is answered like a code that does not exist."""
        super().__init__(*args, **kwargs)
        # None: the system (services, the command line); the views pass the user's scope.
        self.households = households if households is not None else Household.objects.unscoped()
        self.people = people if people is not None else Person.objects.unscoped()
        self.fields["claimants"].people = self.people  # type: ignore[attr-defined]

    def clean_household(self) -> Household:
        household = self.households.filter(code=self.cleaned_data["household"].strip().upper()).first()
        if household is None:
            raise forms.ValidationError(_("No household with this code within your scope."))
        return household

    def clean_heir_line(self) -> HeirLine | None:
        code = self.cleaned_data.get("heir_line", "").strip().upper()
        if not code:
            return None
        line = HeirLine.objects.filter(code=code, ancestor__in=self.people).first()
        if line is None:
            raise forms.ValidationError(_("No heir line with this code."))
        return line

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("claimants") is None and not data.get("heir_line") and "claimants" not in self.errors:
            self.add_error("claimants", _("Name at least one claimant."))
        return data


class ClaimEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    remedy = forms.ChoiceField(label=gettext_lazy("Remedy sought"), choices=Remedy.choices)
    language = forms.ChoiceField(label=gettext_lazy("Language of letters"), choices=LetterLanguage.choices)
    claimants = ClaimantsField(
        label=gettext_lazy("Claimants and shares"),
        help_text=gettext_lazy("One a line: person code and share, e.g. P-0000012 1/2."),
    )
    share_override_reason = forms.CharField(
        label=gettext_lazy("Why the shares differ from the heirs' shares"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Only when other shares are agreed; a second person reviews them."),
    )
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class LossItemForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=LossCategory.objects.all(), to_field_name="code"
    )
    place = forms.ModelChoiceField(
        label=gettext_lazy("Settlement"), queryset=Place.objects.filter(kind=PlaceKind.SETTLEMENT), to_field_name="code"
    )
    reference = forms.CharField(
        label=gettext_lazy("Property reference"),
        max_length=200,
        help_text=gettext_lazy("Address, plot or register number, or a short name that identifies this property."),
    )
    original_owner = forms.CharField(label=gettext_lazy("Original owner (person code)"), required=False)
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), min_value=Decimal(0), max_digits=14, decimal_places=4)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=Unit.choices)
    price_year = forms.IntegerField(label=gettext_lazy("Year of loss (for prices)"), min_value=1900, max_value=2100)
    period_start = forms.CharField(
        label=gettext_lazy("Loss from"), required=False, help_text=gettext_lazy("A date or part of one: 1988, 11.1988.")
    )
    period_end = forms.CharField(label=gettext_lazy("Loss until"), required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label=gettext_lazy("Evidence references"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Evidence UUIDs or SHA-256 hashes, one a line."),
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        """`people`: whom the user may name as the original owner (the views pass her scope)."""
        super().__init__(*args, **kwargs)
        self.people = people if people is not None else Person.objects.unscoped()  # None: the system

    def clean_original_owner(self) -> Person | None:
        code = self.cleaned_data.get("original_owner", "").strip().upper()
        if not code:
            return None
        person = self.people.filter(code=code).first()
        if person is None:
            raise forms.ValidationError(_("No person with this code."))
        return person

    def _partial(self, name: str) -> str:
        text = self.cleaned_data.get(name, "").strip()
        if not text:
            return ""
        try:
            return PartialDate.parse(text).to_storage()
        except ValueError as error:
            raise forms.ValidationError(_("Not a date: %(value)s") % {"value": text}) from error

    def clean_period_start(self) -> str:
        return self._partial("period_start")

    def clean_period_end(self) -> str:
        return self._partial("period_end")

    def clean_evidence(self) -> list[str]:
        references = [
            line.strip().lower() for line in self.cleaned_data.get("evidence", "").splitlines() if line.strip()
        ]
        bad = [reference for reference in references if not EVIDENCE_REFERENCE.match(reference)]
        if bad:
            raise forms.ValidationError(_("Not an evidence UUID or SHA-256: %(values)s") % {"values": ", ".join(bad)})
        return references


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        required=False,
        choices=[("granted", gettext_lazy("granted")), ("rejected", gettext_lazy("rejected"))],
    )
    evidence = forms.CharField(
        label=gettext_lazy("Documents in the vault"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("An appeal's documents: their titles (or codes) in the evidence vault, one a line."),
    )


class LetterForm(forms.Form):
    """A letter about a claim to preview or record as sent (the decision letter has its own page)."""

    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=LetterLanguage.choices)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=LetterChannel.choices, required=False)
    recipient = forms.CharField(label=gettext_lazy("To (name and address)"), max_length=300, required=False)
    documents = forms.CharField(
        label=gettext_lazy("Documents needed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One a line, e.g. title deed of the house, birth certificate of the heir."),
    )
    respond_by = forms.DateField(
        label=gettext_lazy("Answer by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    appeal = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RevalueForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    table = forms.ModelChoiceField(
        label=gettext_lazy("Valuation table version"), queryset=ValuationTable.objects.all(), to_field_name="version"
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ValuationImportForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Table name"), max_length=200)
    currency = forms.CharField(label=gettext_lazy("Currency (ISO code)"), max_length=3, min_length=3)
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"), validators=[MaxUploadSize("import")])


class ExportForm(forms.Form):
    purpose = forms.CharField(label=gettext_lazy("Purpose of this export"), widget=forms.Textarea(attrs={"rows": 2}))


class CohortApplyForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reasons for the batch decision"), widget=forms.Textarea(attrs={"rows": 2})
    )
    confidence = forms.DecimalField(
        label=gettext_lazy("QC confidence"),
        initial=Decimal("0.95"),
        min_value=Decimal("0.5"),
        max_value=Decimal("0.999"),
    )
    margin = forms.DecimalField(
        label=gettext_lazy("QC margin of error"),
        initial=Decimal("0.05"),
        min_value=Decimal("0.01"),
        max_value=Decimal("0.5"),
    )


class PrecedentForm(forms.Form):
    case_number = forms.CharField(label=gettext_lazy("Case number of the precedent"))
    decision = forms.IntegerField(label=gettext_lazy("Decision number"), initial=1, min_value=1)


class StatusLookupForm(forms.Form):
    case_number = forms.CharField(label=gettext_lazy("Case number"), max_length=20)
    secret = forms.CharField(
        label=gettext_lazy("Secret code"), max_length=40, widget=forms.PasswordInput(render_value=False)
    )
