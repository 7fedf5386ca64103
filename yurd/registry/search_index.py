"""Keeps Person.search_text and the name-token index in step with every name form."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from yurd.linkage.matching import search_tokens
from yurd.registry.models import NameToken, Person, PersonName, PersonNameToken


def name_forms_tokens(forms: Iterable[tuple[str, str, str]]) -> list[str]:
    """Distinct folded tokens of (surname, given name, patronymic) forms, first-seen order."""
    tokens: dict[str, None] = {}
    for form in forms:
        for token in search_tokens(" ".join(part for part in form if part)):
            tokens.setdefault(token[:64])
    return list(tokens)


def token_ids(texts: Iterable[str]) -> dict[str, int]:
    """Ids of the given tokens, creating the missing ones."""
    wanted = set(texts)
    if not wanted:
        return {}
    found: dict[str, int] = {}
    chunk = sorted(wanted)
    for start in range(0, len(chunk), 500):
        found.update(NameToken.objects.filter(text__in=chunk[start : start + 500]).values_list("text", "id"))
    missing = wanted - found.keys()
    if missing:
        NameToken.objects.bulk_create([NameToken(text=text) for text in sorted(missing)], ignore_conflicts=True)
        for start in range(0, len(chunk), 500):
            found.update(NameToken.objects.filter(text__in=chunk[start : start + 500]).values_list("text", "id"))
    return found


def reindex_person(person: Person) -> None:
    """Recompute search_text and tokens of one person from all of their name forms."""
    forms = [(person.surname, person.given_name, person.patronymic)]
    forms += list(PersonName.objects.filter(person=person).values_list("surname", "given_name", "patronymic"))
    tokens = name_forms_tokens(forms)
    text = " ".join(tokens)
    if person.search_text != text:
        person.search_text = text
        Person.objects.filter(pk=person.pk).update(search_text=text)
    ids = token_ids(tokens)
    PersonNameToken.objects.filter(person=person).exclude(token_id__in=ids.values()).delete()
    existing = set(PersonNameToken.objects.filter(person=person).values_list("token_id", flat=True))
    PersonNameToken.objects.bulk_create(
        [PersonNameToken(token_id=token_id, person=person) for token_id in ids.values() if token_id not in existing]
    )


def bulk_index_people(person_tokens: Iterable[tuple[int, list[str]]]) -> int:
    """Insert token links for freshly created people (no existing links); returns rows written."""
    pairs = list(person_tokens)
    ids = token_ids({token for _person, tokens in pairs for token in tokens})
    table = PersonNameToken._meta.db_table
    rows = [(ids[token], person_id) for person_id, tokens in pairs for token in tokens]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20_000):
            cursor.executemany(
                f"INSERT INTO {table} (token_id, person_id) VALUES (%s, %s)",  # noqa: S608 - table name from model meta
                rows[start : start + 20_000],
            )
    return len(rows)
