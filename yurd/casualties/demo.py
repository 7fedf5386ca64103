"""Synthetic source lists of deaths and injuries with a known overlap, for the demo.

A synthetic population of POPULATION people (every name invented, drawn from the
registry demo's name lists) is "captured" by three lists independently: the official
report names each with probability 0.5, the community list (written in Russian
Cyrillic) 0.4, the press list 0.3. About 79 % of them are named by some list, so the
register's page shows documented figures well below the true total and an estimate
whose interval should hold it. The entries are written already joined into their
people (the truth is known here), so the demo needs no linkage run and loads in a
second or two. Idempotent: nothing is added when the lists exist.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction

from yurd.casualties.models import CasualtyPerson, EventKind, ListEntry, ListKind, SourceList
from yurd.core.partial_dates import PartialDate
from yurd.places.models import Place, PlaceKind
from yurd.registry.codes import allocate_numbers
from yurd.registry.demo import FEMALE, MALE, SURNAMES
from yurd.registry.models import Wave

ORDER = 30
POPULATION = 400
SEED = 1988
LISTS = [
    ("demo-official", "Rəsmi hesabat (sintetik)", ListKind.OFFICIAL_REPORT, "Komissiya (sintetik)", 0.5, "latin"),
    ("demo-icma", "Список общины (синтетический)", ListKind.COMMUNITY_LIST, "Совет общины", 0.4, "cyrillic"),
    ("demo-metbuat", "Mətbuat siyahısı (sintetik)", ListKind.PRESS_LIST, "Qəzet (sintetik)", 0.3, "latin"),
]  # fmt: skip
WAVES = [("1987-1991", 0.7, (1988, 1989)), ("1948-1953", 0.2, (1948, 1951)), ("1918-1920", 0.1, (1918, 1920))]


def _female(surname: str) -> str:
    return surname + "a"


def load(*, households: int, stdout: Any) -> None:
    if SourceList.objects.filter(code__startswith="demo-").exists():
        return
    generator = random.Random(SEED)  # noqa: S311 - synthetic data, not secrets
    settlements = list(Place.objects.filter(kind=PlaceKind.SETTLEMENT).order_by("code")[:40])
    waves = {wave.code: wave for wave in Wave.objects.all()}
    wave_codes = [code for code, _share, _years in WAVES]
    wave_shares = [share for _code, share, _years in WAVES]
    with transaction.atomic():
        lists = {
            code: SourceList.objects.create(
                code=code, name=name, kind=kind, compiler=compiler, compiled_on="1992", notes="Synthetic."
            )
            for code, name, kind, compiler, _chance, _script in LISTS
        }
        people: list[tuple[CasualtyPerson, list[str], dict[str, Any]]] = []
        numbers = allocate_numbers("casualty_person", POPULATION)
        for number in numbers:
            female = generator.random() < 0.4
            given = generator.choice(FEMALE if female else MALE)
            surname = generator.choice(SURNAMES)
            wave_code = generator.choices(wave_codes, wave_shares)[0]
            years = next(years for code, _share, years in WAVES if code == wave_code)
            year = generator.randint(*years)
            event = generator.choices([EventKind.DEATH, EventKind.INJURY, EventKind.DISAPPEARANCE], [0.6, 0.3, 0.1])[0]
            place = generator.choice(settlements) if settlements else None
            named = [code for code, _name, _kind, _compiler, chance, _script in LISTS if generator.random() < chance]
            if not named:
                continue  # nobody names this person: part of the dark figure the estimate looks for
            record: dict[str, Any] = {
                "surname": (_female(surname[0]), _female(surname[1])) if female else surname,
                "given": given,
                "sex": "f" if female else "m",
                "birth_year": generator.randint(1910, 1975) if year > 1980 else generator.randint(1880, year - 10),
                "event": event,
                "event_date": PartialDate(year, generator.randint(1, 12)).to_storage(),
                "event_year": year,
                "place": place,
                "wave": waves.get(wave_code),
            }
            person = CasualtyPerson(
                code=f"CP-{number:06d}",
                surname=record["surname"][0],
                given_name=given[0],
                sex=record["sex"],
                birth_year=record["birth_year"],
                event=event,
                event_date=record["event_date"],
                place=place,
                place_text=place.name if place else "",
                wave=record["wave"],
                circumstances="Sintetik qeyd.",
            )
            people.append((person, named, record))
        CasualtyPerson.objects.bulk_create([person for person, _named, _record in people])
        entries = []
        counters = dict.fromkeys(lists, 0)
        for person, named, record in people:
            for code in named:
                counters[code] += 1
                cyrillic = next(script for c, *_rest, script in LISTS if c == code) == "cyrillic"
                entries.append(
                    ListEntry(
                        source_list=lists[code],
                        record_id=f"{code.removeprefix('demo-')[:3].upper()}-{counters[code]:04d}",
                        person=person,
                        surname=record["surname"][1 if cyrillic else 0],
                        given_name=record["given"][1 if cyrillic else 0],
                        sex=record["sex"],
                        birth_date=str(record["birth_year"]),
                        event=record["event"],
                        # The press gives the year only.
                        event_date=str(record["event_year"]) if code == "demo-metbuat" else record["event_date"],
                        place=record["place"],
                        place_text=record["place"].name if record["place"] else "",
                        wave=record["wave"],
                        certainty="high" if code == "demo-official" else "medium",
                    )
                )
        ListEntry.objects.bulk_create(entries)
    stdout.write(
        f"  register of deaths and injuries: {len(people)} of {POPULATION} synthetic people named on "
        f"{len(lists)} lists ({len(entries)} entries)"
    )
