"""One search box for people and households, in any script, tolerant of typos.

1. The query is folded into Latin tokens (yurd.linkage.matching.search_tokens), so
   "Mamedov Ali", "Məmmədov Əli" and "Мамедов Али" become the same tokens.
2. Each query token is looked up in the small NameToken vocabulary: exact, prefix
   (as you type) and close spellings (rapidfuzz), one indexed range query per token.
3. People holding a matching token for every query token are fetched through the
   indexed PersonNameToken table (scope applied in the same query), at most
   CANDIDATES of them; exact matches are tried before prefix and fuzzy ones.
4. The candidates are ranked with rapidfuzz against all their name forms and the
   matching words are highlighted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import fuzz

from yurd.accounts.models import User
from yurd.linkage.matching import search_tokens
from yurd.registry.models import Household, NameToken, Person, PersonName, PersonNameToken
from yurd.registry.selectors import household_queryset, person_queryset

CANDIDATES = 300
MAX_QUERY_TOKENS = 5
FUZZY_CUTOFF = 80.0
_HOUSEHOLD_CODE = re.compile(r"^\s*(?:hh[- ]?)?(\d{1,6})\s*$", re.I)


@dataclass
class PersonHit:
    person: Person
    score: float
    name_html: SafeString
    other_name_html: SafeString | None = None


@dataclass
class HouseholdHit:
    household: Household
    score: float
    members: list[PersonHit] = field(default_factory=list)


@dataclass
class SearchResult:
    query: str
    people: list[PersonHit]
    households: list[HouseholdHit]


def _next_prefix(text: str) -> str:
    return text[:-1] + chr(ord(text[-1]) + 1)


def token_score(query_token: str, token: str) -> float:
    if token == query_token:
        return 100.0
    if token.startswith(query_token):
        return 92.0 if len(query_token) >= 3 else 80.0
    if len(query_token) < 4:
        return 0.0
    return fuzz.ratio(query_token, token)


def _matching_tokens(query_token: str) -> tuple[set[int], set[int]]:
    """(exact token ids, wider ids: prefix and close spellings) for one query token."""
    bucket = NameToken.objects.filter(text__gte=query_token[0], text__lt=_next_prefix(query_token[0]))
    if len(query_token) < 4:
        bucket = bucket.filter(text__gte=query_token, text__lt=_next_prefix(query_token))
    exact: set[int] = set()
    wider: set[int] = set()
    for token_id, text in bucket.values_list("id", "text"):
        score = token_score(query_token, text)
        if score == 100.0:
            exact.add(token_id)
        elif score >= FUZZY_CUTOFF:
            wider.add(token_id)
    return exact, wider


def _candidate_ids(user: User | None, token_sets: list[set[int]], limit: int) -> list[int]:
    if not token_sets or any(not ids for ids in token_sets):
        return []
    queryset = person_queryset(user=user)
    # Most selective first: fewer token ids usually means fewer people.
    for ids in sorted(token_sets, key=len):
        queryset = queryset.filter(pk__in=PersonNameToken.objects.filter(token_id__in=ids).values("person_id"))
    return list(queryset.values_list("pk", flat=True)[:limit])


def highlight(text: str, query_tokens: Iterable[str]) -> tuple[SafeString, int]:
    """The text with every word matching a query token in <mark>, and how many matched."""
    tokens = list(query_tokens)
    parts = []
    matched = 0
    for word in re.split(r"(\s+)", text):
        word_tokens = search_tokens(word) if word.strip() else []
        if word_tokens and any(token_score(q, t) >= FUZZY_CUTOFF for q in tokens for t in word_tokens):
            parts.append(f"<mark>{escape(word)}</mark>")
            matched += 1
        else:
            parts.append(escape(word))
    return mark_safe("".join(parts)), matched


def _score(search_text: str, query_tokens: list[str]) -> float:
    tokens = search_text.split()
    if not tokens:
        return 0.0
    per_token = [max(token_score(q, t) for t in tokens) for q in query_tokens]
    # search_text starts with the primary form (surname, given name, patronymic): a query
    # matching it in that order (or given name first) ranks above one matching a patronymic.
    query = " ".join(query_tokens)
    head = tokens[: len(query_tokens)]
    order = max(fuzz.ratio(query, " ".join(head)), fuzz.ratio(query, " ".join(head[1::-1] + head[2:])))
    return 0.8 * sum(per_token) / len(per_token) + 0.2 * order


def _person_hit(
    person: Person, score: float, other_names: list[PersonName], query_tokens: list[str], show_names: bool
) -> PersonHit:
    if not show_names:
        return PersonHit(person=person, score=score, name_html=mark_safe(escape(person.code)))
    name_html, matched = highlight(person.display_name, query_tokens)
    other_html = None
    for other in other_names:
        other_candidate, other_matched = highlight(str(other), query_tokens)
        if other_matched > matched:
            other_html, matched = other_candidate, other_matched
    return PersonHit(person=person, score=score, name_html=name_html, other_name_html=other_html)


def registry_search(*, user: User | None, query: str, limit: int = 25) -> SearchResult:
    """People and households matching a name (any script) or a household code, best first."""
    query = (query or "").strip()[:200]
    query_tokens = search_tokens(query)[:MAX_QUERY_TOKENS]
    households_by_code: list[Household] = []
    if code_match := _HOUSEHOLD_CODE.match(query):
        code = f"HH-{int(code_match.group(1)):06d}"
        households_by_code = list(household_queryset(user=user).filter(code=code))
    if not query_tokens:
        return SearchResult(query, [], [HouseholdHit(household, 100.0) for household in households_by_code])

    matches = [_matching_tokens(token) for token in query_tokens]
    candidate_ids = _candidate_ids(user, [exact for exact, _wider in matches], CANDIDATES)
    if len(candidate_ids) < CANDIDATES:
        more = _candidate_ids(user, [exact | wider for exact, wider in matches], CANDIDATES)
        candidate_ids += [pk for pk in more if pk not in set(candidate_ids)][: CANDIDATES - len(candidate_ids)]
    if not candidate_ids:
        # No one matches every word: fall back to people matching any of them.
        any_ids = set().union(*(exact | wider for exact, wider in matches))
        if any_ids:
            candidate_ids = list(
                person_queryset(user=user)
                .filter(pk__in=PersonNameToken.objects.filter(token_id__in=any_ids).values("person_id"))
                .values_list("pk", flat=True)[:CANDIDATES]
            )
    # Rank on the stored search text first; only the best `limit` are fetched and highlighted.
    scored = sorted(
        (
            (_score(search_text, query_tokens), surname, given_name, pk)
            for pk, search_text, surname, given_name in Person.objects.filter(pk__in=candidate_ids).values_list(
                "pk", "search_text", "surname", "given_name"
            )
        ),
        key=lambda item: (-item[0], item[1], item[2], item[3]),
    )[:limit]
    scores = {pk: score for score, _surname, _given, pk in scored}
    people = Person.objects.filter(pk__in=scores).select_related("household", "household__origin_place")
    other_names: dict[int, list[PersonName]] = {}
    for name in PersonName.objects.filter(person_id__in=scores).order_by("pk"):
        other_names.setdefault(name.person_id, []).append(name)
    show_names = user is None or user.sees_names
    hits = [
        _person_hit(person, scores[person.pk], other_names.get(person.pk, []), query_tokens, show_names)
        for person in people
    ]
    hits.sort(key=lambda hit: (-hit.score, hit.person.surname, hit.person.given_name, hit.person.code))

    households: dict[int, HouseholdHit] = {
        household.pk: HouseholdHit(household, 100.0) for household in households_by_code
    }
    for hit in hits:
        entry = households.setdefault(hit.person.household_id, HouseholdHit(hit.person.household, hit.score))
        entry.members.append(hit)
    ranked_households = sorted(households.values(), key=lambda entry: (-entry.score, entry.household.code))
    return SearchResult(query, hits, ranked_households[:limit])


def people_by_query_q(query: str) -> Q:
    """A plain filter on search_text for callers that need a queryset (e.g. exports)."""
    condition = Q()
    for token in search_tokens(query):
        condition &= Q(search_text__contains=token)
    return condition
