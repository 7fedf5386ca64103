"""The person page's sections: name forms, kinship, contact details and identity documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.models import AccessAction
from yurd.core.permissions import require
from yurd.registry import selectors, services
from yurd.registry.forms import (
    ContactForm,
    IdentityDocumentForm,
    KinshipForm,
    KinshipRelation,
    PersonNameForm,
    RemoveForm,
)
from yurd.registry.models import ContactDetails, IdentityDocument, KinshipKind, Person, PersonName

# --- Person page sections: name forms, kinship, contact details and identity documents ---------
#
# Each section is a partial template. Its forms post with htmx and get the section back
# (with errors next to the fields); without htmx a success redirects to the person page
# and an error shows the form on a page of its own.


def names_context(person: Person, form: PersonNameForm | None = None) -> dict[str, Any]:
    return {
        "person": person,
        "other_names": list(person.other_names.order_by("pk")),
        "name_form": form or PersonNameForm(prefix="name"),
    }


def log_relatives_shown(request: HttpRequest, person: Person, relatives: set[Person]) -> None:
    """Each relative a person's page names is a record seen: logged against that relative."""
    actor = actor_from_request(request)
    for relative in sorted(relatives, key=lambda other: other.code):
        if relative.pk != person.pk:
            log_access(actor, AccessAction.VIEW, relative, detail={"shown_on": person.code})


def _htmx(request: HttpRequest) -> bool:
    """Whether the response is the section alone (without htmx a success redirects to the page)."""
    return bool(request.headers.get("HX-Request"))


def kinship_context(
    request: AuthenticatedHttpRequest, person: Person, form: KinshipForm | None = None, *, log: bool = False
) -> dict[str, Any]:
    """The kinship section; with `log`, each relative it names is logged (the section sent
    alone by htmx; the person page logs everyone it shows at once)."""
    relatives = selectors.person_relatives(person, user=request.user)
    if log:
        log_relatives_shown(request, person, {relative.person for relative in relatives if relative.person})
    return {
        "person": person,
        "relatives": relatives,
        "kinship_form": form or KinshipForm(prefix="kinship", person=person, find_person=None),
    }


def sensitive_context(
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
        return _done(request, person, "registry/_person_names.html", names_context(person), _("Name form added."))
    context = names_context(person, form)
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
        return _done(request, person, "registry/_person_names.html", names_context(person), _("Name form removed."))
    context = {**names_context(person), "remove_errors": {pk: form.errors}}
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
            context = kinship_context(request, person, log=_htmx(request))
            return _done(request, person, "registry/_person_kinship.html", context, _("Kinship recorded."))
    context = kinship_context(request, person, form, log=_htmx(request))
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
            context = kinship_context(request, person, log=_htmx(request))
            return _done(request, person, "registry/_person_kinship.html", context, _("Kinship removed."))
    context = {**kinship_context(request, person, log=_htmx(request)), "remove_errors": {pk: form.errors}}
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
        context = sensitive_context(request, person)
        return _done(request, person, "registry/_person_sensitive.html", context, _("Identity document added."))
    context = sensitive_context(request, person, document_form=form)
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
        context = sensitive_context(request, person)
        return _done(request, person, "registry/_person_sensitive.html", context, _("Identity document removed."))
    context = {**sensitive_context(request, person), "remove_errors": {pk: form.errors}}
    return _section(
        request,
        person,
        "registry/_person_sensitive.html",
        context,
        page_title=_("Remove an identity document"),
        form=form,
    )
