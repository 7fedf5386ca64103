"""OpenRosa endpoints for ODK Collect / KoBoCollect / Enketo, and the reviewers' pages."""

from __future__ import annotations

import csv
import hashlib
import io
from xml.sax.saxutils import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from yurd.accounts.models import User
from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.models import AccessAction
from yurd.core.uploads import UnsafeUploadError, check_size
from yurd.fieldwork import selectors, services
from yurd.fieldwork.definition import (
    FORM_ID,
    FORM_VERSION,
    HOUSEHOLDS_FILE,
    TITLE,
    xform_hash,
    xform_xml,
    xlsform_bytes,
)
from yurd.fieldwork.forms import AssignmentForm, DevicePasswordForm, ExportUploadForm, TeamForm
from yurd.fieldwork.models import SubmissionStatus, Team
from yurd.fieldwork.openrosa import device_auth, message, openrosa_response
from yurd.fieldwork.submissions import SubmissionError
from yurd.places.models import Place, PlaceKind
from yurd.places.selectors import place_resolve
from yurd.registry.models import Household, Person
from yurd.registry.selectors import household_queryset


def _device_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm("fieldwork.collect"):
        raise PermissionDenied
    return user


def _households_csv(user: User) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "label"])
    for household in selectors.assigned_households(user=user):
        origin = household.origin_place.name if household.origin_place else ""
        writer.writerow([household.code, f"{household.code} · {origin}" if origin else household.code])
    return buffer.getvalue().encode()


@csrf_exempt
@require_http_methods(["GET", "HEAD"])
@device_auth
def form_list(request: HttpRequest) -> HttpResponse:
    """OpenRosa form list: only the forms the device user's teams collect."""
    user = _device_user(request)
    items = []
    for form_id in selectors.forms_for(user=user):
        download = request.build_absolute_uri(reverse("fieldwork:form_download", args=[form_id]))
        manifest = request.build_absolute_uri(reverse("fieldwork:form_manifest", args=[form_id]))
        items.append(
            "<xform>"
            f"<formID>{escape(form_id)}</formID><name>{escape(TITLE['en'])}</name>"
            f"<version>{FORM_VERSION}</version><hash>{xform_hash()}</hash>"
            f"<downloadUrl>{escape(download)}</downloadUrl><manifestUrl>{escape(manifest)}</manifestUrl>"
            "</xform>"
        )
    body = '<?xml version="1.0" encoding="UTF-8"?><xforms xmlns="http://openrosa.org/xforms/xformsList">'
    return openrosa_response(body + "".join(items) + "</xforms>")


def _form_for(user: User, form_id: str) -> None:
    if form_id not in selectors.forms_for(user=user):
        raise Http404


@csrf_exempt
@require_http_methods(["GET", "HEAD"])
@device_auth
def form_download(request: HttpRequest, form_id: str) -> HttpResponse:
    _form_for(_device_user(request), form_id)
    return openrosa_response(xform_xml())


@csrf_exempt
@require_http_methods(["GET", "HEAD"])
@device_auth
def form_manifest(request: HttpRequest, form_id: str) -> HttpResponse:
    user = _device_user(request)
    _form_for(user, form_id)
    content = _households_csv(user)
    url = request.build_absolute_uri(reverse("fieldwork:form_households", args=[form_id]))
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest xmlns="http://openrosa.org/xforms/xformsManifest">'
        f"<mediaFile><filename>{HOUSEHOLDS_FILE}</filename>"
        f"<hash>md5:{hashlib.md5(content, usedforsecurity=False).hexdigest()}</hash>"
        f"<downloadUrl>{escape(url)}</downloadUrl></mediaFile></manifest>"
    )
    return openrosa_response(body)


@csrf_exempt
@require_http_methods(["GET", "HEAD"])
@device_auth
def form_households(request: HttpRequest, form_id: str) -> HttpResponse:
    """The households assigned to this device user, and no one else's."""
    user = _device_user(request)
    _form_for(user, form_id)
    content = _households_csv(user)
    log_access(actor_from_request(request), AccessAction.DOWNLOAD, Household, detail={"form": form_id})
    return openrosa_response(content.decode(), content_type="text/csv; charset=utf-8")


@csrf_exempt
@require_http_methods(["HEAD", "POST"])
@device_auth
def submission(request: HttpRequest) -> HttpResponse:
    """OpenRosa submission: HEAD answers 204; POST takes xml_submission_file and attachments."""
    _device_user(request)
    if request.method == "HEAD":
        return openrosa_response("", status=204)
    try:
        check_size(int(request.META.get("CONTENT_LENGTH") or 0), "submission")
    except (UnsafeUploadError, ValueError) as error:
        return message(str(error), status=413)
    upload = request.FILES.get("xml_submission_file")
    if upload is None:
        return message(_("The request has no xml_submission_file."), status=400)
    attachments = [
        (file.name or key, file.read())
        for key, files in request.FILES.lists()
        if key != "xml_submission_file"
        for file in files
    ]
    try:
        received, created = services.submission_receive(
            actor=actor_from_request(request), xml=upload.read(), attachments=attachments
        )
    except SubmissionError as error:
        return message(str(error), status=400)
    if received.status == SubmissionStatus.REJECTED:
        return message(received.error, status=400 if created else 201)
    text = _("Submission received.") if created else _("Submission already received.")
    return message(text, status=201)


# --- Pages for reviewers ------------------------------------------------------------------


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not (user.has_perm("fieldwork.review_submission") or user.has_perm("fieldwork.collect")):
        raise PermissionDenied
    submissions = selectors.submission_list(user=user)[:100]
    return render(
        request,
        "fieldwork/index.html",
        {
            "form_id": FORM_ID,
            "form_version": FORM_VERSION,
            "submissions": submissions,
            "upload_form": ExportUploadForm() if user.has_perm("fieldwork.review_submission") else None,
            "server_url": _server_url(request),
            "can_set_own_password": user.has_perm("fieldwork.collect"),
            "can_see_teams": user.has_perm("fieldwork.view_team"),
        },
    )


@login_required
def xlsform(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(
        xlsform_bytes(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{FORM_ID}.xlsx"'
    return response


@login_required
def xform(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = HttpResponse(xform_xml(), content_type="text/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{FORM_ID}.xml"'
    return response


@login_required
@permission_required("fieldwork.review_submission", raise_exception=True)
def submission_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Outside the reviewer's scope is the same 404 as a number that does not exist.
    item = get_object_or_404(selectors.submission_list(user=request.user), pk=pk)
    log_access(actor_from_request(request), AccessAction.VIEW, "fieldwork.submission", code=item.instance_id)
    return render(
        request,
        "fieldwork/submission_detail.html",
        {
            "submission": item,
            # Only matches the reviewer may see: a person in another district is not named here.
            "matches": item.matches.filter(
                person__in=Person.objects.visible_to(request.user).values("pk")
            ).select_related("person", "person__household"),
            "attachments": item.attachments.all(),
            "can_record_intention": (
                item.values.get("survey_kind") == "return"
                and not item.error
                and not item.intention_recorded_id
                and request.user.has_perm("returns.add_returnintention")
            ),
        },
    )


@login_required
@permission_required("fieldwork.review_submission", raise_exception=True)
@require_POST
def submission_record_intention(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.submission_list(user=request.user), pk=pk)
    try:
        services.submission_record_intention(actor=actor_from_request(request), submission=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Return intention recorded on the household."))
    return redirect("fieldwork:submission_detail", pk=pk)


@login_required
@permission_required("fieldwork.review_submission", raise_exception=True)
@require_POST
def export_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ExportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV or XLSX export."))
        return redirect("fieldwork:index")
    upload = form.cleaned_data["file"]
    try:
        created, batch = services.export_upload(
            actor=actor_from_request(request), data=upload.read(), file_name=upload.name
        )
    except (SubmissionError, ValueError) as error:
        messages.error(request, _("The export could not be read: %(error)s") % {"error": error})
        return redirect("fieldwork:index")
    messages.success(request, _("%(count)d new submissions staged.") % {"count": len(created)})
    if batch is not None:
        return redirect("registry:import_detail", pk=batch.pk)
    return redirect("fieldwork:index")


# --- Teams, assignments and device passwords ----------------------------------------------------


def _actor_error(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    messages.error(request, text or _("Not allowed."))


@login_required
@permission_required("fieldwork.view_team", raise_exception=True)
def team_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    can_add = request.user.has_perm("fieldwork.add_team")
    form = TeamForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                team = services.team_create(
                    actor=actor_from_request(request),
                    name=form.cleaned_data["name"],
                    forms=form.cleaned_data["form_ids"],
                    members=form.cleaned_data["members"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Team created."))
                return redirect("fieldwork:team_detail", pk=team.pk)
    teams = selectors.team_list(user=request.user)
    return render(request, "fieldwork/team_list.html", {"teams": teams, "form": form})


@login_required
@permission_required("fieldwork.view_team", raise_exception=True)
def team_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    user = request.user
    team_form = None
    if user.has_perm("fieldwork.change_team"):
        team_form = TeamForm(
            request.POST if request.method == "POST" else None,
            initial={"name": team.name, "form_ids": team.forms, "members": list(team.members.all())},
        )
        if request.method == "POST" and team_form.is_valid():
            try:
                services.team_update(
                    actor=actor_from_request(request),
                    team=team,
                    name=team_form.cleaned_data["name"],
                    forms=team_form.cleaned_data["form_ids"],
                    members=team_form.cleaned_data["members"],
                    reason=team_form.cleaned_data["reason"],
                )
            except ValidationError as error:
                team_form.add_error(None, error)
            else:
                messages.success(request, _("Team saved."))
                return redirect("fieldwork:team_detail", pk=team.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return _team_page(request, team, team_form=team_form)


def _team_page(
    request: AuthenticatedHttpRequest,
    team: Team,
    *,
    team_form: TeamForm | None = None,
    assignment_form: AssignmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    assignments = list(selectors.team_assignments(team, user=user))
    log_access(actor_from_request(request), AccessAction.LIST, "fieldwork.assignment", code=team.name)
    if assignment_form is None and user.has_perm("fieldwork.add_assignment"):
        assignment_form = AssignmentForm()
    return render(
        request,
        "fieldwork/team_detail.html",
        {
            "team": team,
            "members": team.members.select_related("device_credential").order_by("username"),
            "assignments": assignments,
            "team_form": team_form,
            "assignment_form": assignment_form,
            "can_remove": user.has_perm("fieldwork.delete_assignment"),
            "can_set_passwords": user.has_perm("fieldwork.change_team"),
        },
        status=status,
    )


@login_required
@permission_required("fieldwork.add_assignment", raise_exception=True)
@require_POST
def team_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    form = AssignmentForm(request.POST)
    # A refused assignment answers 400 with the reason on the team page, never a redirect:
    # nothing was written, and the page shows only what the user may see of the team.
    if not form.is_valid():
        return _team_page(request, team, assignment_form=form, status=400)
    visible = household_queryset(user=request.user)
    codes = form.cleaned_data["households"]
    households = list(visible.filter(code__in=codes))
    unknown = sorted(set(codes) - {household.code for household in households})
    if unknown:
        form.add_error("households", _("Unknown or outside your scope: %(codes)s") % {"codes": ", ".join(unknown)})
        return _team_page(request, team, assignment_form=form, status=400)
    settlement_text = form.cleaned_data["settlement"]
    if settlement_text:
        place = Place.objects.filter(code=settlement_text).first() or place_resolve(
            settlement_text, kind=PlaceKind.SETTLEMENT
        )
        if not isinstance(place, Place):
            form.add_error("settlement", _("Settlement %(name)r is unknown or ambiguous.") % {"name": settlement_text})
            return _team_page(request, team, assignment_form=form, status=400)
        households.extend(visible.filter(origin_place__path__startswith=place.path))
    try:
        created = services.assignments_add(actor=actor_from_request(request), team=team, households=households)
    except (ValidationError, PermissionDenied) as error:
        form.add_error(
            None, " ".join(error.messages) if isinstance(error, ValidationError) else str(error) or _("Not allowed.")
        )
        return _team_page(request, team, assignment_form=form, status=400)
    messages.success(request, _("%(count)d households assigned.") % {"count": created})
    return redirect("fieldwork:team_detail", pk=team.pk)


@login_required
@permission_required("fieldwork.delete_assignment", raise_exception=True)
@require_POST
def assignment_remove(request: AuthenticatedHttpRequest, pk: int, assignment: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    # Outside the user's scope an assignment answers like one that does not exist.
    item = get_object_or_404(selectors.team_assignments(team, user=request.user), pk=assignment)
    services.assignment_remove(actor=actor_from_request(request), assignment=item)
    messages.success(request, _("Assignment withdrawn."))
    return redirect("fieldwork:team_detail", pk=pk)


@login_required
@permission_required("fieldwork.change_team", raise_exception=True)
@require_POST
def member_device_password(request: AuthenticatedHttpRequest, pk: int, user: int) -> HttpResponse:
    """Generate a device password for a team member; shown on this response only."""
    team = get_object_or_404(Team, pk=pk)
    member = get_object_or_404(team.members, pk=user)
    try:
        password = services.device_password_set(actor=actor_from_request(request), user=member)
    except (ValidationError, PermissionDenied) as error:
        _actor_error(request, error)
        return redirect("fieldwork:team_detail", pk=team.pk)
    return _password_page(request, member, password, back=reverse("fieldwork:team_detail", args=[team.pk]))


@login_required
@permission_required("fieldwork.collect", raise_exception=True)
def own_device_password(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DevicePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password = services.device_password_set(
                actor=actor_from_request(request),
                user=request.user,
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            form.add_error("password", error)
        else:
            return _password_page(request, request.user, password, back=reverse("fieldwork:index"))
    return render(request, "fieldwork/device_password.html", {"form": form})


def _password_page(request: HttpRequest, member: User, password: str, *, back: str) -> HttpResponse:
    response = render(
        request,
        "fieldwork/device_password_set.html",
        {"member": member, "password": password, "back": back, "server_url": _server_url(request)},
    )
    response["Cache-Control"] = "no-store"
    return response


def _server_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("fieldwork:form_list")).removesuffix("formList")
