"""Demo heritage register: a few dozen synthetic sites with observations and drawn photographs."""

from __future__ import annotations

import random
from typing import TextIO

from yurd.accounts.demo import demo_user, demo_username
from yurd.accounts.roles import Role
from yurd.core.actors import Actor
from yurd.evidence.images import synthetic_building
from yurd.heritage import geometry
from yurd.heritage.defaults import ensure_site_types
from yurd.heritage.models import ObservationStatus, Site, SiteType
from yurd.heritage.services import observation_approve, observation_record, site_create
from yurd.places.models import Place, PlaceKind

ORDER = 60
SITES = 36
STATES = ["no_visible_change", "slightly_damaged", "moderately_damaged", "severely_damaged", "destroyed"]
# Records are typed in Azerbaijani, the language of the community that keeps them: az pages
# read them as they are; en and ru pages show them as typed, as they would real records.
PERIODS = ["XVII əsr", "XVIII əsr", "XIX əsr"]
NAMES = ["Juma", "Göy", "Şah Abbas", "Hacı Qasım", "Qırmızı", "Ağ", "Köhnə", "Dəmirçi", "Bulaq"]


def load(*, households: int, stdout: TextIO) -> None:
    del households
    if Site.objects.filter(code__startswith="HS-D").exists():
        stdout.write(f"Heritage: demo sites already present ({Site.objects.count()} sites).\n")
        return
    ensure_site_types()
    settlements = list(Place.objects.filter(kind=PlaceKind.SETTLEMENT).order_by("code")[:40])
    if not settlements:
        stdout.write("Heritage: no settlements in the gazetteer; no demo sites.\n")
        return
    researcher = demo_user(demo_username(Role.HERITAGE_RESEARCHER), role=Role.HERITAGE_RESEARCHER)
    reviewer = demo_user(demo_username(Role.REVIEWER), role=Role.REVIEWER)
    types = list(SiteType.objects.all())
    rng = random.Random(60)  # noqa: S311 - synthetic demo data
    for number in range(1, SITES + 1):
        settlement = settlements[number % len(settlements)]
        latitude = float(settlement.latitude) if settlement.latitude is not None else 39.6 + rng.random() * 1.6
        longitude = float(settlement.longitude) if settlement.longitude is not None else 43.6 + rng.random() * 2.2
        latitude += rng.uniform(-0.01, 0.01)
        longitude += rng.uniform(-0.01, 0.01)
        site_type = types[number % len(types)]
        site = site_create(
            actor=Actor(user=None),
            code=f"HS-D{number:04d}",
            name=f"{NAMES[number % len(NAMES)]} {site_type.name_az or site_type.name_en} ({settlement.name})",
            site_type=site_type,
            settlement=settlement,
            geometry=geometry.point(longitude, latitude),
            period=PERIODS[number % 3],
            description="Sintetik demo abidəsi.",
            is_published=number % 4 != 0,
        )
        _observe(site, number, rng, Actor(user=researcher), Actor(user=reviewer))
    stdout.write(f"Heritage: {SITES} synthetic sites with observations.\n")


def _observe(site: Site, number: int, rng: random.Random, researcher: Actor, reviewer: Actor) -> None:
    observation_record(
        actor=researcher,
        site=site,
        physical_state="no_visible_change",
        certainty="high",
        method="archival",
        observed_on=str(1980 + number % 8),
        summary="Arxiv fotoşəkli (sintetik).",
        photo=[synthetic_building(seed=number, damaged=0.0)],
        photo_name=f"{site.code}-before.jpg",
        photo_sensitivity="public",
    )
    if number % 6 == 0:
        return  # no recent observation: condition from the archive only
    state = STATES[number % len(STATES)]
    damage = {"no_visible_change": 0.0, "slightly_damaged": 0.2, "moderately_damaged": 0.45}.get(state, 0.9)
    later = observation_record(
        actor=researcher,
        site=site,
        physical_state=state,
        extent="unknown" if damage == 0 else "31-60",
        alterations=["converted"] if number % 7 == 0 else [],
        certainty=rng.choice(["high", "medium", "definite"]),
        method="satellite",
        interval_start="2019-05",
        interval_end="2021-08",
        summary="Peyk təsvirləri müqayisə edilib (sintetik).",
        photo=[synthetic_building(seed=number, damaged=damage)],
        photo_name=f"{site.code}-after.jpg",
        photo_sensitivity="public" if number % 5 else "restricted",
    )
    if later.status == ObservationStatus.PENDING_REVIEW and number % 3 != 0:
        observation_approve(actor=reviewer, observation=later, note="Peyk təsvirləri ilə tutuşdurulub (demo).")
    if number % 9 == 0:
        # A disagreeing field report on the same date: shown side by side.
        observation_record(
            actor=researcher,
            site=site,
            physical_state="slightly_damaged",
            certainty="low",
            method="testimony",
            interval_start="2019-05",
            interval_end="2021-08",
            summary="Keçmiş sakinin ifadəsi (sintetik).",
        )
