"""The scope boundary of registry reads (issue 15): list cursors and relatives never name a
record outside the reader's scope, and whatever a page shows of a relative is logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.core.actors import system_actor
from yurd.core.models import AccessLogEntry
from yurd.registry import selectors
from yurd.registry.models import Kinship, Person
from yurd.registry.services import kinship_add
from yurd.registry.tests.conftest import login, register
from yurd.testing.personas import Gazetteer, make_user


def _one(origin: Any, surname: str, given_name: str = "Elçin", **member: Any) -> Person:
    household = register(
        origin=origin, members=[{"surname": surname, "given_name": given_name, "household_role": "head", **member}]
    )
    return household.members.get()


@pytest.fixture
def alphabet(gazetteer: Gazetteer) -> dict[str, Person]:
    """Four people of district A and, between them in name order, one of district B."""
    people = {
        surname: _one(gazetteer.settlement_a1, surname) for surname in ("Aliyev", "Babayev", "Cafarov", "Dadashov")
    }
    people["hidden"] = _one(gazetteer.settlement_b1, "Bashirov", "Zaur")
    return people


def _listed(client: Client, url: str, **cursor: str) -> tuple[list[str], bool, bool]:
    response = client.get(url, cursor)
    assert response.status_code == 200
    page = response.context["page"]
    return [row.code for row in page.rows], page.has_next, page.has_previous


@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_cursor_outside_the_scope_reads_like_an_unknown_code_and_names_no_neighbour(
    client: Client, registrar: User, alphabet: dict[str, Person], monkeypatch: Any, direction: str
) -> None:
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    login(client, registrar)
    people_url = reverse("registry:person_list")
    first = _listed(client, people_url)
    assert first[0] == [alphabet["Aliyev"].code, alphabet["Babayev"].code]
    hidden = _listed(client, people_url, **{direction: alphabet["hidden"].code})
    unknown = _listed(client, people_url, **{direction: "P-9999999"})
    # Before the fix `after` gave Cafarov and Dadashov (the hidden Bashirov's neighbours)
    # and `before` gave Aliyev and Babayev with no previous page, unlike an unknown code.
    assert hidden == unknown == first
    households_url = reverse("registry:household_list")
    hidden_household = alphabet["hidden"].household.code
    assert (
        _listed(client, households_url, **{direction: hidden_household})
        == _listed(client, households_url, **{direction: "HH-999999"})
        == _listed(client, households_url)
    )


@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_cursor_given_to_a_registrar_without_any_scope_shows_an_empty_list(
    client: Client, alphabet: dict[str, Person], direction: str
) -> None:
    # A registrar with no scope sees no rows: the cursor's subquery then had no SQL at all
    # (EmptyResultSet) and the page answered 500 (found by the generated scope walk).
    login(client, make_user("registrar-unscoped", Role.REGISTRAR, full_scope=False))
    for url, code in (
        (reverse("registry:person_list"), alphabet["hidden"].code),
        (reverse("registry:household_list"), alphabet["hidden"].household.code),
    ):
        assert _listed(client, url, **{direction: code}) == ([], False, False)


def test_a_cursor_within_the_scope_still_turns_the_page(
    client: Client, registrar: User, alphabet: dict[str, Person], monkeypatch: Any
) -> None:
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    login(client, registrar)
    url = reverse("registry:person_list")
    assert _listed(client, url, after=alphabet["Babayev"].code) == (
        [alphabet["Cafarov"].code, alphabet["Dadashov"].code],
        False,
        True,
    )
    assert _listed(client, url, before=alphabet["Cafarov"].code) == (
        [alphabet["Aliyev"].code, alphabet["Babayev"].code],
        True,
        False,
    )


@pytest.fixture
def family_across_districts(gazetteer: Gazetteer) -> dict[str, Person]:
    """A deceased father in district A; a son in district A and a daughter (with her own
    son) in district B; the father's wife is registered in district B as well."""
    father = _one(gazetteer.settlement_a1, "Quliyev", "Kamal", birth_date="1940", death_date="2001")
    son = _one(gazetteer.settlement_a2, "Quliyev", "Tural", birth_date="1970")
    daughter = _one(gazetteer.settlement_b1, "Hidayatova", "Sevinj", birth_date="03.04.1972", death_date="2010")
    grandson = _one(gazetteer.settlement_b1, "Hidayatov", "Ramil", birth_date="1995")
    wife = _one(gazetteer.settlement_b1, "Quliyeva", "Nargiz", birth_date="1945")
    for parent, child in ((father, son), (father, daughter), (daughter, grandson)):
        kinship_add(actor=system_actor(), from_person=parent, to_person=child, kind="parent_of", source="registry book")
    kinship_add(actor=system_actor(), from_person=father, to_person=wife, kind="spouse_of")
    father.refresh_from_db()
    return {"father": father, "son": son, "daughter": daughter, "grandson": grandson, "wife": wife}


def _hidden(family: dict[str, Person]) -> list[Person]:
    return [family["daughter"], family["grandson"], family["wife"]]


def _identifying(person: Person) -> list[str]:
    texts = [person.code, person.given_name, person.surname, person.household.code]
    if person.birth_date:
        texts.append(str(person.birth_date))
    return texts


def test_a_person_page_names_no_relative_outside_the_scope(
    client: Client, registrar: User, family_across_districts: dict[str, Person]
) -> None:
    login(client, registrar)
    father, son = family_across_districts["father"], family_across_districts["son"]
    response = client.get(reverse("registry:person_detail", args=[father.code]))
    assert response.status_code == 200
    html = response.content.decode()
    for hidden in _hidden(family_across_districts):
        for text in _identifying(hidden):
            assert text not in html, (hidden.code, text)
    # The son, in scope, is named in the kinship section, the descendants and the heirs;
    # the daughter and the wife only as relatives outside the scope.
    assert html.count(f'href="{reverse("registry:person_detail", args=[son.code])}"') == 3
    assert html.count("a relative outside your scope") == 2
    # The son inherits, and so does the grandson (representing his deceased mother), who
    # is not named here; the whole family decides the shares, the reader only what is shown.
    page_heirs = response.context["heir_generations"]
    assert [[heir.code for heir in generation] for generation in page_heirs] == [[son.code]]


def test_what_a_person_page_shows_of_a_relative_is_logged_against_the_relative(
    client: Client, registrar: User, family_across_districts: dict[str, Person]
) -> None:
    login(client, registrar)
    father, son = family_across_districts["father"], family_across_districts["son"]
    client.get(reverse("registry:person_detail", args=[father.code]))
    logged = AccessLogEntry.objects.filter(username=registrar.username, target_type="registry.person")
    assert logged.filter(target_code=son.code, detail__shown_on=father.code).count() == 1
    assert not logged.filter(target_code__in=[person.code for person in _hidden(family_across_districts)]).exists()


def test_the_kinship_section_sent_by_htmx_names_no_relative_outside_the_scope(
    client: Client, registrar: User, family_across_districts: dict[str, Person]
) -> None:
    login(client, registrar)
    son, father = family_across_districts["son"], family_across_districts["father"]
    nephew = _one(registrar.scopes.get().place.children.first(), "Quliyev", "Orxan")
    response = client.post(
        reverse("registry:kinship_add", args=[son.code]),
        {
            "kinship-relation": "parent_of",
            "kinship-other_person": nephew.code,
            "kinship-source": "interview",
            "kinship-certainty": "medium",
            "kinship-reason": "told by the family",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    assert "Kinship recorded." in html
    assert f'href="{reverse("registry:person_detail", args=[nephew.code])}"' in html and father.code in html
    logged = AccessLogEntry.objects.filter(username=registrar.username, detail__shown_on=son.code)
    assert set(logged.values_list("target_code", flat=True)) == {nephew.code, father.code}
    response = client.post(
        reverse("registry:kinship_add", args=[father.code]),
        {"kinship-relation": "parent_of", "kinship-other_person": "P-9999999", "kinship-reason": "typo"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    for hidden in _hidden(family_across_districts):
        for text in _identifying(hidden):
            assert text not in html, (hidden.code, text)
    assert "a relative outside your scope" in html


def test_an_edge_to_a_relative_outside_the_scope_cannot_be_removed_through_this_person(
    client: Client, registrar: User, family_across_districts: dict[str, Person]
) -> None:
    login(client, registrar)
    father, daughter = family_across_districts["father"], family_across_districts["daughter"]
    edge = Kinship.objects.get(from_person=father, to_person=daughter)
    response = client.post(
        reverse("registry:kinship_remove", args=[father.code, edge.pk]),
        {f"remove-kinship-{edge.pk}-reason": "not her father"},
    )
    assert response.status_code == 404
    assert Kinship.objects.filter(pk=edge.pk).exists()


def test_the_system_and_full_scope_readers_still_see_the_whole_family(
    family_across_districts: dict[str, Person],
) -> None:
    father = family_across_districts["father"]
    root, generations = selectors.descendant_tree(father, user=None)
    assert {item.person.code for item in root.children} == {
        family_across_districts["son"].code,
        family_across_districts["daughter"].code,
    }
    assert {heir.code for generation in generations for heir in generation} == {
        family_across_districts["son"].code,
        family_across_districts["grandson"].code,
    }
    relatives = selectors.person_relatives(father, user=None)
    assert all(relative.person is not None for relative in relatives) and len(relatives) == 3
