"""Heirs derived from kinship: pure functions first, then the selector over the database."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from yurd.core.actors import system_actor
from yurd.registry import heirs
from yurd.registry.models import Household, Person
from yurd.registry.selectors import descendant_tree, household_members, household_tree
from yurd.registry.services import heir_line_create, kinship_add, person_add

# 1 -> 2, 3; 2 -> 4, 5; 3 -> 6; 6 -> 7
EDGES = [(1, 2), (1, 3), (2, 4), (2, 5), (3, 6), (6, 7)]


def test_descendants_come_generation_by_generation() -> None:
    assert heirs.descendant_generations(1, heirs.children_map(EDGES)) == [[2, 3], [4, 5, 6], [7]]


def test_descendants_survive_cycles_in_bad_data() -> None:
    assert heirs.descendant_generations(1, heirs.children_map([(1, 2), (2, 1)])) == [[2]]


def test_deceased_child_is_represented_by_their_children() -> None:
    # 3 and 6 are dead: 3's share goes to 6's child 7.
    assert heirs.heirs_by_representation(1, heirs.children_map(EDGES), {3, 6}) == [[2], [7]]


def test_family_forest_nests_children_under_parents_with_spouses_beside() -> None:
    forest = heirs.family_forest([10, 11, 12, 13], [(10, 12), (11, 12), (13, 10)], [(10, 11)])
    assert len(forest) == 1
    root = forest[0]
    assert root.person_id == 13
    assert root.children[0].person_id == 10
    assert root.children[0].spouses == [11]
    assert [child.person_id for child in root.children[0].children] == [12]


def test_household_tree_and_descendants_from_the_database(mammadov_family: Household) -> None:
    members = household_members(mammadov_family)
    tree = household_tree(members)
    assert [item.person.given_name for item in tree] == ["Həsən"]
    grandfather = Person.objects.get(given_name="Həsən")
    root, heir_generations = descendant_tree(grandfather, user=None)
    assert [child.person.given_name for child in root.children] == ["Əli"]
    assert [[person.given_name for person in generation] for generation in heir_generations] == [["Əli"]]


def test_heir_line_only_for_deceased_and_only_once(mammadov_family: Household) -> None:
    grandfather = Person.objects.get(given_name="Həsən")
    line = heir_line_create(actor=system_actor(), ancestor=grandfather)
    assert line.code == "HL-000001"
    with pytest.raises(ValidationError):
        heir_line_create(actor=system_actor(), ancestor=grandfather)
    with pytest.raises(ValidationError):
        heir_line_create(actor=system_actor(), ancestor=Person.objects.get(given_name="Əli"))


def test_kinship_refuses_making_someone_their_own_ancestor(mammadov_family: Household) -> None:
    grandson = Person.objects.get(given_name="Rəşad")
    grandfather = Person.objects.get(given_name="Həsən")
    with pytest.raises(ValidationError):
        kinship_add(actor=system_actor(), from_person=grandson, to_person=grandfather, kind="parent_of")
    baby = person_add(actor=system_actor(), household=mammadov_family, given_name="Aysel", household_role="grandchild")
    kinship_add(actor=system_actor(), from_person=grandson, to_person=baby, kind="parent_of")
    _root, heir_generations = descendant_tree(grandfather, user=None)
    assert [[p.given_name for p in generation] for generation in heir_generations] == [["Əli"]]
