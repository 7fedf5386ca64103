"""Heirs and family trees derived from kinship edges. Pure Python: no Django here.

Kinship holds only "parent of" and "spouse of" edges; everything else (descendants by
generation, the living heirs of a deceased person, a tree to draw) is computed here
from those edges, so heirs are never typed in twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Relative:
    person_id: int
    is_deceased: bool


def children_map(parent_edges: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """{parent: [children]} from (parent, child) pairs, children in first-seen order."""
    children: dict[int, list[int]] = defaultdict(list)
    for parent, child in parent_edges:
        if child not in children[parent]:
            children[parent].append(child)
    return dict(children)


def descendant_generations(ancestor: int, children: Mapping[int, Iterable[int]]) -> list[list[int]]:
    """Descendants of `ancestor`, generation by generation (children, grandchildren, ...).

    A person reachable by two paths (cousins who married) appears once, in the nearest
    generation; cycles in bad data cannot loop forever.
    """
    seen = {ancestor}
    generations: list[list[int]] = []
    current = [ancestor]
    while current:
        following: list[int] = []
        for person in current:
            for child in children.get(person, ()):
                if child not in seen:
                    seen.add(child)
                    following.append(child)
        if following:
            generations.append(following)
        current = following
    return generations


def heirs_by_representation(
    ancestor: int, children: Mapping[int, Iterable[int]], deceased: Mapping[int, bool] | set[int]
) -> list[list[int]]:
    """The living descendants who inherit, generation by generation.

    A living child inherits; a deceased child is represented by their own descendants,
    and so on down. Returns the heirs grouped by the generation they belong to.
    """
    is_deceased = (lambda person: person in deceased) if isinstance(deceased, set) else deceased.get
    by_generation: dict[int, list[int]] = defaultdict(list)
    seen = {ancestor}

    def visit(person: int, depth: int) -> None:
        for child in children.get(person, ()):
            if child in seen:
                continue
            seen.add(child)
            if is_deceased(child):
                visit(child, depth + 1)
            else:
                by_generation[depth].append(child)

    visit(ancestor, 0)
    return [by_generation[depth] for depth in sorted(by_generation)]


@dataclass
class TreeNode:
    person_id: int
    spouses: list[int] = field(default_factory=list)
    children: list[TreeNode] = field(default_factory=list)


def family_forest(
    people: Iterable[int], parent_edges: Iterable[tuple[int, int]], spouse_edges: Iterable[tuple[int, int]]
) -> list[TreeNode]:
    """Nested trees of the given people: roots are those without a parent among them.

    A spouse without parents in the set is drawn beside their partner instead of as a
    separate root; a child of two parents in the set is drawn once, under the first.
    """
    members = list(dict.fromkeys(people))
    member_set = set(members)
    children = children_map((p, c) for p, c in parent_edges if p in member_set and c in member_set)
    has_parent = {child for kids in children.values() for child in kids}
    spouses: dict[int, list[int]] = defaultdict(list)
    for left, right in spouse_edges:
        if left in member_set and right in member_set:
            spouses[left].append(right)
            spouses[right].append(left)
    placed: set[int] = set()

    def build(person: int) -> TreeNode:
        placed.add(person)
        node = TreeNode(person)
        for spouse in spouses.get(person, []):
            if spouse not in placed and spouse not in has_parent:
                placed.add(spouse)
                node.spouses.append(spouse)
        kids = list(children.get(person, []))
        for spouse in node.spouses:
            kids.extend(kid for kid in children.get(spouse, []) if kid not in kids)
        for kid in kids:
            if kid not in placed:
                node.children.append(build(kid))
        return node

    # Roots first: people with no parent in the set (`placed` grows as trees are built).
    # A parentless spouse of someone with parents here is drawn beside that partner.
    married_in = {person for person in members if any(spouse in has_parent for spouse in spouses.get(person, []))}
    roots = [
        build(person)
        for person in members
        if person not in has_parent and person not in married_in and person not in placed
    ]
    # Then whatever a cycle in bad data left unplaced.
    roots.extend(build(person) for person in members if person not in placed)
    return roots
