"""Synthetic demo population: households with multi-script names, kinship, waves, places.

Everything here is invented. Names are common Azerbaijani names in Latin script, with
a Russian (Cyrillic) form of the same name as a second name form, the way they appear
in Soviet-era documents. Written with the import's bulk path, so 2,000 households load
in seconds. Idempotent: households DEMO-000001..N are created only if missing.

Three synthetic registration lists (a 1992 ministry register, a 2005 community list, a
2024 field survey) each name a random share of the first registrations' heads, independently,
as linked import rows ("source spelling" names): the families' capture histories over those
lists let `Families in all` (/registry/population/) and `yurd estimate --registry` estimate
how many families exist, and the demo's true number (the families loaded) is known.

Some families were registered a second time from a Soviet-era list written in Russian
(household DEMO-000001-R and so on): the same head and spouse in Cyrillic, a birth date
sometimes known to the year only. They are the likely duplicates the duplicate scan finds,
so the adjudication queue has pairs to decide as soon as the demo is loaded.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from yurd.core.actors import system_actor
from yurd.places.models import Place, PlaceKind
from yurd.registry.codes import allocate_codes
from yurd.registry.imports.bulk import bulk_insert, db_datetime, insert_with_history, reserve_ids
from yurd.registry.models import (
    Certainty,
    Consent,
    HeirLine,
    Household,
    HouseholdRole,
    Kinship,
    KinshipKind,
    Person,
    PersonName,
    Wave,
)
from yurd.registry.search_index import bulk_index_people, name_forms_tokens

ORDER = 20
SOURCE = "demo (synthetic)"

MALE = [
    ("Əli", "Али"), ("Həsən", "Гасан"), ("Hüseyn", "Гусейн"), ("Məmməd", "Мамед"), ("Rəşad", "Рашад"),
    ("Elçin", "Эльчин"), ("Vüqar", "Вугар"), ("İbrahim", "Ибрагим"), ("Kamran", "Камран"), ("Tofiq", "Тофик"),
    ("Nadir", "Надир"), ("Səməd", "Самед"), ("Orxan", "Орхан"), ("Fərid", "Фарид"), ("Cavid", "Джавид"),
    ("Qasım", "Касум"), ("Rauf", "Рауф"), ("Zaur", "Заур"), ("Elşən", "Эльшан"), ("Nicat", "Ниджат"),
]  # fmt: skip
FEMALE = [
    ("Gülnarə", "Гюльнара"), ("Leyla", "Лейла"), ("Aygün", "Айгюн"), ("Səbinə", "Сабина"), ("Nərmin", "Нармин"),
    ("Fatma", "Фатма"), ("Zəhra", "Захра"), ("Sevinc", "Севиндж"), ("Ülviyyə", "Ульвия"), ("Xədicə", "Хадиджа"),
    ("Aysel", "Айсель"), ("Günel", "Гюнель"), ("Rəna", "Рена"), ("Şəlalə", "Шалала"), ("Mehriban", "Мехрибан"),
]  # fmt: skip
SURNAMES = [
    ("Məmmədov", "Мамедов"), ("Əliyev", "Алиев"), ("Hüseynov", "Гусейнов"), ("Həsənov", "Гасанов"),
    ("Quliyev", "Кулиев"), ("İsmayılov", "Исмаилов"), ("Cəfərov", "Джафаров"), ("Abbasov", "Аббасов"),
    ("Qasımov", "Касумов"), ("Rzayev", "Рзаев"), ("Bağırov", "Багиров"), ("Süleymanov", "Сулейманов"),
    ("Nəsirov", "Насиров"), ("Orucov", "Оруджев"), ("Vəliyev", "Велиев"), ("Kərimov", "Керимов"),
]  # fmt: skip
# A few surnames cover a large share of people, as in the real population.
SURNAME_WEIGHTS = [14, 12, 10, 9, 8, 6, 6, 5, 5, 4, 4, 4, 3, 3, 4, 3]
# One household in this many (DEMO-000001, DEMO-000041, ...) is registered twice.
REGISTERED_TWICE_EVERY = 40
SECOND_REGISTRATION = "-R"


def registered_twice(ref: str) -> bool:
    """Whether the demo household `ref` ("DEMO-000041") also has a second registration."""
    return int(ref.rsplit("-", 1)[1]) % REGISTERED_TWICE_EVERY == 1


def _second_registration(rng: random.Random, members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The living head and spouse of a family as a Russian-language list names them: in
    Cyrillic, with a birth date sometimes reduced to its year. Empty when the head has died."""
    copies = []
    for member in members:
        if member["key"] not in ("head", "spouse"):
            continue
        if member["death"]:
            return []
        birth = member["birth"]
        if len(birth) > 4 and rng.random() < 0.4:
            birth = birth[:4]
        copies.append({**member, "parents": [], "birth": birth, "cyrillic_only": True})
    return copies


def _female(surname: tuple[str, str]) -> tuple[str, str]:
    return surname[0] + "a", surname[1] + "а"


def _patronymic(father: tuple[str, str], female: bool) -> tuple[str, str]:
    return (f"{father[0]} {'qızı' if female else 'oğlu'}", f"{father[1]} {'кызы' if female else 'оглы'}")


def _date(rng: random.Random, year: int, precision: float) -> str:
    if precision < 0.3:
        return f"{year:04d}"
    if precision < 0.5:
        return f"{year:04d}-{rng.randint(1, 12):02d}"
    return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _members(rng: random.Random, displacement_year: int) -> list[dict[str, Any]]:
    """One family: maybe a deceased grandparent, the head, a spouse, children."""
    surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
    grandfather = rng.choice(MALE)
    head_name = rng.choice(MALE)
    head_birth = displacement_year - rng.randint(25, 60)
    members: list[dict[str, Any]] = []
    if rng.random() < 0.35:
        members.append(
            {"key": "grandfather", "role": HouseholdRole.PARENT, "given": grandfather, "surname": surname,
             "patronymic": _patronymic(rng.choice(MALE), False), "sex": "m",
             "birth": _date(rng, head_birth - rng.randint(20, 40), 0.1),
             "death": _date(rng, min(displacement_year + rng.randint(-5, 10), 2020), rng.random()), "parents": []}
        )  # fmt: skip
    members.append(
        {"key": "head", "role": HouseholdRole.HEAD, "given": head_name, "surname": surname,
         "patronymic": _patronymic(grandfather, False), "sex": "m", "birth": _date(rng, head_birth, rng.random()),
         "death": _date(rng, rng.randint(head_birth + 50, 2020), 0.2) if head_birth < 1935 and rng.random() < 0.5
         else "", "parents": ["grandfather"] if members else []}
    )  # fmt: skip
    if rng.random() < 0.85:
        members.append(
            {"key": "spouse", "role": HouseholdRole.SPOUSE, "given": rng.choice(FEMALE),
             "surname": _female(rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]) if rng.random() < 0.2 else _female(surname),
             "patronymic": _patronymic(rng.choice(MALE), True), "sex": "f",
             "birth": _date(rng, head_birth + rng.randint(-2, 8), rng.random()), "death": "", "parents": []}
        )  # fmt: skip
    for number in range(rng.choice([0, 1, 2, 2, 3, 3, 4])):
        female = rng.random() < 0.5
        birth_year = min(head_birth + rng.randint(20, 40), 2015)
        members.append(
            {"key": f"child{number}", "role": HouseholdRole.CHILD, "given": rng.choice(FEMALE if female else MALE),
             "surname": _female(surname) if female else surname, "patronymic": _patronymic(head_name, female),
             "sex": "f" if female else "m", "birth": _date(rng, birth_year, rng.random()), "death": "",
             "parents": ["head", "spouse"] if any(m["key"] == "spouse" for m in members) else ["head"]}
        )  # fmt: skip
    return members


def load(*, households: int, stdout: Any) -> None:
    existing = set(
        # demo data, made by the system
        Household.objects.unscoped().filter(source=SOURCE).values_list("source_ref", flat=True)
    )
    wanted = [f"DEMO-{number:06d}" for number in range(1, households + 1)]
    missing = [ref for ref in wanted if ref not in existing]
    if not missing:
        with transaction.atomic():
            named = _registration_lists()
        stdout.write(
            f"Registry demo: {len(existing)} synthetic households already present"
            + (f"; {named} heads named on the synthetic registration lists.\n" if named else ".\n")
        )
        return
    origins = list(Place.objects.filter(kind=PlaceKind.SETTLEMENT, code__startswith="AM-").values_list("pk", flat=True))
    residences = (
        list(
            # Where displaced households live now: Azerbaijan's districts and cities (the
            # reference gazetteer of current residences).
            Place.objects.filter(kind__in=[PlaceKind.DISTRICT, PlaceKind.SETTLEMENT], code__startswith="AZ-")
            .order_by("code")
            .values_list("pk", flat=True)
        )
        or origins
    )
    waves = {wave.code: wave for wave in Wave.objects.all()}
    if not origins or not waves:
        stdout.write("Registry demo: no gazetteer or waves; skipped.\n")
        return
    with transaction.atomic():
        again = _generate(missing, origins, residences, waves)
        named = _registration_lists()
    stdout.write(
        f"Registry demo: {len(missing)} synthetic households added ({households} wanted); "
        f"{again} of them registered a second time from a Russian-language list; "
        f"{named} heads named on the three synthetic registration lists.\n"
    )


# The synthetic registration lists and the chance that each names a family, independently;
# named in Azerbaijani, as the community's registrars would name them.
SYNTHETIC = "(sintetik)"
REGISTRATION_LISTS = (
    (f"Nazirlik reyestri 1992 {SYNTHETIC}", 0.55),
    (f"İcma siyahısı 2005 {SYNTHETIC}", 0.45),
    (f"Sahə sorğusu 2024 {SYNTHETIC}", 0.35),
)


def _registration_lists() -> int:
    """Name the heads of first registrations on the synthetic lists (once per head): a linked
    row's provenance, "<list> #<row>", as record linkage writes it at import."""
    done = PersonName.objects.filter(kind="source spelling", source__contains=f"{SYNTHETIC} #").values("person_id")
    heads = (
        # demo data, made by the system
        Person.objects.unscoped()
        .filter(source=SOURCE, household_role=HouseholdRole.HEAD)
        .exclude(source_ref__contains=SECOND_REGISTRATION + "-")
        .exclude(pk__in=done)
        .values_list("pk", "surname", "given_name", "patronymic", "source_ref")
    )
    names = []
    for pk, surname, given_name, patronymic, ref in heads:
        rng = random.Random(ref + "/lists")  # noqa: S311 - synthetic data; the same head, the same lists
        for number, (name, chance) in enumerate(REGISTRATION_LISTS, 1):
            if rng.random() < chance:
                names.append((pk, surname, given_name, patronymic, "", "source spelling", f"{name} #{number}-{ref}"))
    columns = ["person_id", "surname", "given_name", "patronymic", "script", "kind", "source"]
    bulk_insert(PersonName._meta.db_table, columns, names)
    return len({row[0] for row in names})


Family = tuple[str, random.Random, Wave, int, list[dict[str, Any]]]


def _families(refs: list[str], waves: dict[str, Wave]) -> list[Family]:
    """(ref, its random generator, wave, displacement year, members) per household to create,
    each second registration right after the family it registers again."""
    wave_choices = [(waves.get("1987-1991"), 80), (waves.get("1948-1953"), 15), (waves.get("1918-1920"), 5)]
    wave_list = [wave for wave, _weight in wave_choices if wave is not None]
    weights = [weight for wave, weight in wave_choices if wave is not None]
    families: list[Family] = []
    for ref in refs:
        rng = random.Random(ref)  # noqa: S311 - synthetic data; the same ref always gives the same family
        wave = rng.choices(wave_list, weights)[0]
        year = rng.randint(wave.year_from, wave.year_to)
        members = _members(rng, year)
        families.append((ref, rng, wave, year, members))
        if registered_twice(ref):
            again = random.Random(ref + SECOND_REGISTRATION)  # noqa: S311 - synthetic data
            copies = _second_registration(again, members)
            if copies:
                families.append((ref + SECOND_REGISTRATION, again, wave, year, copies))
    return families


def _generate(refs: list[str], origins: list[int], residences: list[int], waves: dict[str, Wave]) -> int:
    """Create the households; returns how many were registered twice."""
    actor = system_actor()
    now = db_datetime(timezone.now())
    reason = "sintetik demo məlumatları"
    families = _families(refs, waves)
    household_codes = iter(allocate_codes("household", len(families)))
    household_ids = iter(reserve_ids(Household, len(families)))
    person_total = sum(len(members) for *_rest, members in families)
    person_codes = iter(allocate_codes("person", person_total))
    person_ids = iter(reserve_ids(Person, person_total))
    households: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    names: list[tuple[Any, ...]] = []
    edges: list[tuple[int, int, str]] = []
    tokens: list[tuple[int, list[str]]] = []
    consents: list[tuple[Any, ...]] = []
    ancestors: list[int] = []
    origin_of: dict[str, int] = {}
    for ref, rng, wave, year, members in families:
        household_id = next(household_ids)
        # A second registration names the village the family's first registration names.
        origin = origin_of[ref.removesuffix(SECOND_REGISTRATION)] if ref.endswith(SECOND_REGISTRATION) else None
        origin_of[ref] = origin or rng.choice(origins)
        households.append(
            {"id": household_id, "created_at": now, "updated_at": now, "code": next(household_codes),
             "origin_place_id": origin_of[ref], "wave_id": wave.pk,
             "displacement_date": _date(rng, year, rng.random()), "destination_place_id": None,
             "current_place_id": rng.choice(residences), "source": SOURCE, "source_ref": ref, "notes": ""}
        )  # fmt: skip
        ids: dict[str, int] = {}
        for member in members:
            person_id = ids[member["key"]] = next(person_ids)
            latin = (member["surname"][0], member["given"][0], member["patronymic"][0])
            cyrillic = (member["surname"][1], member["given"][1], member["patronymic"][1])
            cyrillic_only = member.get("cyrillic_only", False)
            surname, given_name, patronymic = cyrillic if cyrillic_only else latin
            person_tokens = name_forms_tokens([cyrillic] if cyrillic_only else [latin, cyrillic])
            tokens.append((person_id, person_tokens))
            people.append(
                {"id": person_id, "created_at": now, "updated_at": now, "code": next(person_codes),
                 "household_id": household_id, "household_role": member["role"],
                 "surname": surname, "given_name": given_name, "patronymic": patronymic, "sex": member["sex"],
                 "birth_date": member["birth"],
                 "birth_place_text": "", "birth_place_id": None, "is_deceased": bool(member["death"]),
                 "death_date": member["death"], "search_text": " ".join(person_tokens), "source": SOURCE,
                 "source_ref": f"{ref}-{member['key']}"}
            )  # fmt: skip
            if not cyrillic_only:
                names.append((person_id, *cyrillic, "ru", "Sovet dövrü sənədi", SOURCE))
            if not member["death"] and rng.random() < 0.7:
                consents.append(
                    (
                        now,
                        now,
                        person_id,
                        "registration and restitution claims",
                        f"{2020 + rng.randint(0, 5)}-0{rng.randint(1, 9)}-15",
                        None,
                        None,
                    )
                )
            if member["key"] == "grandfather":
                ancestors.append(person_id)
        for member in members:
            edges.extend(
                (ids[parent], ids[member["key"]], KinshipKind.PARENT_OF)
                for parent in member["parents"]
                if parent in ids
            )
        if "spouse" in ids:
            edges.append((ids["head"], ids["spouse"], KinshipKind.SPOUSE_OF))

    insert_with_history(Household, households, actor=actor, reason=reason)
    insert_with_history(Person, people, actor=actor, reason=reason)
    bulk_index_people(tokens)
    bulk_insert(
        PersonName._meta.db_table,
        ["person_id", "surname", "given_name", "patronymic", "script", "kind", "source"],
        names,
    )
    kinship_ids = iter(reserve_ids(Kinship, len(edges)))
    insert_with_history(
        Kinship,
        [
            {"id": next(kinship_ids), "created_at": now, "updated_at": now, "from_person_id": from_id,
             "to_person_id": to_id, "kind": kind, "source": SOURCE, "certainty": Certainty.HIGH}
            for from_id, to_id, kind in edges
        ],
        actor=actor,
        reason=reason,
    )  # fmt: skip
    bulk_insert(
        Consent._meta.db_table,
        ["created_at", "updated_at", "person_id", "purpose", "given_on", "recorded_by_id", "withdrawn_on"],
        consents,
    )
    line_codes = iter(allocate_codes("heir_line", len(ancestors)))
    line_ids = iter(reserve_ids(HeirLine, len(ancestors)))
    insert_with_history(
        HeirLine,
        [
            {"id": next(line_ids), "created_at": now, "updated_at": now, "code": next(line_codes), "ancestor_id": pk}
            for pk in ancestors
        ],
        actor=actor,
        reason=reason,
    )
    return sum(1 for ref, *_rest in families if ref.endswith(SECOND_REGISTRATION))
