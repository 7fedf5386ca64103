"""Write INPUT.csv, PLACES.csv and TRUTH.csv for N synthetic families (deterministic per seed)."""

from __future__ import annotations

import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from . import sources as src
from .people import Family, NamesakeMemory, Person, make_family
from .places import PLACE_COLUMNS, build_gazetteer

TRUTH_FIELDS = [
    "record_id",
    "person_id",
    "family_id",
    "birth_unit",
    "generation",
    "sex",
    "name_key",
    "birth_year",
    "village_id",
    "source",
    "script",
]
SEP = "\x1e"  # between the input and the truth part of a spooled line; never in the data
SEX_PAIRS_BOOK = (("киши", "гадын"), ("к", "г"), ("киши", "гадын"), ("К", "Г"))


def csv_line(fields: list[str]) -> str:
    out = ['"' + f.replace('"', '""') + '"' if ("," in f or '"' in f or "\n" in f) else f for f in fields]
    return ",".join(out) + "\n"


class Collector:
    """Spools each source's records to a scratch file (input line and truth line side by side)."""

    def __init__(self, tmp: Path) -> None:
        self.files = {s: (tmp / f"{s}.spool").open("w", encoding="utf-8", newline="") for s in src.SOURCES}

    def add(self, row: list[str], p: Person, fam: Family) -> None:
        source = row[0]
        truth = [
            p.pid,
            f"F{fam.fid:06d}",
            p.unit,
            str(p.gen),
            p.sex,
            p.name_key,
            str(p.by),
            fam.village.place_id,
            source,
            src.script_of(row[1]),
        ]
        self.files[source].write(csv_line(row)[:-1] + SEP + csv_line(truth))

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()


def family_records(fam: Family, rng: random.Random, hids: dict[str, src.HouseholdIds], out: Collector) -> None:
    people = fam.people
    wave, displaced = fam.wave, fam.displaced
    dup = src.DUPLICATE

    def emit(p: Person, render, *args, dup_args=None) -> None:
        row = render(p, fam, *args, rng)
        out.add(row, p, fam)
        if rng.random() < dup[row[0]]:
            out.add(render(p, fam, *(dup_args or args), rng), p, fam)

    # 1. today's registry
    if rng.random() < 0.6:
        year = rng.randint(2006, 2024)
        for p in people:
            if p.by > year:
                continue
            if p.alive(year):
                if rng.random() >= 0.75:
                    continue
                unit = p.unit_at(year)
            else:
                if p.gen > 2 or rng.random() >= 0.2:
                    continue
                unit = p.unit_at(p.death or year)
            hid = hids["registry_az"].get(unit)
            alt = hids["registry_az"].get((unit, p.pid)) if rng.random() < 0.5 else hid
            emit(p, src.registry_az, year, hid, dup_args=(year, alt))

    # 2. Soviet household books (Azerbaijani Cyrillic), one or two per family
    if wave in (1948, 1988) and rng.random() < (0.3 if wave == 1988 else 0.25):
        lo, hi = (1960, 1987) if wave == 1988 else (1939, displaced - 1)
        for book in range(2 if rng.random() < 0.2 else 1):
            year = rng.randint(lo, hi)
            style = ("dmy" if rng.random() < 0.6 else "year", rng.choice(SEX_PAIRS_BOOK))
            hid = hids["household_book"].get((fam.fid, book))
            for p in people:
                if p.in_family_at(year) and rng.random() < 0.95:
                    emit(p, lambda p_, f_, y_, h_, r_, st=style: src.household_book(p_, f_, y_, h_, r_, st), year, hid)

    # 3. Russian-language documents
    if rng.random() < (0.45 if wave != 1988 else 0.35):
        if wave == 1918:
            year = min(displaced + rng.randint(0, 1), 1920)
            hid = hids["russian_docs"].get(("list", fam.fid))
            for p in people:
                if p.in_family_at(year) and rng.random() < 0.7:
                    emit(p, src.russian_docs, year, hid)
        elif wave == 1948:
            year = displaced + rng.randint(0, 2)
            hid = hids["russian_docs"].get(("list", fam.fid))
            for p in people:
                if p.in_family_at(year) and rng.random() < 0.9:
                    emit(p, src.russian_docs, year, hid)
        else:
            year = rng.randint(displaced, 1991)
            for p in people:
                if p.alive(year) and rng.random() < 0.75:
                    emit(p, src.russian_docs, year, hids["russian_docs"].get(("unit", p.unit_at(year))))
    for p in people:
        lo, hi = max(p.by + 16, 1950), min(1991, p.death or 1991)
        if lo <= hi and rng.random() < 0.05:
            emit(p, src.russian_docs, rng.randint(lo, hi), "")

    # 4. passports, Latin from Russian or MRZ-folded
    share = 0.17 if wave == 1988 else 0.12
    for p in people:
        lo, hi = max(1992, p.by + 16), min(2014, p.death or 2014)
        if lo <= hi and rng.random() < share:
            emit(p, src.passport_latin, rng.randint(lo, hi), dup_args=(rng.randint(lo, hi),))

    # 5. Armenian-script village archives
    if wave in (1948, 1988) and rng.random() < 0.2:
        year = rng.randint(1935, (1987 if wave == 1988 else displaced - 1))
        hid = hids["archive_hy"].get(fam.fid)
        for p in people:
            if p.in_family_at(year) and rng.random() < 0.9:
                emit(p, src.archive_hy, year, hid)

    # 6. community memory list
    if rng.random() < 0.22:
        year = rng.randint(2010, 2023)
        hid = hids["community_list"].get(fam.fid) if rng.random() < 0.5 else ""
        for p in people:
            if p.by <= year and rng.random() < 0.65:
                emit(p, src.community_list, year, hid)

    # 7. humanitarian-aid lists of the 1990s
    if rng.random() < {1988: 0.35, 1948: 0.06, 1918: 0.04}[wave]:
        year = rng.randint(max(1989, displaced), 1999)
        for p in people:
            if p.alive(year) and rng.random() < 0.85:
                unit = p.unit_at(year)
                hid = hids["aid_list"].get(unit)
                emit(p, src.aid_list, year, hid, dup_args=(year, hids["aid_list"].get((unit, p.pid))))


def generate(households: int, seed: int, out_dir: Path) -> dict[str, object]:
    t0 = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    places = build_gazetteer(seed)
    villages = [p for p in places if p.kind == "village"]
    towns = [p for p in places if p.kind == "town"]
    hids = {
        "registry_az": src.HouseholdIds("registry_az", "HH-{n:07d}", seed),
        "household_book": src.HouseholdIds("household_book", "{a}/{b}", seed),
        "russian_docs": src.HouseholdIds("russian_docs", "№{n}", seed),
        "archive_hy": src.HouseholdIds("archive_hy", "{n}", seed),
        "community_list": src.HouseholdIds("community_list", "G{n:07d}", seed),
        "aid_list": src.HouseholdIds("aid_list", "FC-{n:07d}", seed),
    }
    memory = NamesakeMemory()
    counter = [0]
    persons_seen: set[str] = set()
    counts: Counter[str] = Counter()
    hard: Counter[str] = Counter()
    n = 0
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        out = Collector(Path(tmp))
        for fid in range(1, households + 1):
            rng = random.Random(f"{seed}:family:{fid}")
            fam = make_family(fid, rng, villages, towns, memory, counter)
            for p in fam.people:
                hard["twins"] += p.twin
                hard["namesakes_same_village_same_year"] += p.namesake
                hard["named_after_grandfather"] += p.gen == 3 and p.given == fam.people[0].given
                hard["women_married"] += p.sex == "f" and p.married is not None
                hard["modern_surname_ending"] += p.modern_ending is not None
            family_records(fam, rng, hids, out)
        out.close()
        with (
            (out_dir / "INPUT.csv").open("w", encoding="utf-8", newline="") as fi,
            (out_dir / "TRUTH.csv").open("w", encoding="utf-8", newline="") as ft,
        ):
            fi.write(csv_line(src.FIELDS))
            ft.write(csv_line(TRUTH_FIELDS))
            for source in src.SOURCES:
                with (Path(tmp) / f"{source}.spool").open(encoding="utf-8", newline="") as fh:
                    rows = fh.readlines()
                random.Random(f"{seed}:shuffle:{source}").shuffle(rows)
                for row in rows:
                    line, truth = row.split(SEP)
                    n += 1
                    rid = f"R{n:07d},"
                    fi.write(rid + line + "\n")
                    ft.write(rid + truth)
                    persons_seen.add(truth.split(",", 1)[0])
                counts[source] = len(rows)
                del rows
    with (out_dir / "PLACES.csv").open("w", encoding="utf-8", newline="") as fh:
        fh.write(csv_line(PLACE_COLUMNS))
        for place in places:
            cols = place.columns()
            fh.write(csv_line([cols[c] for c in PLACE_COLUMNS]))
    return {
        "households": households,
        "seed": seed,
        "records": n,
        "persons_in_records": len(persons_seen),
        "persons_generated": counter[0],
        "places": len(places),
        "by_source": dict(counts),
        "people_with": dict(hard),
        "seconds": round(time.perf_counter() - t0, 1),
    }
