"""Writes to the heritage register: sites, observations with their evidence, and review."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.core.actors import Actor
from yurd.core.permissions import require
from yurd.evidence.models import EvidenceItem, EvidenceKind, LinkRelation
from yurd.evidence.services import evidence_ingest, evidence_link
from yurd.heritage import condition as conditions
from yurd.heritage import geometry as geo
from yurd.heritage.models import (
    OBSERVATION_TARGET,
    Alteration,
    Observation,
    ObservationStatus,
    Site,
    SiteName,
    SiteType,
    Validation,
)
from yurd.heritage.selectors import conditions_for
from yurd.places.models import Place
from yurd.registry.codes import allocate_unused_code

# Codes come from the registry's locked sequences, so two researchers saving at once never
# receive the same one; the demo's own codes (HS-D0001) and any given by hand are skipped.
SITE_CODES = ("heritage_site", "HS-{:06d}")
OBSERVATION_CODES = ("heritage_observation", "OBS-{:06d}")


def _apply_geometry(site: Site, geometry: Any) -> None:
    try:
        site.geometry = geo.validate(geometry)
    except geo.GeometryError as error:
        raise ValidationError({"geometry": str(error)}) from None
    site.longitude, site.latitude = geo.representative_point(site.geometry)


def site_create(
    *,
    actor: Actor,
    name: str,
    site_type: SiteType,
    settlement: Place,
    geometry: dict[str, Any],
    code: str = "",
    period: str = "",
    description: str = "",
    is_published: bool = False,
    names: Iterable[dict[str, Any]] = (),
    related_sites: Iterable[Site] = (),
) -> Site:
    require(actor, "heritage.add_site")
    with transaction.atomic():
        site = Site(
            code=code or allocate_unused_code(*SITE_CODES, Site),
            name=name,
            site_type=site_type,
            settlement=settlement,
            period=period,
            description=description,
            is_published=is_published,
            created_by=actor.user,
        )
        _apply_geometry(site, geometry)
        site.full_clean()
        site.save()
        for name_data in names:
            site_name = SiteName(site=site, **name_data)
            site_name.full_clean()
            site_name.save()
        site.related_sites.set(list(related_sites))
    return site


def site_update(
    *,
    actor: Actor,
    site: Site,
    name: str | None = None,
    site_type: SiteType | None = None,
    settlement: Place | None = None,
    geometry: dict[str, Any] | None = None,
    period: str | None = None,
    description: str | None = None,
    is_published: bool | None = None,
    related_sites: Iterable[Site] | None = None,
) -> Site:
    """Change what is given; an argument left at None keeps the site's value."""
    require(actor, "heritage.change_site")
    changes = {
        "name": name,
        "site_type": site_type,
        "settlement": settlement,
        "period": period,
        "description": description,
        "is_published": is_published,
    }
    with transaction.atomic():
        locked = Site.objects.select_for_update().get(pk=site.pk)
        if geometry is not None:
            _apply_geometry(locked, geometry)
        for field, value in changes.items():
            if value is not None:
                setattr(locked, field, value)
        locked.full_clean()
        locked.save()
        if related_sites is not None:
            locked.related_sites.set([other for other in related_sites if other.pk != locked.pk])
    return locked


def observation_record(
    *,
    actor: Actor,
    site: Site,
    physical_state: str,
    certainty: str,
    method: str,
    extent: str = "unknown",
    alterations: Iterable[str] = (),
    threat: str = "",
    observed_on: str = "",
    interval_start: str = "",
    interval_end: str = "",
    summary: str = "",
    photo: IO[bytes] | Iterable[bytes] | None = None,
    photo_name: str = "",
    photo_sensitivity: str = "internal",
    supporting: Iterable[EvidenceItem] = (),
    contradicting: Iterable[EvidenceItem] = (),
) -> Observation:
    """Record an observation. It is published at once unless it needs a second reviewer."""
    require(actor, "heritage.add_observation")
    if actor.user is None:
        raise PermissionDenied("An observation needs a named observer.")
    alterations = sorted(set(alterations))
    unknown = set(alterations) - set(Alteration.values)
    if unknown:
        raise ValidationError({"alterations": f"unknown alteration(s): {', '.join(sorted(unknown))}"})
    if not observed_on and not (interval_start and interval_end):
        raise ValidationError(_("Give the date of the observation, or both image dates of the interval."))
    photo_item = None
    if photo is not None:
        # Stored first (outside the observation's transaction): the vault is content-addressed,
        # so a failed observation leaves at most a reusable item.
        photo_item = evidence_ingest(
            actor=actor,
            stream=photo,
            original_name=photo_name,
            kind=EvidenceKind.PHOTO,
            title_en=f"{site.name}: {observed_on or interval_end}",
            captured=observed_on or interval_end,
            place=site.settlement,
            sensitivity=photo_sensitivity,
        ).item
    with transaction.atomic():
        observation = Observation(
            code=allocate_unused_code(*OBSERVATION_CODES, Observation),
            site=site,
            physical_state=physical_state,
            extent=extent,
            alterations=alterations,
            threat=threat,
            certainty=certainty,
            method=method,
            observed_on=observed_on,
            interval_start=interval_start,
            interval_end=interval_end,
            observer=actor.user,
            summary=summary,
        )
        # A site whose reviewed condition is grave changes back only on a second person's word.
        current = Site.objects.filter(pk=site.pk).values_list("condition_state", flat=True).first() or ""
        observation.status = (
            ObservationStatus.PENDING_REVIEW
            if observation.needs_second_reviewer or conditions.lowers(physical_state, current)
            else ObservationStatus.PUBLISHED
        )
        observation.full_clean()
        observation.save()
        for item in [*([photo_item] if photo_item else []), *supporting]:
            evidence_link(
                actor=actor,
                item=item,
                target_type=OBSERVATION_TARGET,
                target_code=observation.code,
                relation=LinkRelation.SUPPORTS,
            )
        for item in contradicting:
            evidence_link(
                actor=actor,
                item=item,
                target_type=OBSERVATION_TARGET,
                target_code=observation.code,
                relation=LinkRelation.CONTRADICTS,
            )
        site_condition_refresh(site_ids=[site.pk])
    return observation


def site_condition_refresh(*, site_ids: Iterable[int] | None = None) -> int:
    """Store each site's derived condition (from published observations). Returns how many changed."""
    ids = list(site_ids) if site_ids is not None else None
    derived = conditions_for(ids)
    changed = 0
    queryset = Site.objects.all() if ids is None else Site.objects.filter(pk__in=ids)
    for site_id, stored in queryset.values_list("pk", "condition_state"):
        state = derived[site_id].state if site_id in derived else "unknown"
        if state != stored:
            Site.objects.filter(pk=site_id).update(condition_state=state)
            changed += 1
    return changed


def _review(*, actor: Actor, observation: Observation, note: str, approve: bool) -> Observation:
    require(actor, "heritage.review_observation")
    with transaction.atomic():
        locked = Observation.objects.select_for_update().get(pk=observation.pk)
        if locked.status != ObservationStatus.PENDING_REVIEW:
            raise ValidationError(_("Only an observation awaiting review can be approved or rejected."))
        if actor.user is None or actor.user.pk == locked.observer_id:
            raise PermissionDenied(_("A second person must review an observation: not its observer."))
        locked.status = ObservationStatus.PUBLISHED if approve else ObservationStatus.REJECTED
        if approve and locked.validation == Validation.UNVALIDATED:
            locked.validation = Validation.REVIEWED
        locked.reviewed_by = actor.user
        locked.reviewed_at = timezone.now()
        locked.review_note = note
        locked.full_clean()
        locked.save()
        site_condition_refresh(site_ids=[locked.site_id])
    return locked


def observation_approve(*, actor: Actor, observation: Observation, note: str = "") -> Observation:
    return _review(actor=actor, observation=observation, note=note, approve=True)


def observation_reject(*, actor: Actor, observation: Observation, note: str) -> Observation:
    if not note.strip():
        raise ValidationError(_("Say why the observation is rejected."))
    return _review(actor=actor, observation=observation, note=note, approve=False)


def site_replace_names(*, actor: Actor, site: Site, names: Iterable[dict[str, Any]]) -> None:
    require(actor, "heritage.change_site")
    with transaction.atomic():
        site.names.all().delete()
        for name_data in names:
            site_name = SiteName(site=site, **name_data)
            site_name.full_clean()
            site_name.save()
