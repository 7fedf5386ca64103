from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yurd.linkage.models import MatchStatus


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (MatchStatus.SAME, _("Same person: merge the two records")),
            (MatchStatus.DIFFERENT, _("Different people: never propose this pair again")),
            (MatchStatus.UNSURE, _("Not sure: keep it in the queue with a note")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
