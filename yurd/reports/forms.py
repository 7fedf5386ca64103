from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from yurd.reports.models import ExportFormat, ExportKind
from yurd.reports.selectors import DIMENSIONS, available_measures


def minimum_threshold() -> int:
    return int(getattr(settings, "YURD_SUPPRESSION_THRESHOLD", 5))


class StatisticsForm(forms.Form):
    measure = forms.ChoiceField(label=_("Count"))
    rows = forms.ChoiceField(label=_("Rows"))
    columns = forms.ChoiceField(label=_("Columns"), required=False)
    threshold = forms.IntegerField(
        label=_("Hide cells with fewer than"),
        help_text=_("Small numbers could identify people; cells below this are hidden, with others as needed."),
        max_value=100,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dimension_choices = [(dimension.key, dimension.label) for dimension in DIMENSIONS.values()]
        choices: dict[str, list[tuple[str, Any]]] = {
            "measure": [(measure.key, measure.label) for measure in available_measures()],
            "rows": dimension_choices,
            "columns": [("", _("(none)")), *dimension_choices],
        }
        for name, options in choices.items():
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                field.choices = options
        # The configured minimum may change between requests (settings in tests), so the
        # validator is added per form rather than fixed at import.
        threshold = self.fields["threshold"]
        threshold.validators.append(MinValueValidator(minimum_threshold()))
        threshold.widget.attrs["min"] = minimum_threshold()
        threshold.initial = minimum_threshold()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        measure = data.get("measure")
        for name in ("rows", "columns"):
            key = data.get(name)
            if key and measure and measure not in DIMENSIONS[key].measures:
                self.add_error(name, _("This dimension does not apply to what is counted."))
        if data.get("rows") and data.get("rows") == data.get("columns"):
            self.add_error("columns", _("Choose a different dimension for the columns."))
        return data


class ExportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Records"), choices=ExportKind.choices)
    file_format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        help_text=_("Why this export is needed. It is logged with the export and keys the pseudonyms."),
    )
    identified = forms.BooleanField(
        label=_("Include names"),
        required=False,
        help_text=_("Only for roles allowed to export identified records; otherwise people are pseudonymised."),
    )

    def __init__(self, *args: Any, may_identify: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_identify:
            del self.fields["identified"]

    def clean_purpose(self) -> str:
        purpose = self.cleaned_data["purpose"].strip()
        if len(purpose) < 10:
            raise forms.ValidationError(_("State the purpose in a sentence."))
        return purpose
