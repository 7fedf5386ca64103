"""Reads of the gazetteer: search by any name in any script, free-text resolution, place pages.

`place_search` and `place_resolve` compare folded search keys (yurd.names), so
"Гарабулаг", "Qarabulaq" and "Garabulag" are the same text to them. Both run the same
indexed queries on SQLite and PostgreSQL: equality and prefix (`LIKE 'key%'`) on
`search_key`, a word-prefix `LIKE '% key%'` over the names table, and rapidfuzz ranking
of a small candidate set for typos.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from rapidfuzz import fuzz, process

from yurd.places.models import Place, PlaceKind, PlaceName
from yurd.places.models import folded_search_key as search_key

if TYPE_CHECKING:
    from yurd.accounts.models import User

# How many name rows a search reads before ranking; keeps the cost flat on large gazetteers.
_CANDIDATES = 400
_FUZZY = 3000
_FUZZY_MIN_SCORE = 75.0


@dataclass
class PlaceMatch:
    place: Place
    matched: str  # the name (in its own script) that matched the query
    score: float
    names: list[PlaceName] = field(default_factory=list)


def _rank(key: str, candidate: str) -> float:
    if candidate == key:
        return 300.0
    if candidate.startswith(key):
        return 200.0 + fuzz.ratio(key, candidate) / 10
    if f" {key}" in f" {candidate}":
        return 150.0 + fuzz.ratio(key, candidate) / 10
    return fuzz.ratio(key, candidate)


def _prefix_q(key: str) -> Q:
    """`search_key` starts with `key`, written so that the index is used.

    SQLite's LIKE is case-insensitive and so skips a plain index; keys are lower-case
    ASCII, so a binary range is the same set. PostgreSQL indexes LIKE 'key%' directly
    (Django adds a pattern-ops index), while its range comparisons follow the locale.
    """
    if connection.vendor == "sqlite":
        return Q(search_key__gte=key, search_key__lt=key + "\U0010ffff")
    return Q(search_key__startswith=key)


def place_search(query: str, *, kind: str | None = None, limit: int = 20) -> list[PlaceMatch]:
    """Places whose name, in any script or period, matches `query`, best first.

    Three tiers, each only when the ones before found nothing: names starting with the
    query (indexed), names with a word starting with it ("Məzrə" → "Böyük Məzrə"), and
    names within a small edit distance among those sharing its first two letters.
    """
    key = search_key(query)
    if not key:
        return []
    name_kind = Q(place__kind=kind) if kind else Q()
    place_kind = Q(kind=kind) if kind else Q()
    candidates: list[tuple[str, str, int]] = []  # (folded key, text, place id)

    def gather(condition: Q) -> None:
        names = PlaceName.objects.filter(condition, name_kind).values_list("search_key", "text", "place_id")
        places = Place.objects.filter(condition, place_kind).values_list("search_key", "name", "pk")
        candidates.extend(names[:_CANDIDATES])
        candidates.extend(places[:_CANDIDATES])

    gather(_prefix_q(key))
    if not candidates:  # a word inside a longer name; scans the names, so only when needed
        gather(Q(search_key__contains=f" {key}"))
    best: dict[int, tuple[float, str]] = {}
    typed = query.strip().casefold()

    def consider(rows: Iterable[tuple[str, str, int]], score_of: dict[str, float] | None = None) -> None:
        for candidate_key, text, place_id in rows:
            score = score_of[candidate_key] if score_of is not None else _rank(key, candidate_key)
            # The name spelt exactly as typed wins ties between scripts with the same key.
            score += 1.0 if text.casefold() == typed else 0.0
            if place_id not in best or score > best[place_id][0]:
                best[place_id] = (score, text)

    consider(candidates)
    if not best and len(key) >= 4:
        near = _prefix_q(key[:2])
        keys = set(PlaceName.objects.filter(near, name_kind).values_list("search_key", flat=True).distinct()[:_FUZZY])
        keys |= set(Place.objects.filter(near, place_kind).values_list("search_key", flat=True).distinct()[:_FUZZY])
        choices = sorted(keys)
        scored = {
            choice: float(score)
            for choice, score, _index in process.extract(
                key, choices, scorer=fuzz.ratio, score_cutoff=_FUZZY_MIN_SCORE, limit=limit
            )
        }
        if scored:
            wanted = Q(search_key__in=list(scored))
            consider(PlaceName.objects.filter(wanted, name_kind).values_list("search_key", "text", "place_id"), scored)
            consider(Place.objects.filter(wanted, place_kind).values_list("search_key", "name", "pk"), scored)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    # Timestamps are not shown in results; skipping them halves the cost of building rows.
    names = Prefetch("names", queryset=PlaceName.objects.defer("created_at", "updated_at", "search_key", "source"))
    places = (
        Place.objects.select_related("parent")
        .defer("created_at", "updated_at", "parent__created_at", "parent__updated_at")
        .prefetch_related(names)
        .in_bulk([pk for pk, _ in ranked])
    )
    return [
        PlaceMatch(place=places[pk], matched=text, score=score, names=list(places[pk].names.all()))
        for pk, (score, text) in ranked
        if pk in places
    ]


# --- Free-text resolution -------------------------------------------------------------

# Words that say what kind of place a part of the text names; matched on the raw text,
# before folding, because "с." and "s." fold to the same letter as a name would.
_DISTRICT_MARKERS = re.compile(
    r"(?<!\w)(r-nu|r-n|rayonu|rayonunun|rayon|р-н|р-на|р-не|район|района|районе|district|raion)(?!\w)\.?",
    re.IGNORECASE,
)
_SETTLEMENT_MARKERS = re.compile(
    r"(?<!\w)(k\.|kəndi|kənd|kend|kendi|с\.|село|селение|сел\.|village|vil\.|qəsəbə|пос\.|посёлок|поселок)(?!\w)",
    re.IGNORECASE,
)
# Country and republic qualifiers add nothing to finding a settlement.
_NOISE = re.compile(
    r"(?<!\w)(арм\.?\s*сср|армянская\s*сср|armenian\s*ssr|arm\.?\s*ssr|erm\.?\s*ssr|ermənistan\s*ssr|"
    r"ermənistan|армения|armenia|ссср|ussr|сср|ssr)(?!\w)\.?",
    re.IGNORECASE,
)
_PARENTHESES = re.compile(r"[(\[]([^)\]]*)[)\]]")
# Russian names districts by adjective ("Ведийский р-н", "Масисского района"): the stem is the name.
_RUSSIAN_ADJECTIVE = re.compile(r"(ский|ская|ское|ского|ском|скому)(?!\w)", re.IGNORECASE)


@dataclass
class _Part:
    alternatives: list[str]  # folded keys naming one place ("Qarabulaq (Yernjatap)" gives two)
    kind: str | None  # what the marker says this part is
    # Keys written in parentheses: another name of the place, or the district it lies in
    # ("Qarabulaq (Vedi)"), which tells apart villages of one name.
    inner: list[str] = field(default_factory=list)


def _marker_kind(text: str) -> str | None:
    if _DISTRICT_MARKERS.search(text):
        return PlaceKind.DISTRICT
    if _SETTLEMENT_MARKERS.search(text):
        return PlaceKind.SETTLEMENT
    return None


def _piece_keys(piece: str, kind: str | None) -> list[str]:
    cleaned = _SETTLEMENT_MARKERS.sub(" ", _DISTRICT_MARKERS.sub(" ", piece))
    pieces = [cleaned]
    if kind == PlaceKind.DISTRICT and _RUSSIAN_ADJECTIVE.search(cleaned):
        pieces.append(_RUSSIAN_ADJECTIVE.sub("", cleaned))
    return [key for key in (search_key(text) for text in pieces) if key]


def _parse_free_text(text: str) -> list[_Part]:
    parts = []
    for segment in re.split(r"[,;/]", _NOISE.sub(" ", text)):
        # A marker inside parentheses speaks of the parenthesised name alone:
        # in "Qarabulaq (Vedi r-nu)" the part is a village, in a district.
        outer = _PARENTHESES.sub(" ", segment)
        kind = _marker_kind(outer)
        inner_keys: list[str] = []
        for piece in _PARENTHESES.findall(segment):
            inner_kind = _marker_kind(piece)
            # "(Ведийский)" names a district without a marker.
            inner_keys += _piece_keys(piece, inner_kind or PlaceKind.DISTRICT)
        keys = list(dict.fromkeys([*_piece_keys(outer, kind), *inner_keys]))
        if keys:
            parts.append(_Part(alternatives=keys, kind=kind, inner=inner_keys))
    return parts


def _places_named(keys: Iterable[str]) -> dict[str, set[int]]:
    """Place ids by folded key, for names equal to any of the keys (two indexed queries)."""
    wanted = list(set(keys))
    found: dict[str, set[int]] = defaultdict(set)
    for key, place_id in PlaceName.objects.filter(search_key__in=wanted).values_list("search_key", "place_id"):
        found[key].add(place_id)
    for key, place_id in Place.objects.filter(search_key__in=wanted).values_list("search_key", "pk"):
        found[key].add(place_id)
    return found


def _inside(ids: set[int], containers: set[int]) -> set[int]:
    """Those of the places `ids` that lie within one of the places `containers`."""
    if not ids or not containers:
        return set()
    paths = list(Place.objects.filter(pk__in=containers).values_list("path", flat=True))
    inside = Q()
    for container_path in paths:
        inside |= Q(path__startswith=container_path)
    return set(Place.objects.filter(inside, pk__in=ids).exclude(pk__in=containers).values_list("pk", flat=True))


def place_resolve(text: str, *, kind: str | None = None) -> Place | list[Place] | None:
    """The place a free-text mention names, by any of its names in any script.

    Understands village and district markers in Azerbaijani and Russian ("Qarabulaq k.",
    "с. Гарабулаг", "Vedi r-nu"), two names of one place ("Qarabulaq (Yernjatap)") and a
    district qualifier ("Qarabulaq, Vedi r-nu", or in parentheses "Qarabulaq (Vedi)" and
    "Гарабулаг (Ведийский р-н)", by any name of the district). Returns the place when
    exactly one fits, None when none does, or the candidates (sorted by code) when several do: an unknown or
    ambiguous place is reported, never guessed. Without `kind` or a marker a settlement is
    preferred; a district marker alone resolves to the district.
    """
    parts = _parse_free_text(text)
    if not parts:
        return None
    found = _places_named(key for part in parts for key in part.alternatives)
    if not found:
        return None
    kinds = dict(Place.objects.filter(pk__in={pk for ids in found.values() for pk in ids}).values_list("pk", "kind"))

    def candidates(part: _Part, wanted_kind: str | None) -> set[int]:
        per_name = [
            {pk for pk in found.get(key, set()) if wanted_kind in (None, kinds[pk])} for key in part.alternatives
        ]
        matched = [ids for ids in per_name if ids]
        if not matched:
            return set()
        both = set.intersection(*matched)
        return both or set.union(*matched)

    main_parts = [part for part in parts if part.kind != PlaceKind.DISTRICT]
    qualifiers = [part for part in parts if part.kind == PlaceKind.DISTRICT]
    if not main_parts:  # "Vedi r-nu": the district itself
        main_parts, qualifiers = qualifiers[:1], qualifiers[1:]
    main = main_parts[0]
    wanted = kind or main.kind
    if wanted is None:
        ids = candidates(main, PlaceKind.SETTLEMENT) or candidates(main, None)
    else:
        ids = candidates(main, wanted)
    if main.inner and len(ids) != 1:
        # "Qarabulaq (Vedi)": not two names of one village, so the parenthesised name may be
        # the district (in any of its names and scripts) that tells the villages apart.
        named = _Part(alternatives=[key for key in main.alternatives if key not in main.inner], kind=main.kind)
        named_ids = (
            candidates(named, wanted) if wanted else candidates(named, PlaceKind.SETTLEMENT) or candidates(named, None)
        )
        containers = {pk for key in main.inner for pk in found.get(key, set())} - named_ids
        within = _inside(named_ids, containers)
        if within:
            ids = within
    # Further parts narrow the answer to places inside what they name ("…, Vedi r-nu").
    for qualifier in [*main_parts[1:], *qualifiers]:
        containers = candidates(qualifier, qualifier.kind)
        if not containers or not ids:
            continue
        ids = _inside(ids, containers)
    if not ids:
        return None
    places = list(Place.objects.filter(pk__in=ids).select_related("parent").order_by("code"))
    return places[0] if len(places) == 1 else places


def place_with_district(places: list[Place]) -> list[str]:
    """How to write each of these places so that `place_resolve` finds it alone: its name
    with its district in parentheses ("Qarabulaq (Vedi)"), the code too when that is not enough."""
    labels = []
    for place in places:
        district = place.parent if place.parent is not None and place.parent.kind == PlaceKind.DISTRICT else None
        if district is None and place.kind != PlaceKind.DISTRICT:
            district = next((p for p in reversed(place_ancestors(place)) if p.kind == PlaceKind.DISTRICT), None)
        labels.append(f"{place.name} ({district.name})" if district is not None else place.name)
    return [
        label if labels.count(label) == 1 else f"{label} [{place.code}]"
        for label, place in zip(labels, places, strict=True)
    ]


class PlaceResolver:
    """`place_resolve` with a memory, for imports that name the same villages many times."""

    def __init__(self, *, kind: str | None = None) -> None:
        self.kind = kind
        self._cache: dict[str, Place | list[Place] | None] = {}

    def __call__(self, text: str) -> Place | list[Place] | None:
        key = text.strip()
        if key not in self._cache:
            self._cache[key] = place_resolve(key, kind=self.kind) if key else None
        return self._cache[key]


# --- Pages ------------------------------------------------------------------------------


def place_list(*, kind: str | None = None, parent: Place | None = None) -> QuerySet[Place]:
    places = Place.objects.select_related("parent")
    if kind:
        places = places.filter(kind=kind)
    if parent is not None:
        places = places.filter(parent=parent)
    return places.order_by("path")


def place_get(code: str) -> Place:
    """One place with its names and ancestors; raises Place.DoesNotExist."""
    names = Prefetch("names", queryset=PlaceName.objects.order_by("year_from", "year_to", "language", "text"))
    return Place.objects.select_related("parent").prefetch_related(names).get(code=code)


def place_ancestors(place: Place) -> list[Place]:
    ids = [int(part) for part in place.path.strip("/").split("/") if part][:-1]
    by_id = Place.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def place_renamings(place: Place) -> list[PlaceName]:
    """Names with years of use, in the order they came into use: the renamings timeline."""
    dated = [name for name in place.names.all() if name.year_from is not None or name.year_to is not None]
    return sorted(dated, key=lambda name: (name.year_from or -10_000, name.year_to or 10_000, name.language))


def place_editable_by(user: User, place: Place | None) -> bool:
    """Whether the user's scope covers the place (or, for None, the top of the hierarchy).

    Registrars keep the gazetteer of their own districts; users with full scope edit all.
    Whether they may edit at all is the permission's business, checked by the caller.
    """
    if user.full_scope:
        return True
    if place is None:
        return False
    return any(place.path.startswith(scope.place.path) for scope in user.scopes.select_related("place"))


# --- Current residences -------------------------------------------------------------------


def residence_country() -> Place | None:
    """The country where most displaced households live now (setting YURD_RESIDENCE_COUNTRY,
    "AZ" by default), when the gazetteer has it: `yurd places residences` loads it."""
    code = getattr(settings, "YURD_RESIDENCE_COUNTRY", "AZ")
    return Place.objects.filter(code=code, kind=PlaceKind.COUNTRY).first() if code else None


def residence_places(*, keep: int | None = None) -> QuerySet[Place]:
    """The places offered as a current residence: the residence country and everything in
    it, and every other country (abroad). Without that country in the gazetteer, every
    place, as before it was loaded. `keep` (a place already chosen) stays offered."""
    home = residence_country()
    places = Place.objects.select_related("parent")
    if home is None:
        return places.order_by("name_sort", "code")
    wanted = Q(path__startswith=home.path) | Q(kind=PlaceKind.COUNTRY, parent__isnull=True)
    if keep is not None:
        wanted |= Q(pk=keep)
    return places.filter(wanted).order_by("name_sort", "code")


def place_choice_labels(places: Iterable[Place], kind_labels: dict[str, str]) -> dict[int, str]:
    """A label for each place in a list of choices: its name, and for names that several
    places share, what tells them apart: the place they lie in ("Ağbulaq (Vedi)"), else
    their kind ("Şəki (district)", "Şəki (settlement)"), else their code."""
    by_name: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        by_name[place.name].append(place)
    labels: dict[int, str] = {}
    for name, group in by_name.items():
        if len(group) == 1:
            labels[group[0].pk] = name
            continue
        parents = [place.parent.name if place.parent is not None else "" for place in group]
        kinds = [kind_labels.get(place.kind, place.kind) for place in group]
        if all(parents) and len(set(parents)) == len(group):
            qualifiers = parents
        elif len(set(kinds)) == len(group):
            qualifiers = kinds
        else:
            qualifiers = [
                ", ".join(filter(None, [parent, place.code])) for parent, place in zip(parents, group, strict=True)
            ]
        for place, qualifier in zip(group, qualifiers, strict=True):
            labels[place.pk] = f"{name} ({qualifier})"
    return labels
