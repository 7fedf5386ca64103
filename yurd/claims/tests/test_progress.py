"""The progress dashboard: assessed vs registered, closed files apart, every figure drilling down."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.claims import selectors
from yurd.claims.services.workflow import claim_annul, claim_withdraw
from yurd.claims.tests.conftest import World, actor, advance, login, make_household, new_claim
from yurd.testing.personas import make_user


def test_annulled_and_withdrawn_files_never_count_as_progress(
    world: World, assessor: User, reviewer: User, administrator: User
) -> None:
    advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    annulled = advance(
        new_claim(world, household=world.household_b), to="assessed", assessor=assessor, reviewer=reviewer
    )
    claim_annul(actor=actor(administrator), claim=annulled, expected_version=annulled.version, reason="Duplicate file")
    withdrawn = new_claim(world, household=world.household_b)
    claim_withdraw(actor=actor(None), claim=withdrawn, expected_version=withdrawn.version, reason="Claimant withdrew")
    make_household(world.gazetteer.settlement_a2, world.wave)
    summary = selectors.progress_summary(user=administrator)
    assert summary["registered"] == 3
    assert summary["assessed"] == 1
    assert summary["decided"] == 1
    assert summary["closed"] == {"returned": 0, "withdrawn": 1, "annulled": 1}
    by_district = {row.label: (row.registered, row.assessed) for row in summary["by_district"]}
    assert by_district == {"Alpha District": (2, 1), "Beta District": (1, 0)}
    dwelling = next(row for row in summary["by_category"] if row["category"].code == "dwelling")
    assert dwelling["households"] == 1 and dict(dwelling["decided_values"]) == {"AZN": Decimal("8874.00")}
    assert sum(row["n"] for row in summary["throughput"]) == 1


def test_two_assessed_claims_of_one_household_count_it_once(
    world: World, assessor: User, reviewer: User, administrator: User
) -> None:
    advance(new_claim(world), to="assessed", assessor=assessor, reviewer=reviewer)
    advance(new_claim(world, items=[{"reference": "Barn"}]), to="assessed", assessor=assessor, reviewer=reviewer)
    assert selectors.progress_summary(user=administrator)["assessed"] == 1


def test_scoped_registrar_sees_progress_of_her_district_only(
    world: World, registrar: User, assessor: User, reviewer: User
) -> None:
    advance(new_claim(world, household=world.household_b), to="assessed", assessor=assessor, reviewer=reviewer)
    summary = selectors.progress_summary(user=registrar)
    assert summary["registered"] == 1 and summary["assessed"] == 0


def test_dashboard_figures_link_to_the_files_behind_them(
    world: World, assessor: User, reviewer: User, administrator: User
) -> None:
    decided = advance(new_claim(world), to="decided", assessor=assessor, reviewer=reviewer)
    client = login(Client(), administrator)
    page = client.get(reverse("claims:progress")).content.decode()
    assert f"/claims/?status=assessed&amp;wave={world.wave.pk}" in page
    assert f"/claims/?status=assessed&amp;district={world.gazetteer.district_a.pk}" in page
    assert "/claims/?status=decided&amp;category=dwelling" in page
    drill = client.get(
        reverse("claims:claim_list"), {"status": "assessed", "district": str(world.gazetteer.district_a.pk)}
    ).content.decode()
    assert decided.case_number in drill
    households = client.get(reverse("claims:progress_households"), {"assessed": "no"}).content.decode()
    assert world.household_b.code in households and world.household_a.code not in households


def test_dashboard_query_count_does_not_grow_with_files(
    world: World, assessor: User, reviewer: User, analyst: User, django_assert_max_num_queries
) -> None:
    for _number in range(3):
        advance(
            new_claim(world, items=[{"reference": f"H{_number}"}]), to="decided", assessor=assessor, reviewer=reviewer
        )
    client = login(Client(), analyst)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("claims:progress"))
    assert response.status_code == 200


def test_a_registrar_without_any_scope_sees_empty_progress(client: Client, world: World) -> None:
    """Found by the URL walk (issue 15): a scope matching nothing made the category counts'
    hand-written statement fail to compile, and the page answered 500."""
    new_claim(world)
    nobody = make_user("registrar-nobody", Role.REGISTRAR, full_scope=False)
    assert selectors.progress_summary(user=nobody)["registered"] == 0
    login(client, nobody)
    assert client.get(reverse("claims:progress")).status_code == 200


def test_the_analyst_sees_the_figures_but_not_the_households_behind_them(world: World, analyst: User) -> None:
    """The drill-down lists household codes; the analyst reads aggregates only."""
    new_claim(world)
    client = login(Client(), analyst)
    page = client.get(reverse("claims:progress")).content.decode()
    assert reverse("claims:progress_households") not in page
    response = client.get(reverse("claims:progress_households"), {"assessed": "no"})
    assert response.status_code == 403
    assert world.household_a.code not in response.content.decode()


def test_the_drill_down_names_its_filters_in_the_pages_language(world: World, administrator: User) -> None:
    client = login(Client(), administrator)
    client.cookies["django_language"] = "ru"
    filters: dict[str, str | int] = {"assessed": "no", "wave": world.wave.pk, "district": world.gazetteer.district_a.pk}

    page = client.get(reverse("claims:progress_households"), filters, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "Оценено: нет" in page
    assert f"Волна: {world.wave.name}" in page and "Район: Alpha District" in page
    assert 'class="badge">assessed' not in page and 'class="badge">wave' not in page


def test_the_drill_down_of_households_without_a_wave_says_so(world: World, administrator: User) -> None:
    client = login(Client(), administrator)
    client.cookies["django_language"] = "az"

    page = client.get(reverse("claims:progress_households"), {"wave": "none"}, HTTP_ACCEPT_LANGUAGE="az")

    assert "Dalğa: dalğa naməlumdur" in page.content.decode()
