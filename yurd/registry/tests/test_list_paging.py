"""Lists read by position: next and previous pages, capped totals, filters either way."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yurd.accounts.models import User
from yurd.places.models import Place
from yurd.registry import selectors
from yurd.registry.models import Household, Wave
from yurd.registry.selectors import RegistryFilters
from yurd.registry.tests.conftest import login, register
from yurd.testing.personas import Gazetteer


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


def test_a_cursor_past_the_end_gives_an_empty_page_and_an_unknown_one_the_first(
    twelve_households: list[Household],
) -> None:
    queryset = selectors.person_list(user=None)
    codes = [person.code for person in queryset]
    last = selectors.keyset_page(queryset, order=selectors.PERSON_ORDER, size=5, after=codes[-1])
    assert last.rows == [] and last.has_previous and not last.has_next
    unknown = selectors.keyset_page(queryset, order=selectors.PERSON_ORDER, size=5, before="P-9999999")
    assert [p.code for p in unknown] == codes[:5] and unknown.has_next and not unknown.has_previous
    households = selectors.household_list(user=None)
    first = selectors.keyset_page(households, order=selectors.HOUSEHOLD_ORDER, size=5, before="HH-9999999")
    assert [h.code for h in first] == [h.code for h in households][:5] and not first.has_previous


def test_filter_choices_are_one_query_and_resolve_a_district_to_its_settlements(
    twelve_households: list[Household], gazetteer: Gazetteer, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        choices = selectors.list_filter_choices()
    within = set(Place.objects.filter(path__startswith=gazetteer.district_b.path).values_list("pk", flat=True))
    assert set(choices.within(gazetteer.district_b.pk) or []) == within and gazetteer.settlement_b1.pk in within
    assert choices.within(gazetteer.settlement_a1.pk) == [gazetteer.settlement_a1.pk]
    assert choices.within(gazetteer.region.pk) is None  # not a choice: resolved by a query instead
    assert [name for _pk, name in choices.waves] == list(
        Wave.objects.order_by("year_from").values_list("name", flat=True)
    )
    assert [name for _pk, name in choices.settlements] == sorted(name for _pk, name in choices.settlements)
    filters = RegistryFilters(current_district=gazetteer.district_b.pk, origin_place=gazetteer.settlement_a1.pk)
    with_choices = selectors.person_page(user=None, filters=filters, choices=choices)
    without = selectors.person_page(user=None, filters=filters)
    assert [p.code for p in with_choices] == [p.code for p in without] and len(without) == 6


def test_a_deep_page_of_a_scoped_filtered_list_takes_the_queries_of_the_first(
    client: Any, registrar: User, twelve_households: list[Household], gazetteer: Gazetteer, monkeypatch: Any
) -> None:
    # The filter choices resolve both place filters, and the cursor's key is read inside
    # the page's own query: a scoped, filtered 2nd page costs no more than the first.
    monkeypatch.setattr(selectors, "PAGE_SIZE", 4)
    login(client, registrar)
    url = reverse("registry:person_list")
    query = {"origin_place": gazetteer.settlement_a1.pk, "current_district": gazetteer.district_b.pk}
    filters = RegistryFilters(origin_place=gazetteer.settlement_a1.pk, current_district=gazetteer.district_b.pk)
    codes = [person.code for person in selectors.person_list(user=registrar, filters=filters)]
    assert len(codes) == 6
    client.get(url, query)  # warm the session

    def queries(params: dict[str, Any]) -> tuple[str, int]:
        with CaptureQueriesContext(connection) as context:
            text = client.get(url, params).text
        return text, len([q for q in context.captured_queries if "SAVEPOINT" not in q["sql"]])

    first, first_queries = queries(query)
    second, second_queries = queries({**query, "after": codes[3]})
    assert f"/people/{codes[3]}/" in first and f"/people/{codes[4]}/" not in first
    assert f"/people/{codes[4]}/" in second and f"/people/{codes[3]}/" not in second
    assert second_queries == first_queries <= 11
