from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yurd.claims.domain.shares import ShareError, parse_share
from yurd.claims.models import LetterChannel, LetterLanguage, LossCategory, Remedy, Unit, ValuationTable
from yurd.claims.selectors import Candidate
from yurd.claims.services.filing import ClaimantShare
from yurd.core.forms import LocalDateField, PartialDateInput, choice_field
from yurd.core.partial_dates import PartialDate
from yurd.core.uploads import MaxUploadSize
from yurd.places.models import Place, PlaceKind
from yurd.registry.models import HeirLine, Household, Person


class ClaimantsPickerForm(forms.Form):
    """Claimants ticked from the people offered, each with a share.

    Only the candidates given can be named (none given: no one can). Shares left empty
    are equal shares; an heir's box starts with the share the rule gives them.
    """

    claimants = forms.MultipleChoiceField(
        label=gettext_lazy("Claimants"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        candidates: Sequence[Candidate] = (),
        chosen: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        """`chosen`: person code -> share text of the claimants already named (an edit)."""
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        field = choice_field(self, "claimants")
        field.choices = [(candidate.person.code, candidate.label) for candidate in self.candidates]
        if chosen is None:
            # A new heir-line claim names every heir with the rule's share; a household ticks by hand.
            chosen = {c.person.code: str(c.share) for c in self.candidates if c.share is not None}
        field.initial = list(chosen)
        for candidate in self.candidates:
            code = candidate.person.code
            self.fields[self.share_name(code)] = forms.CharField(
                label=gettext_lazy("Share"),
                required=False,
                max_length=20,
                initial=chosen.get(code, str(candidate.share) if candidate.share is not None else ""),
                widget=forms.TextInput(attrs={"inputmode": "text", "size": 6, "placeholder": "1/2"}),
            )

    @staticmethod
    def share_name(code: str) -> str:
        return f"share_{code}"

    def rows(self) -> list[tuple[Any, Any, Candidate]]:
        """(checkbox, share field, candidate) per person offered, for the template."""
        boxes = list(self["claimants"])
        return [
            (box, self[self.share_name(candidate.person.code)], candidate)
            for box, candidate in zip(boxes, self.candidates, strict=True)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        codes = data.get("claimants") or []
        if not codes:
            if "claimants" not in self.errors:
                self.add_error("claimants", _("Name at least one claimant."))
            return data
        people = {candidate.person.code: candidate.person for candidate in self.candidates}
        texts = {code: (data.get(self.share_name(code)) or "").strip() for code in codes}
        result: list[ClaimantShare] = []
        if not any(texts.values()):
            result = [ClaimantShare(person=people[code], share=Fraction(1, len(codes))) for code in codes]
        else:
            for code, text in texts.items():
                if not text:
                    self.add_error(
                        self.share_name(code),
                        _("Give the share of %(code)s, or leave every share empty for equal shares.") % {"code": code},
                    )
                    continue
                try:
                    result.append(ClaimantShare(person=people[code], share=parse_share(text)))
                except ShareError as error:
                    self.add_error(self.share_name(code), f"{code}: {error}")
        data["result"] = result
        return data


class ClaimCreateForm(forms.Form):
    household = forms.CharField(widget=forms.HiddenInput)
    heir_line = forms.CharField(required=False, widget=forms.HiddenInput)
    remedy = forms.ChoiceField(label=gettext_lazy("Remedy sought"), choices=Remedy.choices)
    language = forms.ChoiceField(label=gettext_lazy("Language of letters"), choices=LetterLanguage.choices)
    share_override_reason = forms.CharField(
        label=gettext_lazy("Why the shares differ from the heirs' shares"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Only when other shares are agreed; a second person reviews them."),
    )
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, households: Any = None, heir_lines: Any = None, **kwargs: Any) -> None:
        """`households`, `heir_lines`: what the user may name (the views pass the user's scope);
        a code outside them is answered like a code that does not exist. None: nothing."""
        super().__init__(*args, **kwargs)
        self.households = households if households is not None else Household.objects.none()
        self.heir_lines = heir_lines if heir_lines is not None else HeirLine.objects.none()

    def clean_household(self) -> Household:
        household = self.households.filter(code=self.cleaned_data["household"].strip().upper()).first()
        if household is None:
            raise forms.ValidationError(_("No household with this code within your scope."))
        return household

    def clean_heir_line(self) -> HeirLine | None:
        code = self.cleaned_data.get("heir_line", "").strip().upper()
        if not code:
            return None
        line = self.heir_lines.filter(code=code).first()
        if line is None:
            raise forms.ValidationError(_("No heir line with this code."))
        return line


class ClaimEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    remedy = forms.ChoiceField(label=gettext_lazy("Remedy sought"), choices=Remedy.choices)
    language = forms.ChoiceField(label=gettext_lazy("Language of letters"), choices=LetterLanguage.choices)
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
        widget=PartialDateInput(),
        label=gettext_lazy("Loss from"),
        required=False,
        help_text=gettext_lazy("A date or part of one: 1988, 11.1988."),
    )
    period_end = forms.CharField(widget=PartialDateInput(), label=gettext_lazy("Loss until"), required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label=gettext_lazy("Documents in the vault"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Their titles (or codes) in the evidence vault, one a line; or find them below."),
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        """`people`: whom the user may name as the original owner (the views pass her scope; None: no one)."""
        super().__init__(*args, **kwargs)
        self.people = people if people is not None else Person.objects.none()

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
        return [line.strip() for line in self.cleaned_data.get("evidence", "").splitlines() if line.strip()]


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
    respond_by = LocalDateField(label=gettext_lazy("Answer by"), required=False)
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
