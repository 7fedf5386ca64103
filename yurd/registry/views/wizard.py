"""The registration wizard: a household and its members, step by step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yurd.core.actors import actor_from_request
from yurd.core.http import AuthenticatedHttpRequest
from yurd.registry import services
from yurd.registry.forms import (
    MemberFormSet,
    WizardConsentForm,
    WizardHouseholdForm,
    WizardOriginForm,
    WizardResidenceForm,
    member_formset_with_another_row,
)

# --- Registration wizard ------------------------------------------------------------------------

WIZARD_SESSION_KEY = "registry_wizard"
# Lazy: the list is built once, when no request's language is active yet.
WIZARD_STEPS = [
    ("household", gettext_lazy("Household")),
    ("members", gettext_lazy("Members")),
    ("origin", gettext_lazy("Origin and displacement")),
    ("residence", gettext_lazy("Current residence")),
    ("consent", gettext_lazy("Consent")),
]
_STEP_NAMES = [name for name, _label in WIZARD_STEPS]


def _wizard_form(step: str, data: Any = None) -> Any:
    if step == "household":
        return WizardHouseholdForm(data)
    if step == "members":
        return MemberFormSet(data, prefix="members")
    if step == "origin":
        return WizardOriginForm(data)
    if step == "residence":
        return WizardResidenceForm(data)
    return WizardConsentForm(data, initial={"given_on": timezone.localdate()})


def _stored(request: HttpRequest) -> dict[str, dict[str, list[str]]]:
    return request.session.get(WIZARD_SESSION_KEY, {})


@login_required
@permission_required("registry.add_household", raise_exception=True)
def register(request: AuthenticatedHttpRequest, step: str = "household") -> HttpResponse:
    if step not in _STEP_NAMES:
        raise Http404
    stored = _stored(request)
    index = _STEP_NAMES.index(step)
    if any(name not in stored for name in _STEP_NAMES[:index]):
        return redirect("registry:register_step", step=_STEP_NAMES[0])
    if request.method == "POST" and step == "members" and "add_member" in request.POST:
        form = member_formset_with_another_row(request.POST)
    elif request.method == "POST":
        form = _wizard_form(step, request.POST)
        if form.is_valid():
            data = {key: values for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"}
            stored[step] = data
            request.session[WIZARD_SESSION_KEY] = stored
            if index + 1 < len(_STEP_NAMES):
                return redirect("registry:register_step", step=_STEP_NAMES[index + 1])
            return _wizard_finish(request, stored)
    else:
        form = _wizard_form(step, _as_querydict(stored[step]) if step in stored else None)
    return render(
        request,
        "registry/register.html",
        {
            "form": form,
            "step": step,
            "steps": WIZARD_STEPS,
            "index": index + 1,
            "is_last": index + 1 == len(WIZARD_STEPS),
        },
    )


def _as_querydict(data: dict[str, list[str]]) -> Any:
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def _wizard_finish(request: HttpRequest, stored: dict[str, dict[str, list[str]]]) -> HttpResponse:
    forms = {step: _wizard_form(step, _as_querydict(stored[step])) for step in _STEP_NAMES}
    if not all(form.is_valid() for form in forms.values()):
        messages.error(request, _("Some steps need correcting."))
        return redirect("registry:register_step", step=_STEP_NAMES[0])
    household_data = forms["household"].cleaned_data
    origin = forms["origin"].cleaned_data
    members = []
    for member_form in forms["members"].forms:
        if member_form.is_blank:
            continue
        data = member_form.cleaned_data
        members.append(
            {
                "surname": data["surname"],
                "given_name": data["given_name"],
                "patronymic": data["patronymic"],
                "sex": data["sex"],
                "household_role": data["household_role"],
                "birth_date": data["birth_date"],
                "death_date": data["death_date"],
                "other_names": [{"surname": data["other_surname"], "given_name": data["other_given_name"]}],
            }
        )
    consent = forms["consent"].cleaned_data
    try:
        household = services.household_register(
            actor=actor_from_request(request),
            household={
                "origin_place": origin["origin_place"],
                "wave": origin["wave"],
                "displacement_date": origin["displacement_date"],
                "destination_place": origin["destination_place"],
                "current_place": forms["residence"].cleaned_data["current_place"],
                "notes": household_data["notes"],
            },
            members=members,
            consent={"purpose": consent["purpose"], "given_on": consent["given_on"]}
            if consent["consent_given"]
            else None,
            source=household_data["source"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:register_step", step="origin")
    del request.session[WIZARD_SESSION_KEY]
    messages.success(request, _("Household %(code)s registered.") % {"code": household.code})
    return redirect("registry:household_detail", code=household.code)


@login_required
@permission_required("registry.add_household", raise_exception=True)
@require_POST
def register_cancel(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.session.pop(WIZARD_SESSION_KEY, None)
    return redirect("registry:household_list")
