"""Registry record pages: lists, household and person pages, edits, history, heirs, consent, search."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yurd.core.access import access_history, log_access, logs_record_view
from yurd.core.actors import actor_from_request
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.models import AccessAction
from yurd.registry import selectors, services
from yurd.registry.forms import (
    ConsentForm,
    FilterForm,
    HouseholdEditForm,
    PersonEditForm,
)
from yurd.registry.models import Person
from yurd.registry.search import registry_search
from yurd.registry.views.person_sections import (
    SENSITIVE_GROUPS,
    kinship_context,
    log_relatives_shown,
    names_context,
    sensitive_context,
)

PAGE_SIZE = 50


def page_of(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _position(request: HttpRequest) -> dict[str, str]:
    return {"after": request.GET.get("after", "")[:32], "before": request.GET.get("before", "")[:32]}


def _query_only(request: HttpRequest) -> str:
    """The filters of a list, without its position."""
    query = request.GET.copy()
    for name in ("page", "after", "before"):
        query.pop(name, None)
    return query.urlencode()


@login_required
@permission_required("registry.view_household", raise_exception=True)
def household_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    page = selectors.household_page(
        user=request.user,
        filters=form.filters(),
        choices=form.choices,
        **_position(request),
    )
    log_access(actor_from_request(request), AccessAction.LIST, "registry.household")
    return render(
        request,
        "registry/household_list.html",
        {"form": form, "page": page, "query": _query_only(request)},
    )


@login_required
@permission_required("registry.view_person", raise_exception=True)
def person_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    page = selectors.person_page(
        user=request.user,
        filters=form.filters(),
        choices=form.choices,
        **_position(request),
    )
    log_access(actor_from_request(request), AccessAction.LIST, "registry.person")
    return render(
        request,
        "registry/person_list.html",
        {"form": form, "page": page, "query": _query_only(request)},
    )


@login_required
@permission_required("registry.view_household", raise_exception=True)
@logs_record_view("registry.household")
def household_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    household = selectors.get_household_for_user(user=request.user, code=code)
    members = selectors.household_members(household)
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "members": members,
            "tree": selectors.household_tree(members),
        },
    )


@login_required
@permission_required("registry.view_person", raise_exception=True)
@logs_record_view("registry.person")
def person_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    person = selectors.get_person_for_user(user=request.user, code=code)
    descendants, heir_generations = selectors.descendant_tree(person, user=request.user)
    kinship = kinship_context(request, person)
    shown = {relative.person for relative in kinship["relatives"] if relative.person is not None}
    shown.update(selectors.tree_people(descendants))
    shown.update(heir for generation in heir_generations for heir in generation)
    log_relatives_shown(request, person, shown)
    context: dict[str, Any] = {
        "person": person,
        "consents": person.consents.order_by("-given_on"),
        "descendants": descendants,
        "heir_generations": heir_generations,
        "heir_line": getattr(person, "heir_line", None) if person.is_deceased else None,
        "consent_form": ConsentForm(initial={"given_on": timezone.localdate()}),
        "accesses": access_history(person, limit=20),
        **names_context(person),
        **kinship,
        **sensitive_context(request, person),
    }
    return render(request, "registry/person_detail.html", context)


@login_required
@permission_required("registry.change_household", raise_exception=True)
def household_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    household = selectors.get_household_for_user(user=request.user, code=code)
    form = HouseholdEditForm(request.POST or None, instance=household)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in HouseholdEditForm.Meta.fields}
        try:
            services.household_update(
                actor=actor_from_request(request),
                household=household,
                reason=form.cleaned_data["reason"],
                **changes,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Household saved."))
            return redirect("registry:household_detail", code=code)
    log_access(actor_from_request(request), AccessAction.VIEW, household, detail={"page": "edit"})
    return render(request, "registry/edit.html", {"form": form, "record": household, "title": _("Edit household")})


@login_required
@permission_required("registry.change_person", raise_exception=True)
def person_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    person = selectors.get_person_for_user(user=request.user, code=code)
    form = PersonEditForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in PersonEditForm.Meta.fields}
        try:
            services.person_update(
                actor=actor_from_request(request), person=person, reason=form.cleaned_data["reason"], **changes
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Person saved."))
            return redirect("registry:person_detail", code=code)
    log_access(actor_from_request(request), AccessAction.VIEW, person, detail={"page": "edit"})
    return render(request, "registry/edit.html", {"form": form, "record": person, "title": _("Edit person")})


_HISTORY_HIDDEN = {"id", "created_at", "updated_at", "search_text", "person", "household", "from_person", "to_person"}


def _history_rows(entries: list[Any], record_label: str = "") -> list[dict[str, Any]]:
    rows = []
    for entry in entries:
        changes = []
        if entry.history_type == "~" and entry.prev_record is not None:
            changes = [
                (change.field, change.old, change.new) for change in entry.diff_against(entry.prev_record).changes
            ]
        elif entry.history_type == "+":
            # What was recorded, so that a created name form or document shows its content.
            changes = [
                (field.name, "", value)
                for field in entry.instance._meta.concrete_fields
                if field.name not in _HISTORY_HIDDEN and (value := getattr(entry.instance, field.attname, ""))
            ]
        rows.append({"entry": entry, "changes": changes, "record": record_label or str(entry.instance)})
    return rows


def _history(request: HttpRequest, record: Model, label: str, rows: list[dict[str, Any]] | None = None) -> HttpResponse:
    log_access(actor_from_request(request), AccessAction.VIEW, record, detail={"page": "history"})
    if rows is None:
        rows = _history_rows(selectors.record_history(record), label)
    return render(request, "registry/history.html", {"record": record, "rows": rows, "label": label})


@login_required
@permission_required("registry.view_household", raise_exception=True)
def household_history(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    household = selectors.get_household_for_user(user=request.user, code=code)
    return _history(request, household, _("Household"))


@login_required
@permission_required("registry.view_person", raise_exception=True)
def person_history(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The person's own history, with that of their name forms and kinship edges (and, for
    roles that may see them, of their contact details and identity documents), newest first.
    """
    person = selectors.get_person_for_user(user=request.user, code=code)
    sees_sensitive = request.user.has_perm("registry.view_sensitive")
    groups = selectors.person_related_history(person, sensitive=sees_sensitive)
    rows = _history_rows(selectors.record_history(person), _("Person"))
    for label, entries in (
        (_("Name form"), groups["names"]),
        (_("Kinship"), groups["kinship"]),
        (_("Contact details"), groups.get("contact", [])),
        (_("Identity document"), groups.get("documents", [])),
    ):
        rows += _history_rows(entries, label)
    rows.sort(key=lambda row: (row["entry"].history_date, row["entry"].history_id), reverse=True)
    if sees_sensitive:
        log_access(
            actor_from_request(request),
            AccessAction.VIEW,
            person,
            detail={"page": "history", "sensitive": SENSITIVE_GROUPS},
        )
    return _history(request, person, _("Person"), rows)


@login_required
@permission_required("registry.add_heirline", raise_exception=True)
@require_POST
def heir_line_create(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    person = selectors.get_person_for_user(user=request.user, code=code)
    try:
        line = services.heir_line_create(actor=actor_from_request(request), ancestor=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Heir line %(code)s opened.") % {"code": line.code})
    return redirect("registry:person_detail", code=code)


@login_required
@permission_required("registry.add_consent", raise_exception=True)
@require_POST
def consent_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    person = selectors.get_person_for_user(user=request.user, code=code)
    form = ConsentForm(request.POST)
    if form.is_valid():
        services.consent_record(
            actor=actor_from_request(request),
            person=person,
            purpose=form.cleaned_data["purpose"],
            given_on=form.cleaned_data["given_on"],
        )
        messages.success(request, _("Consent recorded."))
    else:
        messages.error(request, _("Give the purpose and the date of the consent."))
    return redirect("registry:person_detail", code=code)


@login_required
@permission_required("registry.change_consent", raise_exception=True)
@require_POST
def consent_withdraw(request: AuthenticatedHttpRequest, code: str, consent_id: int) -> HttpResponse:
    person = selectors.get_person_for_user(user=request.user, code=code)
    consent = get_object_or_404(person.consents, pk=consent_id)
    try:
        services.consent_withdraw(
            actor=actor_from_request(request),
            consent=consent,
            withdrawn_on=timezone.localdate(),
            reason=request.POST.get("reason", "").strip() or _("Consent withdrawn"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("registry:person_detail", code=code)


@login_required
@permission_required("registry.view_person", raise_exception=True)
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    result = None
    if query:
        result = registry_search(user=request.user, query=query)
        log_access(actor_from_request(request), AccessAction.SEARCH, Person, detail={"query": query})
    template = "registry/search_results.html" if request.headers.get("HX-Request") else "registry/search.html"
    return render(request, template, {"query": query, "result": result})
