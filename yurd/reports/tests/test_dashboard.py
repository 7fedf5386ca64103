"""The overview dashboard: grouped figures, links for those who may open records."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from yurd.accounts.models import User
from yurd.core.actors import Actor
from yurd.heritage.models import PhysicalState
from yurd.heritage.selectors import conditions_for
from yurd.heritage.services import observation_record
from yurd.heritage.tests.conftest import make_site
from yurd.registry.models import Wave
from yurd.reports.dashboard import Dashboard, Series, build_dashboard
from yurd.reports.tests.data import all_names, populate
from yurd.testing.personas import Gazetteer

pytestmark = pytest.mark.django_db


def series(dashboard: Dashboard, key: str) -> Series:
    return next(item for item in dashboard.series if item.key == key)


def test_figures_count_households_by_wave_and_origin(gazetteer: Gazetteer, administrator: User) -> None:
    populate(gazetteer)
    dashboard = build_dashboard(user=administrator)
    assert dashboard.households == 40
    assert dashboard.people == 120
    by_wave = series(dashboard, "households_by_wave")
    assert dict(zip(by_wave.labels, by_wave.values, strict=True)) == {"1948–1953": 2, "1987–1991": 38}
    by_origin = series(dashboard, "households_by_origin")
    assert dict(zip(by_origin.labels, by_origin.values, strict=True)) == {"Alpha District": 32, "Beta District": 8}
    years = series(dashboard, "displacement_by_year")
    assert years.labels == ["1949", "1988"]


def test_dashboard_runs_in_a_few_grouped_queries(
    gazetteer: Gazetteer, administrator: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    populate(gazetteer)
    # 14 grouped figures, and since issue 16 one more: the population figure progress is
    # measured against (one row with its cited estimate, registry.selectors.population_figure).
    with django_assert_max_num_queries(15):
        build_dashboard(user=administrator)


def test_analyst_sees_suppressed_figures_without_links(gazetteer: Gazetteer, analyst: User) -> None:
    populate(gazetteer)
    dashboard = build_dashboard(user=analyst)
    by_wave = series(dashboard, "households_by_wave")
    assert None in by_wave.values
    assert not any(by_wave.links)
    assert all(point["link"] is None for point in dashboard.settlements)


def test_dashboard_page_contains_no_names(client: Client, gazetteer: Gazetteer, analyst: User) -> None:
    populate(gazetteer)
    client.force_login(analyst)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    content = response.content.decode()
    for name in all_names():
        assert name not in content


def test_scoped_registrar_sees_only_her_district(client: Client, gazetteer: Gazetteer, registrar: User) -> None:
    populate(gazetteer)
    client.force_login(registrar)
    response = client.get(reverse("reports:dashboard"))
    figures = json.loads(response.context["figures"] and json.dumps(response.context["figures"]))
    assert figures["households"] == 32


def test_outsider_cannot_open_the_dashboard(client: Client, outsider: User) -> None:
    client.force_login(outsider)
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_bars_link_to_the_filtered_household_list(client: Client, gazetteer: Gazetteer, registrar: User) -> None:
    populate(gazetteer)
    by_wave = series(build_dashboard(user=registrar), "households_by_wave")
    wave = Wave.objects.get(code="1948-1953")
    link = dict(zip(by_wave.labels, by_wave.links, strict=True))["1948–1953"]
    assert link == f"{reverse('registry:household_list')}?wave={wave.pk}"
    client.force_login(registrar)
    response = client.get(link)
    assert response.status_code == 200
    assert response.context["page"].count == 2


def test_heritage_figure_counts_each_sites_current_condition(
    gazetteer: Gazetteer, administrator: User, heritage_researcher: User
) -> None:
    """The figure groups the condition each site stores; it must agree with the condition
    derived from the published observations, including a later observation's change."""
    sites = [make_site(heritage_researcher, gazetteer, name=f"Site {number}") for number in range(3)]
    for site, state in zip(sites[:2], ["moderately_damaged", "slightly_damaged"], strict=True):
        observation_record(
            actor=Actor(user=heritage_researcher),
            site=site,
            physical_state=state,
            certainty="high",
            method="field_visit",
            observed_on="2019",
        )
    observation_record(
        actor=Actor(user=heritage_researcher),
        site=sites[1],
        physical_state="moderately_damaged",
        certainty="high",
        method="field_visit",
        observed_on="2023",
    )
    figure = series(build_dashboard(user=administrator), "heritage_by_condition")
    shown = {label: value for label, value in zip(figure.labels, figure.values, strict=True) if value is not None}
    assert len(shown) == len(figure.labels)  # an administrator sees every figure
    derived: dict[str, int] = {}
    for condition in conditions_for([site.pk for site in sites]).values():
        derived[condition.state] = derived.get(condition.state, 0) + 1
    assert sum(shown.values()) == 3
    assert derived == {"moderately_damaged": 2, "unknown": 1}
    assert sorted(shown.values()) == sorted(derived.values())
    assert shown[str(PhysicalState.MODERATELY_DAMAGED.label)] == 2
