"""The search box: any script, typos, ranking, highlights, scope and roles."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from yurd.accounts.models import User
from yurd.core.actors import system_actor
from yurd.registry.models import Household
from yurd.registry.search import registry_search
from yurd.registry.services import person_name_add
from yurd.registry.tests.conftest import register
from yurd.testing.personas import Gazetteer


@pytest.fixture
def cyrillic_family(gazetteer: Gazetteer) -> Household:
    return register(
        origin=gazetteer.settlement_a2,
        members=[{"surname": "Мамедов", "given_name": "Али", "sex": "m", "household_role": "head"}],
    )


def test_latin_query_finds_azerbaijani_and_russian_spellings(
    mammadov_family: Household, cyrillic_family: Household
) -> None:
    result = registry_search(user=None, query="Mamedov Ali")
    names = [hit.person.display_name for hit in result.people]
    assert names[:2] == sorted(names[:2])  # equal scores, then by name
    assert set(names[:2]) == {"Məmmədov Əli Həsən oğlu", "Мамедов Али"}
    assert {entry.household.code for entry in result.households} == {mammadov_family.code, cyrillic_family.code}


def test_cyrillic_query_finds_latin_name_and_highlights_it(mammadov_family: Household) -> None:
    result = registry_search(user=None, query="Мәммәдов Әли")
    top = result.people[0]
    assert top.person.given_name == "Əli"
    assert "<mark>Məmmədov</mark> <mark>Əli</mark>" in top.name_html


def test_typo_still_finds_the_person(mammadov_family: Household) -> None:
    result = registry_search(user=None, query="Mammadof Ali")
    assert result.people and result.people[0].person.given_name == "Əli"


def test_prefix_while_typing_finds_the_person(mammadov_family: Household) -> None:
    result = registry_search(user=None, query="Məmm Rəş")
    assert [hit.person.given_name for hit in result.people] == ["Rəşad"]


def test_household_code_finds_the_household(mammadov_family: Household) -> None:
    result = registry_search(user=None, query="HH-000001")
    assert [entry.household for entry in result.households] == [mammadov_family]


def test_other_name_form_is_shown_when_it_matched_better(mammadov_family: Household) -> None:
    wife = mammadov_family.members.get(given_name="Gülnarə")
    person_name_add(actor=system_actor(), person=wife, surname="Hüseynova", given_name="Gülnarə", kind="maiden")
    hit = registry_search(user=None, query="Гусейнова Гюльнара").people[0]
    assert hit.person == wife
    assert hit.other_name_html is not None and "<mark>Hüseynova</mark>" in hit.other_name_html


def test_registrar_finds_only_her_district(
    registrar: User, mammadov_family: Household, other_district_household: Household
) -> None:
    assert registry_search(user=registrar, query="Quliyev").people == []
    assert registry_search(user=registrar, query="Məmmədov").people


def test_analyst_may_not_search_people(analyst: User, mammadov_family: Household) -> None:
    with pytest.raises(PermissionDenied):
        registry_search(user=analyst, query="Məmmədov")
