"""Lists read by position: next and previous pages, capped totals, filters either way."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from yurd.accounts.models import User
from yurd.core.testing.personas import Gazetteer
from yurd.registry import selectors
from yurd.registry.models import Household
from yurd.registry.selectors import RegistryFilters
from yurd.registry.tests.conftest import login, register


@pytest.fixture
def twelve_households(gazetteer: Gazetteer) -> list[Household]:
    return [
        register(
            origin=gazetteer.settlement_a1 if number % 2 else gazetteer.settlement_b1,
            current=gazetteer.settlement_b1,
            members=[{"surname": "Həsənov", "given_name": f"Elçin{number:02d}", "household_role": "head"}],
        )
        for number in range(12)
    ]


def test_next_and_previous_pages_follow_the_display_order(twelve_households: list[Household]) -> None:
    queryset = selectors.person_list(user=None)
    names = [person.given_name for person in queryset]
    first = selectors.keyset_page(queryset, order=selectors.PERSON_ORDER, size=5)
    assert [p.given_name for p in first] == names[:5] and first.has_next and not first.has_previous
    second = selectors.keyset_page(queryset, order=selectors.PERSON_ORDER, size=5, after=first.next_after)
    assert [p.given_name for p in second] == names[5:10] and second.has_previous
    last = selectors.keyset_page(queryset, order=selectors.PERSON_ORDER, size=5, after=second.next_after)
    assert [p.given_name for p in last] == names[10:] and not last.has_next
    back = selectors.keyset_page(queryset, order=selectors.PERSON_ORDER, size=5, before=last.previous_before)
    assert [p.given_name for p in back] == names[5:10] and back.has_next and back.has_previous
    unknown = selectors.keyset_page(queryset, order=selectors.PERSON_ORDER, size=5, after="P-9999999")
    assert [p.given_name for p in unknown] == names[:5]


@pytest.mark.parametrize("few", [True, False])
def test_filters_give_the_same_rows_whichever_way_the_page_is_read(
    twelve_households: list[Household], gazetteer: Gazetteer, monkeypatch: Any, few: bool
) -> None:
    # Both ways of reading a page (through the filter indexes, or walking the display
    # order) must list the same households and people.
    monkeypatch.setattr(selectors, "FEW_ROWS", 1_000 if few else 0)
    filters = RegistryFilters(origin_place=gazetteer.settlement_a1.pk)
    households = selectors.household_page(user=None, filters=filters)
    assert [h.code for h in households] == [
        h.code for h in twelve_households if h.origin_place == gazetteer.settlement_a1
    ]
    assert households.count == 6 and not households.count_capped
    people = selectors.person_page(user=None, filters=filters)
    assert len(people) == 6 and all(p.household.origin_place_id == gazetteer.settlement_a1.pk for p in people.rows)


def test_total_is_capped_and_not_counted_under_a_consent_filter(
    twelve_households: list[Household], monkeypatch: Any
) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 10)
    page = selectors.household_page(user=None)
    assert (page.count, page.count_capped) == (10, True)
    assert selectors.household_page(user=None, filters=RegistryFilters(consent=False)).count is None


def test_list_page_links_to_the_next_page_and_back(
    client: Any, registrar: User, twelve_households: list[Household], monkeypatch: Any
) -> None:
    monkeypatch.setattr(selectors, "PAGE_SIZE", 4)
    login(client, registrar)
    first = client.get(reverse("registry:household_list"))
    scope = registrar.scopes.get().place.path
    visible = [h.code for h in twelve_households if h.origin_place and h.origin_place.path.startswith(scope)]
    assert "6 records" in first.text
    assert f">{visible[0]}</a>" in first.text and f">{visible[4]}</a>" not in first.text
    second = client.get(reverse("registry:household_list"), {"after": visible[3]})
    assert f">{visible[4]}</a>" in second.text and f">{visible[3]}</a>" not in second.text
    assert f"before={visible[4]}" in second.text and 'rel="first"' in second.text
