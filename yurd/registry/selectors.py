"""Reads of the registry, shared by pages, exports and the API: one definition of what a
user may see (role permission + scope) and of the filters lists offer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from yurd.accounts.models import User
from yurd.accounts.scopes import scope_q
from yurd.places.models import Place
from yurd.registry import heirs
from yurd.registry.models import Consent, HeirLine, Household, HouseholdRole, Kinship, KinshipKind, Person

HOUSEHOLD_SCOPE = {"origin": "origin_place", "residence": "current_place"}
PERSON_SCOPE = {"origin": "household__origin_place", "residence": "household__current_place"}
ROLE_ORDER = [
    HouseholdRole.PARENT,
    HouseholdRole.HEAD,
    HouseholdRole.SPOUSE,
    HouseholdRole.SIBLING,
    HouseholdRole.CHILD,
    HouseholdRole.GRANDCHILD,
    HouseholdRole.OTHER,
]


def _require(user: User | None, permission: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied


@dataclass(frozen=True)
class RegistryFilters:
    origin_place: int | None = None
    wave: int | None = None
    current_district: int | None = None
    deceased: bool | None = None
    consent: bool | None = None


def _active_consent() -> Exists:
    return Exists(Consent.objects.filter(person=OuterRef("pk"), withdrawn_on__isnull=True))


def _place_prefix_q(lookup: str, place_id: int) -> Q:
    """The place and everything within it, as a list of ids: the gazetteer is small, and an
    IN on the indexed foreign key is far cheaper on large registries than a join with LIKE.
    """
    place = Place.objects.filter(pk=place_id).only("path").first()
    if place is None:
        return Q(pk__in=[])
    within = list(Place.objects.filter(path__startswith=place.path).values_list("pk", flat=True))
    return Q(**{f"{lookup}_id__in": within})


def household_queryset(*, user: User | None) -> QuerySet[Household]:
    _require(user, "registry.view_household")
    return Household.objects.filter(scope_q(user, **HOUSEHOLD_SCOPE))


def person_queryset(*, user: User | None) -> QuerySet[Person]:
    _require(user, "registry.view_person")
    return Person.objects.filter(scope_q(user, **PERSON_SCOPE))


def household_list(*, user: User | None, filters: RegistryFilters | None = None) -> QuerySet[Household]:
    filters = filters or RegistryFilters()
    queryset = household_queryset(user=user).select_related("origin_place", "current_place", "wave")
    if filters.origin_place:
        queryset = queryset.filter(_place_prefix_q("origin_place", filters.origin_place))
    if filters.wave:
        queryset = queryset.filter(wave_id=filters.wave)
    if filters.current_district:
        queryset = queryset.filter(_place_prefix_q("current_place", filters.current_district))
    if filters.deceased is not None:
        queryset = queryset.filter(
            Exists(Person.objects.filter(household=OuterRef("pk"), is_deceased=filters.deceased))
        )
    if filters.consent is not None:
        with_consent = Exists(Consent.objects.filter(person__household=OuterRef("pk"), withdrawn_on__isnull=True))
        queryset = queryset.filter(with_consent if filters.consent else ~with_consent)
    return queryset.order_by("code")


def person_list(*, user: User | None, filters: RegistryFilters | None = None) -> QuerySet[Person]:
    filters = filters or RegistryFilters()
    queryset = person_queryset(user=user).select_related("household", "household__origin_place", "household__wave")
    if filters.origin_place:
        queryset = queryset.filter(_place_prefix_q("household__origin_place", filters.origin_place))
    if filters.wave:
        queryset = queryset.filter(household__wave_id=filters.wave)
    if filters.current_district:
        queryset = queryset.filter(_place_prefix_q("household__current_place", filters.current_district))
    if filters.deceased is not None:
        queryset = queryset.filter(is_deceased=filters.deceased)
    if filters.consent is not None:
        queryset = queryset.filter(_active_consent() if filters.consent else ~_active_consent())
    return queryset.order_by("surname", "given_name", "code")


def get_household_for_user(*, user: User | None, code: str) -> Household:
    """The household, or 404 when it does not exist or lies outside the user's scope."""
    try:
        return (
            household_queryset(user=user)
            .select_related("origin_place", "current_place", "destination_place", "wave")
            .get(code=code)
        )
    except Household.DoesNotExist:
        raise Http404 from None


def get_person_for_user(*, user: User | None, code: str) -> Person:
    try:
        return (
            person_queryset(user=user)
            .select_related(
                "household", "household__origin_place", "household__current_place", "household__wave", "birth_place"
            )
            .get(code=code)
        )
    except Person.DoesNotExist:
        raise Http404 from None


@dataclass
class TreeItem:
    person: Person
    spouses: list[Person]
    children: list[TreeItem]


def _to_items(nodes: list[heirs.TreeNode], people: dict[int, Person]) -> list[TreeItem]:
    return [
        TreeItem(
            person=people[node.person_id],
            spouses=[people[spouse] for spouse in node.spouses],
            children=_to_items(node.children, people),
        )
        for node in nodes
    ]


def household_members(household: Household) -> list[Person]:
    """Members with `has_consent` and their heir line (if any) in the same query."""
    members = list(
        Person.objects.filter(household=household)
        .select_related("heir_line")
        .annotate(has_consent=_active_consent())
        .order_by("birth_date", "code")
    )
    rank: dict[str, int] = {str(role): index for index, role in enumerate(ROLE_ORDER)}
    return sorted(members, key=lambda person: rank.get(person.household_role, len(rank)))


def household_tree(members: list[Person]) -> list[TreeItem]:
    """The household's family tree: one query for the kinship among its members."""
    people = {person.pk: person for person in members}
    edges = list(
        Kinship.objects.filter(from_person__in=people.keys(), to_person__in=people.keys()).values_list(
            "from_person", "to_person", "kind"
        )
    )
    forest = heirs.family_forest(
        people.keys(),
        [(left, right) for left, right, kind in edges if kind == KinshipKind.PARENT_OF],
        [(left, right) for left, right, kind in edges if kind == KinshipKind.SPOUSE_OF],
    )
    return _to_items(forest, people)


def descendant_tree(person: Person, *, max_generations: int = 6) -> tuple[TreeItem, list[list[Person]]]:
    """A person's descendants as a tree, and their heirs by representation per generation.

    Walks down one generation per query, across households (children often founded
    their own household after displacement).
    """
    children: dict[int, list[int]] = {}
    frontier = [person.pk]
    for _generation in range(max_generations):
        edges = list(
            Kinship.objects.filter(kind=KinshipKind.PARENT_OF, from_person__in=frontier).values_list(
                "from_person", "to_person"
            )
        )
        if not edges:
            break
        for parent, child in edges:
            children.setdefault(parent, []).append(child)
        frontier = [child for _parent, child in edges]
    ids = {person.pk} | {child for kids in children.values() for child in kids}
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids).select_related("household")}
    people[person.pk] = person

    def build(person_id: int, seen: frozenset[int]) -> TreeItem:
        kids = [kid for kid in children.get(person_id, []) if kid not in seen and kid in people]
        return TreeItem(
            person=people[person_id],
            spouses=[],
            children=[build(kid, seen | {kid}) for kid in kids],
        )

    deceased = {pk for pk, p in people.items() if p.is_deceased}
    heir_generations = heirs.heirs_by_representation(person.pk, children, deceased)
    return build(person.pk, frozenset({person.pk})), [
        [people[pk] for pk in generation] for generation in heir_generations
    ]


def heir_lines_for(members: list[Person]) -> dict[int, HeirLine]:
    return {line.ancestor_id: line for line in HeirLine.objects.filter(ancestor__in=members)}


def record_history(instance: Any, *, limit: int = 200) -> list[Any]:
    """The simple-history records of one record, newest first, with who and why."""
    return list(instance.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
