"""Walk the whole URL conf and fill each pattern's parameters from the boundary dataset.

Shared by the generated scope test (test_url_scope.py) and the generated access-log
test (test_url_access_log.py). A pattern with path parameters is covered only when
FILLERS (or the admin's generic filler) names records for it: a new view with
parameters and no filler fails both tests' coverage check until one is added here.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from yurd.core.tests.boundary_data import Boundary
from yurd.testing import responses


@dataclass(frozen=True)
class Route:
    """One URL pattern, with the namespaces and route text of the resolvers above it."""

    route: str  # the full pattern text, e.g. "registry/people/<str:code>/" or "api/^people/$"
    name: str  # namespaced name, "" for an unnamed pattern
    parameters: tuple[str, ...]
    regex: bool  # some part is a regular expression (the API router): built with reverse()

    @property
    def key(self) -> str:
        """How allow-lists and fillers name a pattern: its namespaced name, else its route."""
        return self.name or self.route

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")


_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def walk(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "", regex: bool = False) -> list[Route]:
    found: list[Route] = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        is_regex = regex or not isinstance(pattern.pattern, RoutePattern)
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            found += walk(pattern.url_patterns, text, inner, is_regex)
        elif isinstance(pattern, URLPattern):
            names = re.findall(r"\(\?P<(\w+)>", text) + [
                match.group("name") for match in _ROUTE_PARAMETER.finditer(text)
            ]
            found.append(Route(text, namespace + pattern.name if pattern.name else "", tuple(names), is_regex))
    return found


def build_url(route: Route, kwargs: dict[str, Any]) -> str:
    kwargs = {key: value for key, value in kwargs.items() if key != INSIDE}
    if route.regex and not route.name:
        url = "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda match: str(kwargs[match.group(1)]), route.route)
        url = url.replace("^", "").replace("$", "")
    elif route.regex:
        url = reverse(route.name, kwargs=kwargs)
    else:

        def fill(match: re.Match[str]) -> str:
            return str(kwargs[match.group("name")])

        url = "/" + _ROUTE_PARAMETER.sub(fill, route.route)
    matched = resolve(url.split("?")[0])
    assert matched.route.replace("^", "") == route.route.replace("^", ""), (url, matched.route, route.route)
    return url


# --- Fillers: which records each parameterised pattern is asked about -------------------

Kwargs = dict[str, Any]
# Marks a variant that names no out-of-scope record (district A's head, whose mother
# lives in B; a wizard step): asked by GET, never posted to.
INSIDE = "_inside"
Filler = Callable[[Boundary], list[Kwargs]]


def _r(boundary: Boundary, name: str) -> Any:
    return boundary.records[name]


def _person(b: Boundary) -> list[Kwargs]:
    """District B's head; and district A's head, whose mother lives in district B."""
    return [{"code": _r(b, "head_b").code}, {"code": _r(b, "head_a").code, INSIDE: True}]


def _claim(b: Boundary) -> list[Kwargs]:
    return [{"case_number": _r(b, "claim_b").case_number}]


def _testimony(b: Boundary) -> list[Kwargs]:
    return [{"code": _r(b, "testimony").code}]


def _evidence(b: Boundary) -> list[Kwargs]:
    items = [*_r(b, "evidence").values(), _r(b, "media")]
    return [{"code": str(item.public_code)} for item in items]


def _site(b: Boundary) -> list[Kwargs]:
    return [{"code": _r(b, "site").code}, {"code": _r(b, "hidden_site").code}]


def _person_pk(record: str, parameter: str = "pk") -> Filler:
    return lambda b: [{"code": _r(b, record).person.code, parameter: _r(b, record).pk}]


FILLERS: dict[str, Filler] = {
    # core
    "core:job_detail": lambda b: [{"job_id": _r(b, "job").pk}],
    "core:job_progress": lambda b: [{"job_id": _r(b, "job").pk}],
    "core:job_download": lambda b: [{"job_id": _r(b, "job").pk}],
    # accounts: another user's authenticator
    "accounts:two_factor_remove": lambda b: [{"device_id": _r(b, "device").pk}],
    "accounts:api_token_revoke": lambda b: [{"token_id": _r(b, "api_token").pk}],
    # places: not personal, any record will do
    "places:place_import_detail": lambda b: [{"pk": _r(b, "place_import").pk}],
    "places:place_import_commit": lambda b: [{"pk": _r(b, "place_import").pk}],
    "places:place_detail": lambda b: [{"code": b.gazetteer.settlement_b1.code}],
    "places:place_edit": lambda b: [{"code": b.gazetteer.settlement_b1.code}],
    "places:place_name_add": lambda b: [{"code": b.gazetteer.settlement_b1.code}],
    "places:place_name_edit": lambda b: [{"code": b.gazetteer.settlement_b1.code, "name_id": _r(b, "place_name").pk}],
    # registry
    "registry:household_detail": lambda b: [{"code": _r(b, "household_b").code}],
    "registry:household_edit": lambda b: [{"code": _r(b, "household_b").code}],
    "registry:household_history": lambda b: [{"code": _r(b, "household_b").code}],
    "registry:person_detail": _person,
    "registry:person_edit": _person,
    "registry:person_history": _person,
    "registry:heir_line_create": lambda b: [{"code": _r(b, "ancestor_b").code}],
    "registry:consent_add": _person,
    "registry:consent_withdraw": _person_pk("consent", "consent_id"),
    "registry:person_name_add": _person,
    "registry:person_name_edit": _person_pk("other_name"),
    "registry:person_name_remove": _person_pk("other_name"),
    "registry:kinship_add": _person,
    "registry:kinship_remove": lambda b: [
        {"code": _r(b, "head_b").code, "pk": _r(b, "kinship_b").pk},
        {"code": _r(b, "head_a").code, "pk": _r(b, "crossing").pk, INSIDE: True},
    ],
    "registry:contact_edit": _person,
    "registry:document_add": _person,
    "registry:document_edit": _person_pk("document"),
    "registry:document_remove": _person_pk("document"),
    "registry:register_step": lambda b: [{"step": "members", INSIDE: True}],  # a step, not a record
    "registry:import_detail": lambda b: [{"pk": _r(b, "batch").pk}],
    "registry:import_commit": lambda b: [{"pk": _r(b, "batch").pk}],
    "registry:import_rejected": lambda b: [{"pk": _r(b, "batch").pk}],
    # linkage
    "linkage:candidate_detail": lambda b: [{"candidate_id": _r(b, "candidate").pk}],
    "linkage:merge_detail": lambda b: [{"merge_id": _r(b, "merge").pk}],
    "linkage:merge_undo": lambda b: [{"merge_id": _r(b, "merge").pk}],
    # register of deaths and injuries
    "casualties:person_detail": lambda b: [{"code": _r(b, "casualty_person").code}],
    "casualties:list_detail": lambda b: [{"code": _r(b, "source_list").code}],
    "casualties:import_new": lambda b: [{"code": _r(b, "source_list").code}],
    "casualties:import_detail": lambda b: [{"pk": _r(b, "casualty_import").pk}],
    "casualties:import_commit": lambda b: [{"pk": _r(b, "casualty_import").pk}],
    "casualties:import_rejected": lambda b: [{"pk": _r(b, "casualty_import").pk}],
    "casualties:match_detail": lambda b: [{"pk": _r(b, "casualty_match").pk}],
    # claims
    "claims:valuation_import_detail": lambda b: [{"pk": _r(b, "valuation_import").pk}],
    "claims:valuation_detail": lambda b: [{"version": _r(b, "valuation_table").version}],
    "claims:batch_detail": lambda b: [{"pk": _r(b, "cohort_batch").pk}],
    "claims:cohort_detail": lambda b: [{"code": _r(b, "cohort").code}],
    "claims:claim_detail": _claim,
    "claims:claim_edit": _claim,
    "claims:loss_item_create": _claim,
    "claims:loss_item_delete": lambda b: [{**_claim(b)[0], "pk": _r(b, "loss_item").pk}],
    "claims:claim_transition": lambda b: [{**_claim(b)[0], "name": "submit"}],
    "claims:claim_secret": _claim,
    "claims:claim_revalue": _claim,
    "claims:decision_detail": lambda b: [{**_claim(b)[0], "number": _r(b, "decision").number}],
    "claims:decision_letter": lambda b: [{**_claim(b)[0], "number": _r(b, "decision").number}],
    "claims:decision_letter_send": lambda b: [{**_claim(b)[0], "number": _r(b, "decision").number}],
    "claims:share_override_review": _claim,
    "claims:review_flag_clear": _claim,
    "claims:claim_letter": lambda b: [{**_claim(b)[0], "kind": "acknowledgement"}],
    "claims:letter_reprint": lambda b: [{**_claim(b)[0], "pk": _r(b, "letter").pk}],
    "claims:appeal_decide": lambda b: [{**_claim(b)[0], "pk": _r(b, "appeal").pk}],
    "claims:property_duplicate_review": lambda b: [{"pk": _r(b, "property_duplicate").pk}],
    # evidence
    "evidence:item_detail": _evidence,
    "evidence:item_download": _evidence,
    "evidence:item_thumbnail": _evidence,
    # heritage
    "heritage:site_detail": _site,
    "heritage:site_edit": _site,
    "heritage:observation_create": _site,
    # One site: a dossier is a PDF of several seconds; the unpublished one is the one to hide.
    "heritage:site_dossier_pdf": lambda b: [{"code": _r(b, "hidden_site").code}],
    "heritage:site_jsonld": _site,
    "heritage:observation_review": lambda b: [{"code": _r(b, "observation").code}],
    "heritage:public_site": _site,
    # testimonies
    "testimonies:term_decide": lambda b: [{"pk": _r(b, "term").pk}],
    "testimonies:testimony_detail": _testimony,
    "testimonies:segment_link": lambda b: [{**_testimony(b)[0], "segment": _r(b, "segment").pk}],
    "testimonies:withdraw": _testimony,
    "testimonies:testimony_edit": _testimony,
    "testimonies:transcript_add": _testimony,
    "testimonies:transcript_edit": lambda b: [{**_testimony(b)[0], "pk": _r(b, "transcript").pk}],
    "testimonies:segment_add": _testimony,
    "testimonies:segment_edit": lambda b: [{**_testimony(b)[0], "pk": _r(b, "segment").pk}],
    "testimonies:segment_delete": lambda b: [{**_testimony(b)[0], "pk": _r(b, "segment").pk}],
    # returns
    "returns:household_intentions": lambda b: [{"code": _r(b, "household_b").code}],
    "returns:settlement_plan": lambda b: [{"code": b.gazetteer.settlement_b1.code}],
    "returns:settlement_export": lambda b: [{"code": b.gazetteer.settlement_b1.code}],
    # field work
    "fieldwork:form_download": lambda b: [{"form_id": "yurd_household"}],
    "fieldwork:form_manifest": lambda b: [{"form_id": "yurd_household"}],
    "fieldwork:form_households": lambda b: [{"form_id": "yurd_household"}],
    "fieldwork:submission_detail": lambda b: [
        {"pk": _r(b, "submission_b").pk},
        {"pk": _r(b, "submission_a").pk, INSIDE: True},
    ],
    "fieldwork:submission_record_intention": lambda b: [{"pk": _r(b, "submission_b").pk}],
    "fieldwork:team_detail": lambda b: [{"pk": _r(b, "team").pk}],
    "fieldwork:team_assign": lambda b: [{"pk": _r(b, "team").pk}],
    "fieldwork:assignment_remove": lambda b: [{"pk": _r(b, "team").pk, "assignment": _r(b, "assignment").pk}],
    "fieldwork:member_device_password": lambda b: [{"pk": _r(b, "team").pk, "user": b.other_registrar.pk}],
    # reports
    "reports:export_download": lambda b: [{"token": _r(b, "export_token")}],
    # API
    "api:testimony-detail": _testimony,
    "api:claim-loss-items": _claim,
    "api:claim-decisions": _claim,
    "api:person-heirs": lambda b: [{"code": _r(b, "ancestor_b").code}, {"code": _r(b, "head_a").code, INSIDE: True}],
    "api:person-consents": _person,
    "api:heritage-site-names": _site,
    "api:place-detail": lambda b: [{"code": b.gazetteer.settlement_b1.code}],
    "api:household-detail": lambda b: [{"code": _r(b, "household_b").code}],
    "api:person-detail": _person,
    "api:claim-detail": _claim,
    "api:heritage-site-detail": _site,
    "api:observation-detail": lambda b: [{"code": _r(b, "observation").code}],
    "api:evidence-detail": lambda b: [{"public_code": kwargs["code"]} for kwargs in _evidence(b)],
    "api:valuation-table-detail": lambda b: [{"version": _r(b, "valuation_table").version}],
    "api:api-root": lambda b: [{}],
}


# Patterns that no filler covers yet, with the reason. Both walks skip them; keep it empty.
NOT_COVERED: dict[str, str] = {}


def _admin_kwargs(boundary: Boundary, route: Route) -> list[Kwargs]:
    """The admin's object pages: the first row of the page's model (a district B record where there is one)."""
    kwargs: Kwargs = {}
    parts = route.route.split("/")
    model = None
    if "object_id" in route.parameters and parts[1] != "r":
        model = apps.get_model(parts[1], parts[2])
    for parameter in route.parameters:
        if parameter == "object_id" and model is not None:
            kwargs[parameter] = model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 1
        elif parameter in {"object_id", "id", "pk"}:
            kwargs[parameter] = boundary.other_registrar.pk
        elif parameter == "content_type_id":
            kwargs[parameter] = ContentType.objects.get_for_model(boundary.other_registrar).pk
        elif parameter == "app_label":
            kwargs[parameter] = "evidence"
        elif parameter == "url":
            kwargs[parameter] = "evidence/unknown/"
        else:
            return []
    return [kwargs]


def variants(boundary: Boundary, route: Route) -> list[Kwargs] | None:
    """Keyword arguments to ask this pattern with; None when nothing fills its parameters."""
    parameters = set(route.parameters) - {"format"}
    if route.is_admin:
        found = _admin_kwargs(boundary, route)
    elif not parameters:
        found = [{}]
    elif route.key in FILLERS:
        found = FILLERS[route.key](boundary)
    else:
        return None
    if "format" in route.parameters:
        found = [{**kwargs, "format": "json" if route.regex else ".json"} for kwargs in found]
    return found or None


# --- Query strings the views read ---------------------------------------------------


class _RecordingQueryDict(QueryDict):
    """request.GET that remembers which keys the view asked for."""

    read: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        _RecordingQueryDict.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        _RecordingQueryDict.read.add(key)
        return super().__getitem__(key)

    def getlist(self, key: str, default: Any = None) -> Any:
        _RecordingQueryDict.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key: object) -> bool:
        _RecordingQueryDict.read.add(str(key))
        return super().__contains__(key)


def _recording_get(request: WSGIRequest) -> QueryDict:
    return _RecordingQueryDict(request.environ.get("QUERY_STRING", ""), encoding=request.encoding)


class QueryRecorder:
    """Install with monkeypatch; `keys()` returns what the last request read from its query string."""

    def __init__(self, monkeypatch: Any) -> None:
        monkeypatch.setattr(WSGIRequest, "GET", property(_recording_get))

    def reset(self) -> None:
        _RecordingQueryDict.read = set()

    def keys(self) -> set[str]:
        return set(_RecordingQueryDict.read)


def query_values(boundary: Boundary) -> dict[str, list[str]]:
    """Out-of-scope codes and names for each query parameter a view may read."""
    records = boundary.records
    cursors = [
        records["head_b"].code,
        records["household_b"].code,
        records["claim_b"].case_number,
        records["testimony"].code,
    ]
    return {
        "after": cursors,
        "before": cursors,
        "household": [records["household_b"].code],
        "person": [records["head_b"].code],
        "ancestor": [records["ancestor_b"].code],
        "heir_line": [records["heir_line"].code],
        "claim": [records["claim_b"].case_number],
        "case_number": [records["claim_b"].case_number],
        "testimony": [records["testimony"].code],
        "narrator": [records["head_b"].code],
        "site": [records["hidden_site"].code],
        "q": [records["head_b"].surname, records["head_b"].code, records["household_b"].code],
    }


# --- Reading a response -------------------------------------------------------------


def close_files(response: HttpResponseBase) -> None:
    """Close a file response's file without response.close(), whose request_finished signal
    would close the test's database connection."""
    closers = response._resource_closers  # type: ignore[attr-defined]  # private to Django, not in its stubs
    for closer in closers:
        closer()
    closers.clear()


PDF_MARK = "[a PDF, whose text cannot be searched]"


def response_text(response: HttpResponseBase) -> str:
    """Body and headers as text; zip members (XLSX, packages) unpacked; a PDF marked as PDF_MARK."""
    body = responses.body(response)
    close_files(response)
    parts = [f"{name}: {value}" for name, value in response.items()]
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts += [archive.read(member).decode("utf-8", "replace") for member in archive.namelist()]
    elif body.startswith(b"%PDF"):
        # WeasyPrint draws glyphs from compressed, subset fonts: the text cannot be searched.
        parts.append(PDF_MARK)
    else:
        parts.append(body.decode("utf-8", "replace"))
    return "\n".join(parts)


def found_secrets(text: str, secrets: set[str]) -> list[str]:
    lowered = text.lower()
    escaped = lowered.encode("ascii", "backslashreplace").decode()
    json_escaped = re.sub(r"\\x([0-9a-f]{2})", r"\\u00\1", escaped)
    return sorted(
        secret
        for secret in secrets
        if secret.lower() in lowered
        or secret.lower().encode("unicode_escape").decode() in escaped
        or secret.lower().encode("unicode_escape").decode().replace("\\x", "\\u00") in json_escaped
    )


def iter_routes() -> Iterator[Route]:
    yield from walk()
