"""Reads of the heritage register, shared by pages, the map, exports and the public catalogue."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404

from yurd.accounts.models import User
from yurd.evidence.models import EvidenceLink
from yurd.evidence.selectors import links_for_targets
from yurd.heritage import condition as conditions
from yurd.heritage.models import (
    OBSERVATION_TARGET,
    SITE_TARGET,
    Observation,
    ObservationStatus,
    Site,
    SiteName,
    Validation,
)


def sites_visible(*, user: User | None, public: bool = False) -> QuerySet[Site]:
    """The public sees published sites; every role that may view sites sees all of them."""
    queryset = Site.objects.select_related("site_type", "settlement")
    if public:
        return queryset.filter(is_published=True)
    if user is not None and not user.has_perm("heritage.view_site"):
        return queryset.none()
    return queryset


def conditions_for(site_ids: list[int] | None = None) -> dict[int, conditions.Condition]:
    """Derived condition per site, from published observations only: one query for any number of sites."""
    rows = Observation.objects.filter(status=ObservationStatus.PUBLISHED)
    if site_ids is not None:
        rows = rows.filter(site_id__in=site_ids)
    facts: dict[int, list[conditions.ObservationFacts]] = defaultdict(list)
    # The stored partial dates are sortable text: read them as text, the date or else the
    # later image date, without building PartialDate objects for every row.
    when = Coalesce(NullIf("observed_on", Value("")), "interval_end", output_field=CharField())
    for site_id, code, state, certainty, when_text, validation in (
        rows.annotate(when_text=when)
        .values_list("site_id", "code", "physical_state", "certainty", "when_text", "validation")
        .iterator(chunk_size=5000)
    ):
        facts[site_id].append(
            conditions.ObservationFacts(
                code, state, certainty, when_text or "", reviewed=validation != Validation.UNVALIDATED
            )
        )
    derived = {site_id: conditions.derive(site_facts) for site_id, site_facts in facts.items()}
    if site_ids is not None:
        for site_id in site_ids:
            derived.setdefault(site_id, conditions.Condition(conditions.UNKNOWN))
    return derived


def condition_of(site: Site) -> conditions.Condition:
    return conditions_for([site.pk])[site.pk]


@dataclass
class SiteRow:
    site: Site
    condition: conditions.Condition


def site_list(*, user: User | None, filters: dict[str, Any] | None = None, public: bool = False) -> list[SiteRow]:
    filters = filters or {}
    queryset = sites_visible(user=user, public=public)
    if text := (filters.get("q") or "").strip():
        queryset = queryset.filter(
            Q(name__icontains=text) | Q(code__iexact=text) | Q(names__text__icontains=text)
        ).distinct()
    if site_type := filters.get("site_type"):
        queryset = queryset.filter(site_type=site_type)
    if settlement := filters.get("settlement"):
        queryset = queryset.filter(settlement__path__startswith=settlement.path)
    if wanted := filters.get("condition"):
        queryset = queryset.filter(condition_state=wanted)
    sites = list(queryset)
    derived = conditions_for(None) if len(sites) > 500 else conditions_for([site.pk for site in sites])
    unknown = conditions.Condition(conditions.UNKNOWN)
    rows = [SiteRow(site, derived.get(site.pk, unknown)) for site in sites]
    if wanted := filters.get("condition"):
        rows = [row for row in rows if row.condition.state == wanted]
    return rows


def map_rows(*, user: User | None, public: bool = False) -> list[list[Any]]:
    """Compact rows for the map, one per site: [code, name, longitude, latitude, condition].

    Five thousand sites must reach the browser within the map's time budget, so this reads
    plain values, with the condition the services keep derived on the site.
    """
    rows = sites_visible(user=user, public=public).values_list(
        "code", "name", "longitude", "latitude", "condition_state"
    )
    return [
        [code, name, round(longitude, 6), round(latitude, 6), state]
        for code, name, longitude, latitude, state in rows.order_by("code")
    ]


def site_get(*, user: User | None, code: str, public: bool = False) -> Site:
    site = sites_visible(user=user, public=public).filter(code=code).first()
    if site is None:
        raise Http404
    return site


@dataclass
class ObservationView:
    observation: Observation
    supporting: list[EvidenceLink] = field(default_factory=list)
    contradicting: list[EvidenceLink] = field(default_factory=list)

    @property
    def images(self) -> list[EvidenceLink]:
        return [link for link in self.supporting if link.item.is_image]


@dataclass
class Dossier:
    site: Site
    condition: conditions.Condition
    observations: list[ObservationView]
    site_evidence: list[EvidenceLink]

    @property
    def published(self) -> list[ObservationView]:
        return [view for view in self.observations if view.observation.status == ObservationStatus.PUBLISHED]

    @property
    def by_code(self) -> dict[str, ObservationView]:
        return {view.observation.code: view for view in self.observations}

    @property
    def current_sources(self) -> list[ObservationView]:
        lookup = self.by_code
        return [lookup[fact.code] for fact in self.condition.sources if fact.code in lookup]

    @property
    def conflicts(self) -> list[ObservationView]:
        lookup = self.by_code
        return [lookup[fact.code] for fact in self.condition.conflicts if fact.code in lookup]

    @property
    def before_after(self) -> tuple[EvidenceLink, EvidenceLink] | None:
        """The earliest and latest published photographs, for the comparison slider."""
        images = [(view.observation.when_key, link) for view in self.published for link in view.images]
        if len(images) < 2:
            return None
        images.sort(key=lambda pair: pair[0])
        return images[0][1], images[-1][1]


def site_dossier(*, user: User | None, code: str, public: bool = False) -> Dossier:
    site = site_get(user=user, code=code, public=public)
    observations = site.observations.select_related("observer", "reviewed_by").order_by(
        "-observed_on", "-interval_end", "-id"
    )
    if public:
        observations = observations.filter(status=ObservationStatus.PUBLISHED)
    views = [ObservationView(observation) for observation in observations]
    lookup = {view.observation.code: view for view in views}
    for link in links_for_targets(target_type=OBSERVATION_TARGET, codes=list(lookup), user=user, public=public):
        view = lookup[link.target_code]
        (view.contradicting if link.relation == "contradicts" else view.supporting).append(link)
    site_evidence = list(links_for_targets(target_type=SITE_TARGET, codes=[site.code], user=user, public=public))
    return Dossier(site, condition_of(site), views, site_evidence)


def review_queue(*, user: User) -> QuerySet[Observation]:
    """Observations awaiting a second person; never the reviewer's own."""
    return (
        Observation.objects.filter(status=ObservationStatus.PENDING_REVIEW)
        .exclude(observer=user)
        .select_related("site", "observer")
        .order_by("created_at")
    )


def evidence_targets_for_site(code: str) -> list[tuple[str, str]]:
    """Every record of a site that evidence can be linked to: the site and its observations."""
    codes = Observation.objects.filter(site__code=code).values_list("code", flat=True)
    return [(SITE_TARGET, code), *((OBSERVATION_TARGET, observation) for observation in codes)]


def site_names(*, user: User | None, code: str) -> tuple[Site, QuerySet[SiteName]]:
    """Every name of a site the user may see, in every script and period (the site page's order)."""
    site = site_get(user=user, code=code)
    return site, site.names.order_by("year_from", "year_to", "language", "text", "pk")
