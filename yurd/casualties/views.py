"""Pages of the register of deaths and injuries. Names only for those who may see them, logged."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yurd.casualties import selectors, services
from yurd.casualties.figures import CAVEATS, chart_data, register_figures
from yurd.casualties.forms import ListImportForm, SourceListForm
from yurd.casualties.models import CasualtyPerson, MatchStatus
from yurd.core.access import log_access
from yurd.core.actors import actor_from_request
from yurd.core.csvsafe import neutralise_row
from yurd.core.http import AuthenticatedHttpRequest
from yurd.core.models import AccessAction
from yurd.registry.imports import ImportFileError
from yurd.registry.models import Person

FIGURES = "casualties.view_register_figures"
NAMES = "casualties.view_casualtyperson"
IMPORT = "casualties.add_listimport"
ADJUDICATE = "casualties.adjudicate_casualtymatch"
PAGE_SIZE = 50


def _caveats(row: dict[str, Any] | None) -> list[str]:
    if not row:
        return []
    return [str(CAVEATS[code]) for code in row.get("caveats", []) if code in CAVEATS]


@login_required
@permission_required(FIGURES, raise_exception=True)
def home(request: HttpRequest) -> HttpResponse:
    figures = register_figures(("wave",))
    caveats: list[str] = []
    for row in [*figures["strata"], figures["total"]]:
        for caveat in _caveats(row):
            if caveat not in caveats:
                caveats.append(caveat)
    return render(
        request,
        "casualties/home.html",
        {
            "figures": figures,
            "caveats": caveats,
            "chart": chart_data(figures) if figures["total"] else None,
            "lists": selectors.lists_with_counts(),
            "matrix": selectors.overlap_matrix(),
            "pending": selectors.match_queue(user=request.user).count() if request.user.has_perm(ADJUDICATE) else 0,
        },
    )


@login_required
@permission_required(NAMES, raise_exception=True)
def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    source_list = request.GET.get("list", "")[:32]
    found = selectors.person_list(user=request.user, query=query, source_list=source_list)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(actor_from_request(request), AccessAction.LIST, CasualtyPerson, detail={"q": query, "list": source_list})
    return render(request, "casualties/person_list.html", {"page": page, "q": query, "list": source_list})


@login_required
@permission_required(NAMES, raise_exception=True)
def person_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    try:
        person = selectors.get_person(user=request.user, code=code)
    except selectors.MergedError as merged:
        return redirect("casualties:person_detail", code=merged.code)
    log_access(actor_from_request(request), AccessAction.VIEW, person)
    # The registry's record is named only to those who may open it (its household may lie elsewhere).
    registry_person = None
    if person.person_id and request.user.has_perm("registry.view_person"):
        registry_person = Person.objects.visible_to(request.user).filter(pk=person.person_id).first()
    return render(
        request,
        "casualties/person_detail.html",
        {"person": person, "entries": list(person.entries.all()), "registry_person": registry_person},
    )


@login_required
@permission_required(FIGURES, raise_exception=True)
def list_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "casualties/list_index.html",
        {"lists": selectors.lists_with_counts(), "matrix": selectors.overlap_matrix()},
    )


@login_required
@permission_required("casualties.add_sourcelist", raise_exception=True)
def list_create(request: HttpRequest) -> HttpResponse:
    form = SourceListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source_list = services.source_list_create(actor=actor_from_request(request), **form.cleaned_data)
        messages.success(request, _("The list was created; import its rows next."))
        return redirect("casualties:import_new", code=source_list.code)
    return render(request, "casualties/list_form.html", {"form": form})


@login_required
@permission_required(FIGURES, raise_exception=True)
def list_detail(request: HttpRequest, code: str) -> HttpResponse:
    source_list = selectors.get_list(code)
    counted = selectors.lists_with_counts().get(pk=source_list.pk)
    context: dict[str, Any] = {
        "source_list": counted,
        "overlaps": selectors.list_overlaps(source_list),
        "page": None,
    }
    if request.user.has_perm(NAMES):
        entries = selectors.list_entries(user=request.user, source_list=source_list)
        context["page"] = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        log_access(actor_from_request(request), AccessAction.LIST, "casualties.listentry", code=source_list.code)
    return render(request, "casualties/list_detail.html", context)


@login_required
@permission_required(FIGURES, raise_exception=True)
def overlaps(request: HttpRequest) -> HttpResponse:
    return render(request, "casualties/overlaps.html", {"matrix": selectors.overlap_matrix()})


@login_required
@permission_required(IMPORT, raise_exception=True)
def import_new(request: HttpRequest, code: str) -> HttpResponse:
    source_list = selectors.get_list(code)
    form = ListImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.list_import_stage(
                actor=actor_from_request(request), source_list=source_list, data=upload.read(), file_name=upload.name
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("casualties:import_detail", pk=batch.pk)
    return render(request, "casualties/import_new.html", {"form": form, "source_list": source_list})


@login_required
@permission_required(IMPORT, raise_exception=True)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.import_for_user(user=request.user, pk=pk)
    rejected = list(batch.rows.filter(is_valid=False).order_by("number"))
    if rejected:
        log_access(actor_from_request(request), AccessAction.VIEW, batch, code=str(batch.pk), detail={"rejected": True})
    errors = [(row.number, error["column"], error["message"]) for row in rejected for error in row.errors]
    return render(request, "casualties/import_detail.html", {"batch": batch, "errors": errors})


@login_required
@permission_required(IMPORT, raise_exception=True)
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.import_for_user(user=request.user, pk=pk)
    try:
        batch = services.list_import_commit(actor=actor_from_request(request), batch=batch)
    except services.ImportRefusedError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(count)d entries were added to the list and the register was linked again.")
            % {"count": batch.entries_created},
        )
    return redirect("casualties:import_detail", pk=batch.pk)


@login_required
@permission_required(IMPORT, raise_exception=True)
def import_rejected(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.import_for_user(user=request.user, pk=pk)
    log_access(actor_from_request(request), AccessAction.DOWNLOAD, batch, code=str(batch.pk))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns: list[str] = []
    rows = list(batch.rows.filter(is_valid=False).order_by("number"))
    for row in rows:
        columns += [column for column in row.data if column not in columns]
    writer.writerow(["row", *columns, "errors"])
    for row in rows:
        reasons = "; ".join(f"{error['column']}: {error['message']}" for error in row.errors)
        writer.writerow(neutralise_row([row.number, *(row.data.get(column, "") for column in columns), reasons]))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-{batch.pk}.csv"'
    return response


@login_required
@permission_required(IMPORT, raise_exception=True)
@require_POST
def link(request: HttpRequest) -> HttpResponse:
    outcome = services.register_link(actor=actor_from_request(request))
    messages.success(
        request,
        _("Linked %(entries)d entries; %(people)d new people; %(pairs)d pairs to review.")
        % {"entries": outcome.entries_linked, "people": outcome.people_created, "pairs": outcome.pairs_queued},
    )
    return redirect("casualties:home")


@login_required
@permission_required(ADJUDICATE, raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    queue = selectors.match_queue(user=request.user)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(actor_from_request(request), AccessAction.LIST, "casualties.casualtymatch")
    return render(request, "casualties/review_queue.html", {"page": page})


@login_required
@permission_required(ADJUDICATE, raise_exception=True)
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.get_match(user=request.user, pk=pk)
    if request.method == "POST":
        status = request.POST.get("status", "")
        if status in (MatchStatus.SAME, MatchStatus.DIFFERENT):
            try:
                survivor = services.match_decide(actor=actor_from_request(request), match=match, status=status)
            except services.ImportRefusedError as error:
                messages.error(request, str(error))
            else:
                if survivor is not None:
                    if match.registry_person_id is not None:
                        messages.success(request, _("The register's person is linked to the registry's record."))
                    else:
                        messages.success(request, _("The two records are now one person."))
                    return redirect("casualties:person_detail", code=survivor.code)
                messages.success(request, _("Recorded: different people."))
                return redirect("casualties:review_queue")
        else:
            messages.error(request, _("Choose a decision."))
    log_access(actor_from_request(request), AccessAction.VIEW, "casualties.casualtymatch", code=str(match.pk))
    return render(request, "casualties/match_detail.html", {"match": match})
