"""An upgrade whose name rules changed: `yurd migrate` recomputes the keys stored with the old
rules (search keys of places and people, alphabetical sort keys), and only then."""

from __future__ import annotations

import io

from django.core.management import call_command

from yurd.core.derived import SORT_KEYS
from yurd.core.models import DerivedKeys
from yurd.names.fingerprint import rules_fingerprint
from yurd.places.models import Place
from yurd.registry.models import Household, Person, PersonNameToken
from yurd.registry.search import registry_search

KINDS = {SORT_KEYS, "places search keys", "people's search keys"}


def _stored_with_old_rules(person: Person, place: Place) -> None:
    """The rows as an older release left them: keys its rules computed, and its fingerprint."""
    DerivedKeys.objects.all().delete()
    DerivedKeys.objects.bulk_create(DerivedKeys(name=name, fingerprint="rules-of-2025") for name in KINDS)
    Person.objects.filter(pk=person.pk).update(search_text="mammadov ali old", name_sort="999")
    PersonNameToken.objects.filter(person=person).delete()
    Place.objects.filter(pk=place.pk).update(search_key="old key", name_sort="999")


def _migrate() -> str:
    out = io.StringIO()
    call_command("migrate", "--noinput", stdout=out)
    return out.getvalue()


def test_migrate_recomputes_keys_the_old_rules_computed(mammadov_family: Household) -> None:
    ali = mammadov_family.members.get(given_name="Əli")
    village = mammadov_family.origin_place
    assert village is not None
    expected = (ali.search_text, ali.name_sort, village.search_key, village.name_sort)
    _stored_with_old_rules(ali, village)
    assert all(hit.person != ali for hit in registry_search(user=None, query="Мамедов Али").people)

    out = _migrate()

    ali.refresh_from_db()
    village.refresh_from_db()
    assert (ali.search_text, ali.name_sort, village.search_key, village.name_sort) == expected
    assert registry_search(user=None, query="Мамедов Али").people[0].person == ali
    assert dict(DerivedKeys.objects.values_list("name", "fingerprint")) == dict.fromkeys(KINDS, rules_fingerprint())
    assert "Recomputed people's search keys: 1 rows" in out
    assert "Recomputed places search keys: 1 rows" in out
    assert "Recomputed sort keys: 2 rows" in out


def test_migrate_leaves_keys_alone_when_the_rules_are_those_they_were_computed_with(
    mammadov_family: Household,
) -> None:
    ali = mammadov_family.members.get(given_name="Əli")
    village = mammadov_family.origin_place
    assert village is not None
    _stored_with_old_rules(ali, village)
    DerivedKeys.objects.update(fingerprint=rules_fingerprint())

    out = _migrate()

    ali.refresh_from_db()
    assert ali.search_text == "mammadov ali old"  # not walked again: an upgrade costs nothing
    assert "Recomputed" not in out
