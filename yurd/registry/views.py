"""Registry pages. Thin: parse input, call one selector or service, render."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yurd.core.access import access_history, log_access, logs_record_view
from yurd.core.actors import actor_from_request
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.models import AccessAction
from yurd.core.permissions import require
from yurd.registry import selectors, services
from yurd.registry.exports import export_csv, export_xlsx, registry_export
from yurd.registry.forms import (
    ConsentForm,
    ContactForm,
    ExportForm,
    FilterForm,
    HouseholdEditForm,
    IdentityDocumentForm,
    ImportUploadForm,
    KinshipForm,
    KinshipRelation,
    MemberFormSet,
    PersonEditForm,
    PersonNameForm,
    RemoveForm,
    WizardConsentForm,
    WizardHouseholdForm,
    WizardOriginForm,
    WizardResidenceForm,
    member_formset_with_another_row,
)
from yurd.registry.imports import ImportFileError, ImportRefusedError, rejected_rows_csv, template_csv
from yurd.registry.imports.services import import_create, staged_errors
from yurd.registry.models import ContactDetails, IdentityDocument, ImportBatch, KinshipKind, Person, PersonName
from yurd.registry.search import registry_search
from yurd.registry.tasks import import_check_start, import_commit_start

PAGE_SIZE = 50


def _page(request: HttpRequest, queryset: Any) -> Any:
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
    kinship = _kinship_context(request, person)
    shown = {relative.person for relative in kinship["relatives"] if relative.person is not None}
    shown.update(selectors.tree_people(descendants))
    shown.update(heir for generation in heir_generations for heir in generation)
    _log_relatives_shown(request, person, shown)
    context: dict[str, Any] = {
        "person": person,
        "consents": person.consents.order_by("-given_on"),
        "descendants": descendants,
        "heir_generations": heir_generations,
        "heir_line": getattr(person, "heir_line", None) if person.is_deceased else None,
        "consent_form": ConsentForm(initial={"given_on": timezone.localdate()}),
        "accesses": access_history(person, limit=20),
        **_names_context(person),
        **kinship,
        **_sensitive_context(request, person),
    }
    return render(request, "registry/person_detail.html", context)


# --- Person page sections: name forms, kinship, contact details and identity documents ---------
#
# Each section is a partial template. Its forms post with htmx and get the section back
# (with errors next to the fields); without htmx a success redirects to the person page
# and an error shows the form on a page of its own.


def _names_context(person: Person, form: PersonNameForm | None = None) -> dict[str, Any]:
    return {
        "person": person,
        "other_names": list(person.other_names.order_by("pk")),
        "name_form": form or PersonNameForm(prefix="name"),
    }


def _log_relatives_shown(request: HttpRequest, person: Person, relatives: set[Person]) -> None:
    """Each relative a person's page names is a record seen: logged against that relative."""
    actor = actor_from_request(request)
    for relative in sorted(relatives, key=lambda other: other.code):
        if relative.pk != person.pk:
            log_access(actor, AccessAction.VIEW, relative, detail={"shown_on": person.code})


def _htmx(request: HttpRequest) -> bool:
    """Whether the response is the section alone (without htmx a success redirects to the page)."""
    return bool(request.headers.get("HX-Request"))


def _kinship_context(
    request: AuthenticatedHttpRequest, person: Person, form: KinshipForm | None = None, *, log: bool = False
) -> dict[str, Any]:
    """The kinship section; with `log`, each relative it names is logged (the section sent
    alone by htmx; the person page logs everyone it shows at once)."""
    relatives = selectors.person_relatives(person, user=request.user)
    if log:
        _log_relatives_shown(request, person, {relative.person for relative in relatives if relative.person})
    return {
        "person": person,
        "relatives": relatives,
        "kinship_form": form or KinshipForm(prefix="kinship", person=person, find_person=None),
    }


def _sensitive_context(
    request: HttpRequest,
    person: Person,
    *,
    contact_form: ContactForm | None = None,
    document_form: IdentityDocumentForm | None = None,
) -> dict[str, Any]:
    """Contact details and identity documents, for roles that may see them; each showing is
    logged in the access log, as a view of the person's sensitive fields.
    """
    sees_sensitive = request.user.has_perm("registry.view_sensitive")
    if not sees_sensitive:
        return {"sees_sensitive": False}
    log_access(actor_from_request(request), AccessAction.VIEW, person, detail={"sensitive": SENSITIVE_GROUPS})
    return {
        "person": person,
        "sees_sensitive": True,
        "contact": ContactDetails.objects.filter(person=person).first(),
        "documents": list(IdentityDocument.objects.filter(person=person).order_by("pk")),
        "document_form": document_form or IdentityDocumentForm(prefix="document"),
        "contact_form": contact_form,
    }


SENSITIVE_GROUPS = ["contact details", "identity documents"]


def _section(
    request: HttpRequest, person: Person, template: str, context: dict[str, Any], *, page_title: str, form: Any
) -> HttpResponse:
    """The section after a failed post: the partial for htmx, a form page otherwise."""
    log_access(actor_from_request(request), AccessAction.VIEW, person, detail={"section": template})
    if request.headers.get("HX-Request"):
        return render(request, template, context)
    return render(request, "registry/person_form.html", {"person": person, "form": form, "title": page_title})


def _done(request: HttpRequest, person: Person, template: str, context: dict[str, Any], message: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        # The section shows the person (and, for kinship, the relatives) again.
        log_access(actor_from_request(request), AccessAction.VIEW, person, detail={"section": template})
        return render(request, template, {**context, "saved": message})
    messages.success(request, message)
    return redirect("registry:person_detail", code=person.code)


def _person(request: AuthenticatedHttpRequest, code: str) -> Person:
    return selectors.get_person_for_user(user=request.user, code=code)


def _saved(request: HttpRequest, form: Any, service: Callable[..., object], **target: object) -> bool:
    """Calls `service` as the user with the form's model fields and reason; a refusal becomes
    an error on the form. True when it saved."""
    try:
        service(
            actor=actor_from_request(request),
            reason=form.cleaned_data["reason"],
            **target,
            **{field: form.cleaned_data[field] for field in form.Meta.fields},
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _edit_page(
    request: HttpRequest,
    person: Person,
    form: Any,
    service: Callable[..., object],
    *,
    message: str,
    title: str,
    target: dict[str, object],
) -> HttpResponse:
    """An edit on a page of its own: saved, back to the person; otherwise the form again.
    `target` names what the service changes (`name=…`, `person=…`, `document=…`)."""
    if request.method == "POST" and form.is_valid() and _saved(request, form, service, **target):
        messages.success(request, message)
        return redirect("registry:person_detail", code=person.code)
    log_access(actor_from_request(request), AccessAction.VIEW, person, detail={"page": "edit"})
    return render(request, "registry/person_form.html", {"person": person, "form": form, "title": title})


@login_required
@permission_required("registry.add_personname", raise_exception=True)
@require_POST
def person_name_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    person = _person(request, code)
    form = PersonNameForm(request.POST, prefix="name")
    if form.is_valid() and _saved(request, form, services.person_name_add, person=person):
        return _done(request, person, "registry/_person_names.html", _names_context(person), _("Name form added."))
    context = _names_context(person, form)
    return _section(request, person, "registry/_person_names.html", context, page_title=_("Add a name form"), form=form)


@login_required
@permission_required("registry.change_personname", raise_exception=True)
def person_name_edit(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    person = _person(request, code)
    name = get_object_or_404(PersonName, person=person, pk=pk)
    form = PersonNameForm(request.POST or None, instance=name, prefix="name")
    return _edit_page(
        request,
        person,
        form,
        services.person_name_update,
        message=_("Name form saved."),
        title=_("Edit a name form"),
        target={"name": name},
    )


@login_required
@permission_required("registry.change_personname", raise_exception=True)
@require_POST
def person_name_remove(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    person = _person(request, code)
    name = get_object_or_404(PersonName, person=person, pk=pk)
    form = RemoveForm(request.POST, prefix=f"remove-name-{pk}")
    if form.is_valid():
        services.person_name_remove(actor=actor_from_request(request), name=name, reason=form.cleaned_data["reason"])
        return _done(request, person, "registry/_person_names.html", _names_context(person), _("Name form removed."))
    context = {**_names_context(person), "remove_errors": {pk: form.errors}}
    return _section(
        request, person, "registry/_person_names.html", context, page_title=_("Remove a name form"), form=form
    )


def _find_person(request: AuthenticatedHttpRequest) -> Any:
    def find(code: str) -> Person | None:
        try:
            return selectors.get_person_for_user(user=request.user, code=code)
        except Http404:
            return None

    return find


@login_required
@permission_required("registry.add_kinship", raise_exception=True)
@require_POST
def kinship_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    person = _person(request, code)
    form = KinshipForm(request.POST, prefix="kinship", person=person, find_person=_find_person(request))
    if form.is_valid():
        relation, other = form.cleaned_data["relation"], form.cleaned_data["other_person"]
        from_person, to_person = (other, person) if relation == KinshipRelation.CHILD_OF else (person, other)
        kind = KinshipKind.SPOUSE_OF if relation == KinshipRelation.SPOUSE_OF else KinshipKind.PARENT_OF
        try:
            services.kinship_add(
                actor=actor_from_request(request),
                from_person=from_person,
                to_person=to_person,
                kind=kind,
                source=form.cleaned_data["source"],
                certainty=form.cleaned_data["certainty"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error("other_person", str(error))
        else:
            context = _kinship_context(request, person, log=_htmx(request))
            return _done(request, person, "registry/_person_kinship.html", context, _("Kinship recorded."))
    context = _kinship_context(request, person, form, log=_htmx(request))
    return _section(
        request, person, "registry/_person_kinship.html", context, page_title=_("Record kinship"), form=form
    )


@login_required
@permission_required("registry.change_kinship", raise_exception=True)
@require_POST
def kinship_remove(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    person = _person(request, code)
    edge = selectors.person_kinship_edge(person, pk, user=request.user)
    form = RemoveForm(request.POST, prefix=f"remove-kinship-{pk}")
    if form.is_valid():
        try:
            services.kinship_remove(actor=actor_from_request(request), kinship=edge, reason=form.cleaned_data["reason"])
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            context = _kinship_context(request, person, log=_htmx(request))
            return _done(request, person, "registry/_person_kinship.html", context, _("Kinship removed."))
    context = {**_kinship_context(request, person, log=_htmx(request)), "remove_errors": {pk: form.errors}}
    return _section(
        request, person, "registry/_person_kinship.html", context, page_title=_("Remove kinship"), form=form
    )


@login_required
def contact_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    require(request.user, "registry.view_sensitive", "registry.change_contactdetails")
    person = _person(request, code)
    contact = ContactDetails.objects.filter(person=person).first()
    if request.method != "POST":
        log_access(actor_from_request(request), AccessAction.VIEW, person, detail={"sensitive": ["contact details"]})
    form = ContactForm(request.POST or None, instance=contact, prefix="contact")
    return _edit_page(
        request,
        person,
        form,
        services.contact_update,
        message=_("Contact details saved."),
        title=_("Contact details"),
        target={"person": person},
    )


@login_required
@require_POST
def document_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    require(request.user, "registry.view_sensitive", "registry.add_identitydocument")
    person = _person(request, code)
    form = IdentityDocumentForm(request.POST, prefix="document")
    if form.is_valid() and _saved(request, form, services.identity_document_add, person=person):
        context = _sensitive_context(request, person)
        return _done(request, person, "registry/_person_sensitive.html", context, _("Identity document added."))
    context = _sensitive_context(request, person, document_form=form)
    return _section(
        request, person, "registry/_person_sensitive.html", context, page_title=_("Add an identity document"), form=form
    )


@login_required
def document_edit(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    require(request.user, "registry.view_sensitive", "registry.change_identitydocument")
    person = _person(request, code)
    document = get_object_or_404(IdentityDocument, person=person, pk=pk)
    if request.method != "POST":
        log_access(actor_from_request(request), AccessAction.VIEW, person, detail={"sensitive": ["identity documents"]})
    form = IdentityDocumentForm(request.POST or None, instance=document, prefix="document")
    return _edit_page(
        request,
        person,
        form,
        services.identity_document_update,
        message=_("Identity document saved."),
        title=_("Edit an identity document"),
        target={"document": document},
    )


@login_required
@require_POST
def document_remove(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    require(request.user, "registry.view_sensitive", "registry.change_identitydocument")
    person = _person(request, code)
    document = get_object_or_404(IdentityDocument, person=person, pk=pk)
    form = RemoveForm(request.POST, prefix=f"remove-document-{pk}")
    if form.is_valid():
        services.identity_document_remove(
            actor=actor_from_request(request), document=document, reason=form.cleaned_data["reason"]
        )
        context = _sensitive_context(request, person)
        return _done(request, person, "registry/_person_sensitive.html", context, _("Identity document removed."))
    context = {**_sensitive_context(request, person), "remove_errors": {pk: form.errors}}
    return _section(
        request,
        person,
        "registry/_person_sensitive.html",
        context,
        page_title=_("Remove an identity document"),
        form=form,
    )


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


# --- Registration wizard ------------------------------------------------------------------------

WIZARD_SESSION_KEY = "registry_wizard"
WIZARD_STEPS = [
    ("household", _("Household")),
    ("members", _("Members")),
    ("origin", _("Origin and displacement")),
    ("residence", _("Current residence")),
    ("consent", _("Consent")),
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


# --- Imports ----------------------------------------------------------------------------------------


def _batch_for(request: HttpRequest, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("job"), pk=pk)
    if batch.created_by_id != request.user.pk and not request.user.has_perm("registry.change_importbatch"):
        raise Http404
    return batch


@login_required
@permission_required("registry.add_importbatch", raise_exception=True)
def import_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    batches = ImportBatch.objects.all()
    if not request.user.has_perm("registry.change_importbatch"):
        batches = batches.filter(created_by_id=request.user.pk)
    form = ImportUploadForm()
    return render(request, "registry/import_list.html", {"page": _page(request, batches), "form": form})


@login_required
@permission_required("registry.add_importbatch", raise_exception=True)
def import_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_create(
                actor=actor_from_request(request),
                data=upload.read(),
                file_name=upload.name,
                source=form.cleaned_data["source"],
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            import_check_start(batch=batch, owner=request.user)
            return redirect("registry:import_detail", pk=batch.pk)
    return render(request, "registry/import_new.html", {"form": form})


@login_required
@permission_required("registry.add_importbatch", raise_exception=True)
def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    context = {"batch": batch, "errors": staged_errors(batch) if batch.rejected_rows else []}
    if context["errors"]:
        # Rejected rows are shown with what was wrong in them: people's names and dates.
        log_access(actor_from_request(request), AccessAction.VIEW, batch, code=str(batch.pk), detail={"rejected": True})
    if request.headers.get("HX-Request"):
        return render(request, "registry/import_progress.html", context)
    return render(request, "registry/import_detail.html", context)


@login_required
@permission_required("registry.add_importbatch", raise_exception=True)
@require_POST
def import_commit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    all_or_nothing = request.POST.get("mode") == "all_or_nothing"
    if all_or_nothing and batch.rejected_rows:
        messages.error(request, _("Rows were rejected: nothing was committed."))
        return redirect("registry:import_detail", pk=pk)
    try:
        import_commit_start(batch=batch, owner=request.user, all_or_nothing=all_or_nothing)
    except ImportRefusedError as error:
        messages.error(request, str(error))
    return redirect("registry:import_detail", pk=pk)


@login_required
@permission_required("registry.add_importbatch", raise_exception=True)
def import_rejected(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request, pk)
    log_access(actor_from_request(request), AccessAction.DOWNLOAD, batch, code=str(batch.pk))
    response = HttpResponse(rejected_rows_csv(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-{batch.pk}.csv"'
    return response


@login_required
@permission_required("registry.add_importbatch", raise_exception=True)
def import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registry-import-template.csv"'
    return response


# --- Export -------------------------------------------------------------------------------------------


@login_required
@permission_required("registry.export_registry", raise_exception=True)
def export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    form = ExportForm(request.POST or None)
    filters_form = FilterForm(request.GET or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = registry_export(
                actor=actor_from_request(request),
                purpose=form.cleaned_data["purpose"],
                identified=form.cleaned_data["identified"],
                filters=filters_form.filters(),
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except PermissionDenied as error:
            form.add_error("identified", str(error))
        else:
            stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%d-%H%M")
            if form.cleaned_data["file_format"] == "xlsx":
                return FileResponse(
                    io.BytesIO(export_xlsx(result)),
                    as_attachment=True,
                    filename=f"registry-{stamp}.xlsx",
                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            response = StreamingHttpResponse(export_csv(result), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="registry-{stamp}.csv"'
            return response
    return render(
        request,
        "registry/export.html",
        {
            "form": form,
            "filters_form": filters_form,
            "action": reverse("registry:export") + "?" + request.GET.urlencode(),
        },
    )
