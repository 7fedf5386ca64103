"""Reads of the registry, shared by pages, exports and the API: one definition of what a
user may see (role permission + scope) and of the filters lists offer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    Field,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext as _

from yurd.accounts.models import User
from yurd.accounts.scopes import scope_q
from yurd.core.permissions import require
from yurd.places.models import Place, PlaceKind
from yurd.registry import heirs
from yurd.registry.models import (
    Consent,
    ContactDetails,
    HeirLine,
    Household,
    HouseholdRole,
    IdentityDocument,
    Kinship,
    KinshipKind,
    Person,
    PersonName,
    PopulationEstimate,
    PopulationFigure,
    Wave,
)

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


@dataclass(frozen=True)
class RegistryFilters:
    origin_place: int | None = None
    wave: int | None = None
    current_district: int | None = None
    deceased: bool | None = None
    consent: bool | None = None


def _active_consent() -> Exists:
    return Exists(Consent.objects.filter(person=OuterRef("pk"), withdrawn_on__isnull=True))


@dataclass(frozen=True)
class FilterChoices:
    """What a list's filter selects offer, read in one query: settlements and districts
    (by name, with their paths) and waves (by year).
    """

    settlements: list[tuple[int, str]]
    districts: list[tuple[int, str]]
    waves: list[tuple[int, str]]
    paths: dict[int, str]

    def within(self, place_id: int) -> list[int] | None:
        """The place and the settlements and districts within it; None for a place not listed.

        Settlements and districts are all a settlement or district can contain (a place's
        parent is of a smaller rank), so this is the whole subtree.
        """
        path = self.paths.get(place_id)
        if path is None:
            return None
        return [pk for pk, other in self.paths.items() if other.startswith(path)]


def list_filter_choices() -> FilterChoices:
    """The filter choices of the registry lists, in one query (list pages have a query budget)."""
    kinds = [PlaceKind.SETTLEMENT, PlaceKind.DISTRICT]
    places = (
        Place.objects.filter(kind__in=kinds)
        .order_by()
        .annotate(year=Value(None, output_field=IntegerField()))
        .values_list("pk", "name", "kind", "path", "year")
    )
    waves = (
        Wave.objects.order_by()
        .annotate(kind=Value("wave", output_field=CharField()), path=Value("", output_field=CharField()))
        .values_list("pk", "name", "kind", "path", "year_from")
    )
    settlements: list[tuple[int, str]] = []
    districts: list[tuple[int, str]] = []
    wave_rows: list[tuple[int, str]] = []
    paths: dict[int, str] = {}
    # Places by name (in the database's collation, as before), waves by year.
    for pk, name, kind, path, _year in places.union(waves, all=True).order_by("year", "name"):
        if kind == "wave":
            wave_rows.append((pk, name))
            continue
        (settlements if kind == PlaceKind.SETTLEMENT else districts).append((pk, name))
        paths[pk] = path
    return FilterChoices(settlements=settlements, districts=districts, waves=wave_rows, paths=paths)


def _place_prefix_q(lookup: str, place_id: int, choices: FilterChoices | None) -> Q:
    """The place and everything within it, as a list of ids: the gazetteer is small, and an
    IN on the indexed foreign key is far cheaper on large registries than a join with LIKE.
    The list comes from the filter choices the page has already read, or from one query.
    """
    within = choices.within(place_id) if choices is not None else None
    if within is None:
        path = Place.objects.filter(pk=place_id).values("path")[:1]
        within = list(Place.objects.filter(path__startswith=Subquery(path)).values_list("pk", flat=True))
    return Q(**{f"{lookup}_id__in": within})


def household_queryset(*, user: User | None) -> QuerySet[Household]:
    require(user, "registry.view_household")
    return Household.objects.visible_to(user)


def person_queryset(*, user: User | None) -> QuerySet[Person]:
    require(user, "registry.view_person")
    return Person.objects.visible_to(user)


def _member_of(field: str, households: QuerySet[Household]) -> Exists:
    """`field` IN (the households' ids), written so that no index on `field` can drive the query.

    A list is read in its display order, page by page: the database should walk the index
    of that order and keep the rows whose household qualifies (the set is computed once,
    from the place and wave indexes). Left to itself, SQLite (which keeps no statistics
    unless ANALYZE has run) fetches every qualifying row through the household index
    first and sorts them all for each page, tens of thousands of rows for a district.
    """
    # A correlated EXISTS probing the household's primary key: PostgreSQL turns a plain
    # IN into a semi join whose selectivity it guesses at one half, then scans the
    # materialised id list for every row; "+ 0" keeps SQLite from rewriting the EXISTS
    # into an IN driven by the household index.
    return Exists(households.order_by().filter(pk=OuterRef(field) + 0))


def _household_conditions(
    user: User | None, filters: RegistryFilters, choices: FilterChoices | None = None
) -> Q | None:
    """The scope and household filters as a condition on Household, or None if there is none."""
    condition = scope_q(user, **HOUSEHOLD_SCOPE)
    if filters.origin_place:
        condition &= _place_prefix_q("origin_place", filters.origin_place, choices)
    if filters.wave:
        condition &= Q(wave_id=filters.wave)
    if filters.current_district:
        condition &= _place_prefix_q("current_place", filters.current_district, choices)
    return condition if condition else None


# Up to this many qualifying households (or listed rows), a list fetches its rows through
# the place and wave indexes and sorts them; beyond it, it walks its display order and
# keeps the rows of qualifying households, which finds a page after a few hundred rows
# when they are dense. Names cluster by origin, so a few thousand people of one scope and
# district can lie far apart in name order: 3,441 of them took 148 ms to walk on
# PostgreSQL and 34 ms on SQLite, against 28 and 13 ms fetched and sorted (250,000
# people, docs/benchmarks.md). A living/deceased filter walks its own, smaller index, so
# the same count is denser there (3,534 deceased in a scope: 7 ms walked, 22 ms sorted):
# its threshold is half.
FEW_HOUSEHOLDS = 500
FEW_ROWS = 5_000


def _few_rows(filters: RegistryFilters) -> int:
    return FEW_ROWS // 2 if filters.deceased is not None else FEW_ROWS


def _walk_in_order(condition: Q | None) -> bool:
    if condition is None:
        return False
    # `condition` carries the reader's scope (_household_conditions).
    qualifying = Household.objects.unscoped().filter(condition).order_by().values("pk")[: FEW_HOUSEHOLDS + 1].count()
    return qualifying > FEW_HOUSEHOLDS


def _display_order(order: tuple[str, ...], *, fetch: bool) -> list[Any]:
    """The list's order; with `fetch` on PostgreSQL, as expressions no index can deliver
    (`name || ''`, the same order), so that it fetches the few rows through the filter
    indexes and sorts them. Left to itself it walks the name index whenever it expects a
    page to fill early, which names clustered by origin defeat: a scoped list filtered by
    district read 45,000 people for 51 (148 ms, 28 ms fetched and sorted). SQLite already
    fetches and sorts there, slightly faster by the plain columns.
    """
    if not fetch or connection.vendor != "postgresql":
        return list(order)
    return [Func(F(name), Value(""), function="", arg_joiner=" || ", output_field=CharField()) for name in order]


def _households(condition: Q | None, filters: RegistryFilters, *, walk: bool) -> QuerySet[Household]:
    # `condition` carries the reader's scope (_household_conditions); it is applied here in the
    # form the planner reads fastest, which visible_to would not give.
    queryset = Household.objects.unscoped()
    if condition is not None:
        within = Household.objects.unscoped().filter(condition)
        queryset = queryset.filter(_member_of("id", within) if walk else condition)
    if filters.deceased is not None:
        queryset = queryset.filter(
            # members of the households already filtered
            Exists(Person.objects.unscoped().filter(household=OuterRef("pk"), is_deceased=filters.deceased))
        )
    if filters.consent is not None:
        with_consent = Exists(Consent.objects.filter(person__household=OuterRef("pk"), withdrawn_on__isnull=True))
        queryset = queryset.filter(with_consent if filters.consent else ~with_consent)
    return queryset.select_related("origin_place", "current_place", "wave").order_by(
        *_display_order(HOUSEHOLD_ORDER, fetch=condition is not None and not walk)
    )


def _people(condition: Q | None, filters: RegistryFilters, *, walk: bool) -> QuerySet[Person]:
    # `condition` carries the reader's scope (_household_conditions), as in _households.
    queryset = Person.objects.unscoped()
    if condition is not None:
        households = Household.objects.unscoped().filter(condition)
        if walk:
            queryset = queryset.filter(_member_of("household_id", households))
        else:
            queryset = queryset.filter(household__in=households.values("pk"))
    if filters.deceased is not None:
        queryset = queryset.filter(is_deceased=filters.deceased)
    if filters.consent is not None:
        queryset = queryset.filter(_active_consent() if filters.consent else ~_active_consent())
    return queryset.select_related("household", "household__origin_place", "household__wave").order_by(
        *_display_order(PERSON_ORDER, fetch=condition is not None and not walk)
    )


def household_list(*, user: User | None, filters: RegistryFilters | None = None) -> QuerySet[Household]:
    """Households visible to the user, filtered, in code order."""
    require(user, "registry.view_household")
    filters = filters or RegistryFilters()
    condition = _household_conditions(user, filters)
    return _households(condition, filters, walk=_walk_in_order(condition))


def person_list(*, user: User | None, filters: RegistryFilters | None = None) -> QuerySet[Person]:
    """People visible to the user, filtered, in name order."""
    require(user, "registry.view_person")
    filters = filters or RegistryFilters()
    condition = _household_conditions(user, filters)
    return _people(condition, filters, walk=_walk_in_order(condition))


# The columns a list page shows: whole place rows (coordinates, sources) cost more to
# build than the page's queries take.
HOUSEHOLD_PAGE_FIELDS = (
    "code",
    "displacement_date",
    "origin_place__name",
    "current_place__name",
    "wave__name",
)
PERSON_PAGE_FIELDS = (
    "code",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "is_deceased",
    "death_date",
    "household__code",
    "household__origin_place__name",
    "household__wave__name",
)


def _list_page(
    select: Any,
    order: tuple[str, ...],
    fields: tuple[str, ...],
    user: User | None,
    filters: RegistryFilters,
    *,
    after: str,
    before: str,
    choices: FilterChoices | None,
) -> KeysetPage:
    condition = _household_conditions(user, filters, choices)
    if filters.consent is None:
        # The total (capped), counted through the place and wave indexes, also tells how
        # selective the filters are, and so which way to read the page.
        counted: int | None = select(condition, filters, walk=False).order_by().values("pk")[: COUNT_CAP + 1].count()
        walk = condition is not None and (counted or 0) > _few_rows(filters)
    else:
        # A consent filter is answered row by row (every member's consents), so counting
        # it would read the whole registry: such a list shows its pages without a total.
        counted = None
        walk = _walk_in_order(condition)
    rows = select(condition, filters, walk=walk).only(*fields)
    return keyset_page(rows, counted=counted, order=order, after=after, before=before)


def household_page(
    *,
    user: User | None,
    filters: RegistryFilters | None = None,
    after: str = "",
    before: str = "",
    choices: FilterChoices | None = None,
) -> KeysetPage:
    """One page of the household list, with the total (see keyset_page). `choices`: the
    filter choices the page has read, which resolve a place filter without a query.
    """
    require(user, "registry.view_household")
    return _list_page(
        _households,
        HOUSEHOLD_ORDER,
        HOUSEHOLD_PAGE_FIELDS,
        user,
        filters or RegistryFilters(),
        after=after,
        before=before,
        choices=choices,
    )


def person_page(
    *,
    user: User | None,
    filters: RegistryFilters | None = None,
    after: str = "",
    before: str = "",
    choices: FilterChoices | None = None,
) -> KeysetPage:
    """One page of the people list, with the total (see keyset_page and household_page)."""
    require(user, "registry.view_person")
    return _list_page(
        _people,
        PERSON_ORDER,
        PERSON_PAGE_FIELDS,
        user,
        filters or RegistryFilters(),
        after=after,
        before=before,
        choices=choices,
    )


HOUSEHOLD_ORDER = ("code",)
PERSON_ORDER = ("name_sort", "code")
PAGE_SIZE = 50
COUNT_CAP = 10_000


@dataclass
class KeysetPage:
    """One page of a list read by position ("after this record"), not by offset.

    A deep page costs what the first does: the database seeks the position in the index
    the list is ordered by, instead of stepping over every earlier row. The total is
    counted up to COUNT_CAP and reported as "more than" beyond it.
    """

    rows: list[Any]
    has_next: bool
    has_previous: bool
    count: int | None  # None: not counted
    count_capped: bool

    @property
    def next_after(self) -> str:
        return self.rows[-1].code if self.rows else ""

    @property
    def previous_before(self) -> str:
        return self.rows[0].code if self.rows else ""

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _position_q(rows: QuerySet[Any], order: tuple[str, ...], cursor: str, *, after: bool) -> Q:
    """Rows after (before) the record with code `cursor` in `order`, the record's key read
    by a subquery in the same statement (no query of its own).

    The cursor is looked up among `rows`, the list as the reader may see it, never in the
    whole table: the neighbours of a record outside the reader's scope would otherwise
    name it (issue 15), and a code outside the list reads like one that does not exist.
    """
    operator = ">" if after else "<"
    # A row-value comparison, which SQLite (3.15+) and PostgreSQL both answer with one
    # range scan of the index on the same columns; the key is a one-row subquery on the
    # unique code, evaluated once; a code naming no row of the list gives NULL and so no rows.
    model = rows.model
    table = model._meta.db_table
    fields = [model._meta.get_field(name) for name in order]
    columns = [field.column for field in fields if isinstance(field, Field)]
    outer = ", ".join(f'"{table}"."{column}"' for column in columns)
    try:
        key_sql, key_params = rows.order_by().filter(code=cursor).values(*order).query.sql_with_params()
    except EmptyResultSet:  # the reader may see no row at all (a registrar without a scope)
        return Q(pk__in=[])
    # Table and column names come from model meta; the cursor and the scope are parameters.
    sql = f"({outer}) {operator} ({key_sql})"
    return Q(RawSQL(sql, key_params, output_field=BooleanField()))  # noqa: S611


def keyset_page(
    queryset: QuerySet[Any],
    *,
    counted: int | None = None,
    order: tuple[str, ...],
    after: str = "",
    before: str = "",
    size: int | None = None,
    count_cap: int | None = None,
) -> KeysetPage:
    """The page after (or before) the record with code `after` (`before`), in `order`.

    `queryset` is the whole list as the reader may see it (scope and filters applied);
    `order` must end with a unique column (the code). A cursor naming no row of the list
    (unknown, outside the reader's scope, or filtered out) gives the first page, the same
    page whichever it is. `counted` is the size of the whole list as counted by the caller
    up to `count_cap` + 1 (None: not counted).
    """
    size = PAGE_SIZE if size is None else size
    count_cap = COUNT_CAP if count_cap is None else count_cap
    cursor = after or before
    forward = not (before and not after)
    page_queryset = queryset
    if cursor:
        page_queryset = page_queryset.filter(_position_q(queryset, order, cursor, after=forward))
    if not forward:
        page_queryset = page_queryset.reverse()
    rows = list(page_queryset[: size + 1])
    if cursor and not rows and not queryset.order_by().filter(code=cursor).exists():
        # Only an empty page asks whether the cursor names a row of the list at all.
        return keyset_page(queryset, counted=counted, order=order, size=size, count_cap=count_cap)
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    return KeysetPage(
        rows=rows,
        has_next=more if forward else bool(cursor),
        has_previous=bool(cursor) if forward else more,
        count=None if counted is None else min(counted, count_cap),
        count_capped=counted is not None and counted > count_cap,
    )


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
        # Members of a household the caller resolved for the reader (visibility is per household).
        Person.objects.unscoped()
        .filter(household=household)
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


def _visible_ids(user: User | None, ids: set[int]) -> set[int]:
    """Which of these people the reader may see (all of them for the system and full scope)."""
    if user is None or user.full_scope or not ids:
        return set(ids)
    return set(Person.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def descendant_tree(
    person: Person, *, user: User | None, max_generations: int = 6
) -> tuple[TreeItem, list[list[Person]]]:
    """A person's descendants as a tree, and their heirs by representation per generation,
    as `user` may see them (None: the system, which sees all).

    Walks down one generation per query, across households (children often founded
    their own household after displacement). The shares are worked out on the whole
    family (a deceased child outside the scope is still represented by its children),
    but a descendant outside the reader's scope is left out of the tree, with everyone
    below them, and out of the heirs: a registrar never learns through this person of
    anyone in another district.
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
    ids = {child for kids in children.values() for child in kids} - {person.pk}
    # Whether each descendant is deceased decides who represents them, so it is read for
    # all of them; names and dates only for those the reader may see.
    deceased = set(Person.objects.unscoped().filter(pk__in=ids, is_deceased=True).values_list("pk", flat=True)) | (
        {person.pk} if person.is_deceased else set()
    )
    visible = _visible_ids(user, ids)
    people = {p.pk: p for p in Person.objects.visible_to(user).filter(pk__in=visible).select_related("household")}
    people[person.pk] = person

    def build(person_id: int, seen: frozenset[int]) -> TreeItem:
        kids = [kid for kid in children.get(person_id, []) if kid not in seen and kid in people]
        return TreeItem(
            person=people[person_id],
            spouses=[],
            children=[build(kid, seen | {kid}) for kid in kids],
        )

    heir_generations = heirs.heirs_by_representation(person.pk, children, deceased)
    shown = [[people[pk] for pk in generation if pk in people] for generation in heir_generations]
    return build(person.pk, frozenset({person.pk})), [generation for generation in shown if generation]


def tree_people(item: TreeItem) -> list[Person]:
    """Everyone a tree shows below its root."""
    found: list[Person] = []
    for child in item.children:
        found.append(child.person)
        found.extend(child.spouses)
        found.extend(tree_people(child))
    return found


@dataclass
class Relative:
    """One kinship edge seen from a person: how the other person is related to them.

    `person` is None when the relative lies outside the reader's scope: the page then says
    only that a relative is recorded there, with nothing that identifies them.
    """

    edge: Kinship
    relation: str  # "parent", "child", "spouse"
    person: Person | None


def person_relatives(person: Person, *, user: User | None) -> list[Relative]:
    """A person's recorded parents, children and spouses, with source and certainty (one
    query, and one more for a scoped reader to learn which relatives they may see)."""
    edges = list(
        Kinship.objects.filter(Q(from_person=person) | Q(to_person=person))
        .select_related("from_person", "to_person")
        .order_by("kind", "pk")
    )
    others = {edge.to_person_id if edge.from_person_id == person.pk else edge.from_person_id for edge in edges}
    visible = _visible_ids(user, others)
    relatives = []
    for edge in edges:
        outgoing = edge.from_person_id == person.pk
        other = edge.to_person if outgoing else edge.from_person
        relation = "spouse" if edge.kind == KinshipKind.SPOUSE_OF else "child" if outgoing else "parent"
        relatives.append(Relative(edge=edge, relation=relation, person=other if other.pk in visible else None))
    order = {"parent": 0, "spouse": 1, "child": 2}
    return sorted(
        relatives,
        key=lambda relative: (order[relative.relation], relative.person is None, getattr(relative.person, "code", "")),
    )


def person_kinship_edge(person: Person, pk: int, *, user: User | None) -> Kinship:
    """One edge touching the person whose other end the reader may see, or 404."""
    edge = Kinship.objects.filter(Q(from_person=person) | Q(to_person=person), pk=pk).first()
    if edge is None:
        raise Http404
    other = edge.to_person_id if edge.from_person_id == person.pk else edge.from_person_id
    if other not in _visible_ids(user, {other}):
        raise Http404
    return edge


def heir_lines_for(members: list[Person]) -> dict[int, HeirLine]:
    return {line.ancestor_id: line for line in HeirLine.objects.filter(ancestor__in=members)}


def person_related_history(person: Person, *, sensitive: bool, limit: int = 200) -> dict[str, list[Any]]:
    """History records of the person's name forms and kinship edges, and with `sensitive`
    of their contact details and identity documents (including removed ones).
    """

    def newest(queryset: Any) -> list[Any]:
        return list(queryset.select_related("history_user").order_by("-history_date", "-history_id")[:limit])

    groups = {
        "names": newest(PersonName.history.filter(person_id=person.pk)),
        "kinship": newest(Kinship.history.filter(Q(from_person_id=person.pk) | Q(to_person_id=person.pk))),
    }
    if sensitive:
        groups["contact"] = newest(ContactDetails.history.filter(person_id=person.pk))
        groups["documents"] = newest(IdentityDocument.history.filter(person_id=person.pk))
    return groups


def record_history(instance: Any, *, limit: int = 200) -> list[Any]:
    """The simple-history records of one record, newest first, with who and why."""
    return list(instance.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])


@dataclass
class PersonHeirs:
    """A person's own heir line (deceased ancestors only) and the heirs by representation
    who lie within the reader's scope, generation by generation."""

    person: Person
    heir_line: HeirLine | None
    generations: list[list[Person]]


def person_heirs(*, user: User | None, person: Person) -> PersonHeirs:
    """The heirs of the person page (descendant_tree), keeping only heirs the user may see, so
    a descendant registered in another district is not revealed through this person."""
    _tree, generations = descendant_tree(person, user=user)
    heir_line = HeirLine.objects.filter(ancestor=person).first() if person.is_deceased else None
    return PersonHeirs(person=person, heir_line=heir_line, generations=generations)


def person_consents(person: Person) -> QuerySet[Consent]:
    """The person's consents, newest first (the person page's order)."""
    return person.consents.order_by("-given_on", "-pk")


@dataclass
class PlaceHouseholds:
    total: int
    by_wave: list[dict[str, Any]]
    households: list[Any] | None  # None when the user may see counts only


def place_households(*, place: Place, user: User, limit: int = 50) -> PlaceHouseholds:
    """Households originating in a place (or anywhere inside it), as far as the user's scope reaches.

    Counts and the list are taken over the same scope-limited set, so a registrar scoped to
    another district sees nothing of this place's households: not even how many there are.
    Users who may not view households (analysts) get the counts only.
    """
    visible = Household.objects.visible_to(user).filter(origin_place__path__startswith=place.path)
    by_wave: list[dict[str, Any]] = [
        dict(row)
        for row in visible.values("wave__code", "wave__name").annotate(count=Count("pk")).order_by("wave__year_from")
    ]
    total = sum(row["count"] for row in by_wave)
    households = None
    if user.has_perm("registry.view_household"):
        households = list(visible.select_related("wave", "origin_place").order_by("code")[:limit])
    return PlaceHouseholds(total=total, by_wave=by_wave, households=households)


def population_figure() -> PopulationFigure | None:
    """The number of displaced families progress is measured against, if one was set.

    A figure about everyone, not about records: every reader of a progress page sees it."""
    return PopulationFigure.objects.select_related("estimate").order_by("pk").first()


def population_estimates(limit: int = 20) -> list[PopulationEstimate]:
    """The latest stored estimates of how many families exist, newest first."""
    return list(PopulationEstimate.objects.select_related("computed_by").order_by("-computed_at", "-pk")[:limit])


def population_estimate(pk: str) -> PopulationEstimate | None:
    """A stored estimate by its number (the `?cite=` of the population page), or None."""
    return PopulationEstimate.objects.filter(pk=int(pk)).first() if pk.isdigit() else None


def estimate_citation(estimate: PopulationEstimate) -> str:
    """The source line a figure citing this estimate starts from, in the reader's language."""
    interval = ""
    if estimate.interval_low is not None and estimate.interval_high is not None:
        interval = _(", %(level)s %% interval %(low)s to %(high)s (%(method)s, %(samples)s bootstrap samples)") % {
            "level": round(estimate.level * 100),
            "low": f"{estimate.interval_low:,.0f}",
            "high": f"{estimate.interval_high:,.0f}",
            "method": estimate.interval_method,
            "samples": estimate.bootstrap_samples,
        }
    return _(
        "Multiple systems estimate %(code)s from %(count)s registration lists (%(lists)s), model chosen by "
        "%(method)s%(interval)s, computed by %(user)s on %(date)s"
    ) % {
        "code": estimate.public_code,
        "count": len(estimate.lists),
        "lists": "; ".join(estimate.lists),
        "method": estimate.method,
        "interval": interval,
        "user": estimate.computed_by.username if estimate.computed_by else _("the system"),
        "date": estimate.computed_at.date().isoformat(),
    }
