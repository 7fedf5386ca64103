from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.core.forms import LocalDateField, PartialDateInput, model_choice_field
from yurd.core.partial_dates import PartialDate
from yurd.evidence.models import EvidenceItem
from yurd.evidence.selectors import evidence_list
from yurd.heritage.selectors import sites_visible
from yurd.places.models import Place
from yurd.places.selectors import place_resolve
from yurd.registry.models import Person
from yurd.testimonies.models import AccessLevel, ConsentUse, Term, TermStatus, TestimonyLanguage, TranscriptKind


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words in any language or script"), max_length=200, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("How and when the narrator withdrew consent"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ExportForm(forms.Form):
    use = forms.ChoiceField(
        label=_("Use of the export"),
        choices=ConsentUse.choices,
        help_text=_("Only testimonies whose narrators consented to this use are exported."),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=200)


class TermProposalForm(forms.Form):
    label_en = forms.CharField(label=_("Term in English"), max_length=100)
    label_az = forms.CharField(label=_("Term in Azerbaijani"), max_length=100, required=False)
    label_ru = forms.CharField(label=_("Term in Russian"), max_length=100, required=False)
    scope_note = forms.CharField(label=_("Scope note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _codes(text: str) -> list[str]:
    return [code.upper() for code in re.split(r"[\s,;]+", text or "") if code]


def _resolve_place(text: str) -> Place:
    """A place by its code or by a name in any script; a clear error when unknown or ambiguous."""
    text = text.strip()
    found = Place.objects.filter(code=text).first() or place_resolve(text)
    if isinstance(found, list):
        raise forms.ValidationError(
            _("%(name)s could be several places: %(codes)s; give the code.")
            % {"name": text, "codes": ", ".join(place.code for place in found[:5])}
        )
    if found is None:
        raise forms.ValidationError(_("No place is called %(name)s.") % {"name": text})
    return found


def linkable_people(user: User) -> Any:
    """People a curator may link by code: those within the user's scope.

    Archivists link narrators and people named without the registry's read permission:
    they type a code they were given, and the testimony page shows names only to roles
    that see names.
    """
    return Person.objects.visible_to(user)


class _UserForm(forms.Form):
    """A form whose choices and look-ups depend on what the user may see."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)


class TestimonyForm(_UserForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    narrator = forms.CharField(
        label=_("Narrator (person code in the registry)"),
        max_length=16,
        required=False,
        help_text=_("Leave empty for an anonymous narrator, and describe them below."),
    )
    narrator_description = forms.CharField(
        label=_("Narrator (when anonymous)"),
        max_length=200,
        required=False,
        help_text=_("For example: woman born 1940s"),
    )
    interviewer = forms.CharField(label=_("Interviewer"), max_length=200)
    recorded_on = forms.CharField(
        widget=PartialDateInput(),
        label=_("Date of recording"),
        max_length=20,
        required=False,
        help_text=_("12.05.2024, 05.2024 or 2024"),
    )
    place = forms.CharField(
        label=_("Place of recording"), max_length=200, required=False, help_text=_("A place code or a name")
    )
    language = forms.ChoiceField(label=_("Language"), choices=TestimonyLanguage.choices)
    recording = forms.ModelChoiceField(
        label=_("Recording (from the evidence vault)"),
        queryset=EvidenceItem.objects.none(),
        required=False,
        help_text=_("Audio and video items you may see; ingest the file into the vault first."),
    )
    other_media = forms.ModelMultipleChoiceField(
        label=_("Other media (from the evidence vault)"),
        queryset=EvidenceItem.objects.none(),
        required=False,
        help_text=_("Photographs, documents or further recordings; hold Ctrl to choose several."),
    )
    consent_uses = forms.MultipleChoiceField(
        label=_("Consented uses"), choices=ConsentUse.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    consent_restrictions = forms.CharField(
        label=_("Restrictions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    consent_given_on = LocalDateField(label=_("Consent given on"), required=False)
    access_level = forms.ChoiceField(label=_("Access level"), choices=AccessLevel.choices, initial=AccessLevel.OPEN)
    reason = forms.CharField(label=_("Reason for the change"), max_length=100, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)

        visible = evidence_list(actor=Actor(user=user)).order_by("-id")
        model_choice_field(self, "recording").queryset = visible.filter(
            Q(media_type__startswith="audio/") | Q(media_type__startswith="video/")
        )
        model_choice_field(self, "other_media").queryset = visible

    def clean_narrator(self) -> Any:
        code = self.cleaned_data["narrator"].strip().upper()
        if not code:
            return None
        person = linkable_people(self.user).filter(code=code).first()
        if person is None:
            raise forms.ValidationError(_("No person %(code)s that you may see.") % {"code": code})
        return person

    def clean_recorded_on(self) -> str:
        text = self.cleaned_data["recorded_on"].strip()
        if text:
            try:
                PartialDate.parse(text)
            except ValueError as error:
                raise forms.ValidationError(str(error)) from error
        return text

    def clean_place(self) -> Place | None:
        text = self.cleaned_data["place"]
        return _resolve_place(text) if text.strip() else None


class TranscriptForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TranscriptKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=TestimonyLanguage.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    reason = forms.CharField(label=_("Reason for the change"), max_length=100, required=False)


def parse_time(text: str) -> int:
    """Seconds from "75", "1:15" or "1:01:15"."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(part.isdigit() for part in parts):
        raise forms.ValidationError(_("Give a time as seconds, m:ss or h:mm:ss."))
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds


def format_time(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes}:{rest:02d}"


class SegmentForm(_UserForm):
    start = forms.CharField(label=_("Start"), max_length=12, help_text=_("m:ss, h:mm:ss or seconds"))
    end = forms.CharField(label=_("End"), max_length=12)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    transcript_text = forms.CharField(
        label=_("Transcript of this part"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    keywords = forms.ModelMultipleChoiceField(
        label=_("Keywords"),
        queryset=Term.objects.filter(status=TermStatus.APPROVED),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Approved thesaurus terms; propose a missing one on the thesaurus page."),
    )
    people = forms.CharField(
        label=_("People named (person codes)"), required=False, help_text=_("Separated by spaces or commas")
    )
    places = forms.CharField(
        label=_("Places named"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: a place code or a name"),
    )
    heritage_sites = forms.CharField(
        label=_("Heritage sites named (site codes)"), required=False, help_text=_("Separated by spaces or commas")
    )
    events = forms.CharField(
        label=_("Events named"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One per line")
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=100, required=False)

    def clean_start(self) -> int:
        return parse_time(self.cleaned_data["start"])

    def clean_end(self) -> int:
        return parse_time(self.cleaned_data["end"])

    def clean_people(self) -> list[Any]:
        codes = _codes(self.cleaned_data["people"])
        people = list(linkable_people(self.user).filter(code__in=codes)) if codes else []
        missing = sorted(set(codes) - {person.code for person in people})
        if missing:
            raise forms.ValidationError(_("No person that you may see: %(codes)s") % {"codes": ", ".join(missing)})
        return people

    def clean_places(self) -> list[Place]:
        return [_resolve_place(line) for line in self.cleaned_data["places"].splitlines() if line.strip()]

    def clean_heritage_sites(self) -> list[Any]:
        codes = _codes(self.cleaned_data["heritage_sites"])
        sites = list(sites_visible(user=self.user).filter(code__in=codes)) if codes else []
        missing = sorted(set(codes) - {site.code for site in sites})
        if missing:
            raise forms.ValidationError(_("No heritage site %(codes)s.") % {"codes": ", ".join(missing)})
        return sites

    def clean_events(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["events"].splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", _("The end comes after the start."))
        return data

    @staticmethod
    def initial_for(segment: Any) -> dict[str, Any]:
        return {
            "start": format_time(segment.start_seconds),
            "end": format_time(segment.end_seconds),
            "title": segment.title,
            "summary": segment.summary,
            "transcript_text": segment.transcript_text,
            "keywords": list(segment.keywords.all()),
            "people": " ".join(person.code for person in segment.people.all()),
            "places": "\n".join(place.code for place in segment.places.all()),
            "heritage_sites": " ".join(site.code for site in segment.heritage_sites.all()),
            "events": "\n".join(segment.events),
        }
