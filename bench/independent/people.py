"""Households of three generations, with the naming habits that make linkage hard.

A *family* (the truth household) has a grandfather and usually a grandmother (generation
1), their children (generation 2: sons stay and marry, daughters marry out and change
surname), the sons' wives, and the sons' children (generation 3). Habits modelled:

* a few surnames dominate each village; wives come from the village's surnames too;
* the first grandson is often named after his grandfather, so cousins born a few years
  apart share given name and surname; granddaughters after their grandmother;
* twins (often Həsən and Hüseyn) share a birth date;
* a namesake is now and then born in another family of the same village, same surname
  and given name, the same year (``NamesakeMemory``);
* birth dates of people born long ago are often known by year only;
* after 1993 some younger people took a -lı or -zadə surname instead of -ov;
* people born after the family's displacement were born in a town in Azerbaijan.
"""

from __future__ import annotations

import bisect
import functools
import random
from dataclasses import dataclass, field

from .names import SURNAME_STEMS, names_for
from .places import Place

WAVES = ((1918, 0.12), (1948, 0.26), (1988, 0.62))
ENDINGS = (("ov", 0.88), ("li", 0.06), ("zade", 0.03), ("none", 0.03))
TWIN_NAMES = {"m": [("Həsən", "Hüseyn")], "f": [("Fatma", "Zəhra"), ("Leyla", "Məryəm")]}
THIS_YEAR = 2024
GEN2_SIZES = [(1, 30), (2, 33), (3, 20), (4, 10), (5, 5), (6, 2)]  # children of the grandparents
GEN3_SIZES = [(1, 34), (2, 36), (3, 19), (4, 8), (5, 3)]  # children of a son


@dataclass(slots=True)
class Person:
    pid: str
    fam: int
    gen: int
    sex: str  # "m" or "f"
    given: str
    father: str  # father's given name (Azerbaijani Latin)
    stem: str  # surname stem at birth
    ending: str
    by: int
    bm: int | None
    bd: int | None
    birthplace: Place
    unit: str  # nuclear unit the person was born into (or, for wives, married into)
    death: int | None = None
    married: int | None = None  # year of marriage
    spouse_stem: str = ""  # for women: the husband's surname, taken at marriage
    spouse_ending: str = "ov"
    married_unit: str = ""  # unit after marriage
    married_in: bool = False  # a wife who joined the family at marriage
    modern_ending: str | None = None  # -lı / -zadə taken after 1993
    twin: bool = False
    namesake: bool = False

    def alive(self, year: int) -> bool:
        return self.by <= year and (self.death is None or self.death >= year)

    def surname_at(self, year: int) -> tuple[str, str]:
        if self.sex == "f" and self.married is not None and year >= self.married and self.spouse_stem:
            stem, ending = self.spouse_stem, self.spouse_ending
        else:
            stem, ending = self.stem, self.ending
        if self.modern_ending and year >= 1994 and stem == self.stem:
            ending = self.modern_ending
        return stem, ending

    def unit_at(self, year: int) -> str:
        if self.married is not None and year >= self.married and self.married_unit:
            return self.married_unit
        return self.unit

    def in_family_at(self, year: int) -> bool:
        """Living in the family's house in ``year`` (for household books and family lists)."""
        if not self.alive(year):
            return False
        if self.married_in:
            return self.married is not None and year >= self.married
        return not (self.sex == "f" and self.married is not None and year >= self.married)

    @property
    def name_key(self) -> str:
        return f"{self.given}|{self.stem}"


@dataclass
class Family:
    fid: int
    wave: int
    displaced: int  # year the family left
    village: Place
    town: Place  # where it settled in Azerbaijan
    stem: str
    ending: str
    people: list[Person] = field(default_factory=list)


class NamesakeMemory:
    """Recent (given name, birth date) per village, surname stem and sex, for namesakes."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str, str], list[tuple[str, int, int | None, int | None]]] = {}

    def remember(self, village: str, p: Person) -> None:
        key = (village, p.stem, p.sex)
        lst = self.seen.setdefault(key, [])
        lst.append((p.given, p.by, p.bm, p.bd))
        if len(lst) > 40:
            del lst[0]

    def pick(self, village: str, stem: str, sex: str, year: int, rng: random.Random):
        lst = self.seen.get((village, stem, sex))
        if not lst:
            return None
        close = [e for e in lst if abs(e[1] - year) <= 3]
        return rng.choice(close) if close else None


_CUMULATIVE: dict[int, tuple[list, list[float], object]] = {}


def _weighted(rng: random.Random, items):
    """One item of ``[(item, weight), ...]`` (the list's cumulative weights are cached)."""
    cached = _CUMULATIVE.get(id(items))
    if cached is None or cached[2] is not items:
        cum: list[float] = []
        total = 0.0
        for _, w in items:
            total += w
            cum.append(total)
        cached = ([i for i, _ in items], cum, items)
        _CUMULATIVE[id(items)] = cached
    pop, cum, _ = cached
    return pop[min(bisect.bisect_left(cum, rng.random() * cum[-1]), len(pop) - 1)]


_GLOBAL_STEMS = [(s[0], s[2]) for s in SURNAME_STEMS]


@functools.cache
def village_stems(village: Place) -> list[tuple[str, float]]:
    """The village's surname distribution: three to five dominant stems, then the country's."""
    rng = random.Random(f"stems:{village.place_id}")
    dominant: list[str] = []
    while len(dominant) < rng.randint(3, 5):
        s = _weighted(rng, _GLOBAL_STEMS)
        if s not in dominant:
            dominant.append(s)
    weights = [(s, 0.6 * w / len(dominant)) for s, w in zip(dominant, (1.6, 1.2, 1.0, 0.7, 0.5), strict=False)]
    total = sum(w for _, w in _GLOBAL_STEMS)
    return weights + [(s, 0.4 * w / total * 1.0) for s, w in _GLOBAL_STEMS]


def _period(year: int, rng: random.Random) -> str:
    if year < 1925:
        return "o" if rng.random() < 0.9 else "m"
    if year < 1958:
        return "m" if rng.random() < 0.85 else rng.choice("on")
    return "n" if rng.random() < 0.8 else "m"


def _date(rng: random.Random, year: int) -> tuple[int, int | None, int | None]:
    unknown = 0.6 if year < 1915 else 0.25 if year < 1940 else 0.03
    if rng.random() < unknown:
        return year, None, None
    return year, rng.randint(1, 12), rng.randint(1, 28)


def make_family(  # noqa: PLR0917
    fid: int,
    rng: random.Random,
    villages: list[Place],
    towns: list[Place],
    memory: NamesakeMemory,
    counter: list[int],
) -> Family:
    wave = _weighted(rng, WAVES)
    displaced = {1918: rng.randint(1918, 1920), 1948: rng.randint(1948, 1953), 1988: rng.randint(1987, 1991)}[wave]
    village = rng.choice(villages)
    town = towns[0] if rng.random() < 0.3 else rng.choice(towns)
    stems = village_stems(village)
    stem = _weighted(rng, stems)
    ending = _weighted(rng, ENDINGS)
    fam = Family(fid, wave, displaced, village, town, stem, ending)
    neighbours = [v for v in villages if v.district is village.district] or [village]

    def new_pid() -> str:
        counter[0] += 1
        return f"P{counter[0]:07d}"

    def birthplace(year: int) -> Place:
        if year < displaced:
            return village if rng.random() < 0.9 else rng.choice(neighbours)
        return town if rng.random() < 0.85 else rng.choice(towns)

    def death(by: int, gen: int) -> int | None:
        d = by + int(rng.gauss(70 + 4 * gen, 11))
        if wave == 1988 and displaced - 1 <= by + 60 <= displaced + 1 and rng.random() < 0.01:
            d = displaced  # died during the expulsion
        return None if d > THIS_YEAR else max(d, by)

    def person(  # noqa: PLR0917
        gen: int,
        sex: str,
        given: str,
        father: str,
        stem_: str,
        ending_: str,
        by: int,
        unit: str,
    ) -> Person:
        y, m, d = _date(rng, by)
        p = Person(new_pid(), fid, gen, sex, given, father, stem_, ending_, y, m, d, birthplace(by), unit)
        p.death = death(by, gen)
        fam.people.append(p)
        return p

    def child_name(sex: str, year: int, avoid: set[str]) -> str:
        pool = [n for n in names_for(sex, _period(year, rng)) if n not in avoid]
        return rng.choice(pool)

    # generation 1
    g1_by = {1918: rng.randint(1855, 1890), 1948: rng.randint(1878, 1912), 1988: rng.randint(1905, 1935)}[wave]
    great = child_name("m", g1_by - 30, set())
    gf = person(1, "m", child_name("m", g1_by, set()), great, stem, ending, g1_by, f"{fid}-{counter[0] + 1}")
    gf.unit = f"{fid}-{gf.pid}"
    units_of = {gf.pid: gf.unit}
    gm = None
    if rng.random() < 0.88:
        gm_by = g1_by + rng.randint(-2, 9)
        gm = person(
            1,
            "f",
            child_name("f", gm_by, set()),
            child_name("m", gm_by - 30, set()),
            _weighted(rng, stems),
            ending,
            gm_by,
            gf.unit,
        )
        gm.married_in = True
        gm.married = gm_by + rng.randint(16, 24)
        gm.spouse_stem, gm.spouse_ending = stem, ending
        gm.married_unit = gf.unit

    def children(father: Person, mother: Person | None, gen: int, count: int, first_by: int) -> list[Person]:
        kids: list[Person] = []
        used: set[str] = set()
        by = first_by
        i = 0
        while i < count and by <= THIS_YEAR - 1:
            twins = rng.random() < 0.025 and i + 1 < count + 1
            sex = "m" if rng.random() < 0.52 else "f"
            if twins:
                pair = rng.choice(TWIN_NAMES[sex])
                names: list[str | None] = (
                    list(pair) if rng.random() < 0.5 else [child_name(sex, by, used), child_name(sex, by, used)]
                )
                if names[0] == names[1]:
                    names[1] = child_name(sex, by, used | {str(names[0])})
            else:
                names = [None]
            date = _date(rng, by)
            for nm in names:
                given = nm
                if given is None:
                    # name after the grandparent of the same sex, or a fresh one
                    if sex == "m" and gen == 3 and "m" not in {k.sex for k in kids} and rng.random() < 0.45:
                        given = gf.given
                    elif sex == "f" and gen == 3 and gm is not None and rng.random() < 0.25:
                        given = gm.given
                    elif sex == "m" and gen == 2 and not kids and rng.random() < 0.3:
                        given = gf.father
                    else:
                        given = child_name(sex, by, used)
                k = person(gen, sex, given, father.given, father.stem, father.ending, by, units_of[father.pid])
                if given in used and not twins and rng.random() < 0.5:
                    k.given = child_name(sex, by, used)
                k.twin = twins
                if twins:
                    k.by, k.bm, k.bd = date
                    k.birthplace = kids[-1].birthplace if kids and kids[-1].twin and kids[-1].by == by else k.birthplace
                if not twins and rng.random() < 0.07:
                    hit = memory.pick(village.place_id, k.stem, sex, by, rng)
                    if hit is not None:
                        k.given, k.by = hit[0], hit[1]
                        k.bm, k.bd = (hit[2], hit[3]) if rng.random() < 0.4 else _date(rng, hit[1])[1:]
                        k.namesake = True
                        k.death = death(k.by, gen)
                used.add(k.given)
                kids.append(k)
                i += 1
            by += rng.randint(1, 4)
        return kids

    base = (gm.by if gm else gf.by) + rng.randint(18, 26)
    gen2 = children(gf, gm, 2, _weighted(rng, GEN2_SIZES), base)
    sons_with_kids = 0
    for c in gen2:
        if c.sex == "f":
            if rng.random() < 0.85:
                c.married = c.by + rng.randint(17, 26)
                c.spouse_stem = _weighted(rng, stems)
                c.spouse_ending = _weighted(rng, ENDINGS)
                c.married_unit = f"{fid}-out-{c.pid}"
            continue
        if rng.random() < 0.75 and sons_with_kids < 2:
            c.married = c.by + rng.randint(21, 30)
            c.married_unit = f"{fid}-{c.pid}"
            units_of[c.pid] = c.married_unit
            w_by = c.by + rng.randint(-1, 7)
            wife = person(
                2,
                "f",
                child_name("f", w_by, set()),
                child_name("m", w_by - 28, set()),
                _weighted(rng, stems),
                _weighted(rng, ENDINGS),
                w_by,
                c.married_unit,
            )
            wife.married_in = True
            wife.married = c.married
            wife.spouse_stem, wife.spouse_ending = c.stem, c.ending
            wife.married_unit = c.married_unit
            if rng.random() < 0.85:
                sons_with_kids += 1
                n3 = _weighted(rng, GEN3_SIZES)
                gen3 = children(c, wife, 3, n3, c.married + rng.randint(1, 3))
                for g in gen3:
                    if g.by >= 1975 and rng.random() < 0.08:
                        g.modern_ending = "li" if rng.random() < 0.7 else "zade"
                    if g.sex == "f" and g.by + 18 < THIS_YEAR and rng.random() < 0.7:
                        g.married = g.by + rng.randint(18, 27)
                        if g.married > THIS_YEAR:
                            g.married = None
                        else:
                            g.spouse_stem = _weighted(rng, stems)
                            g.spouse_ending = _weighted(rng, ENDINGS)
                            g.married_unit = f"{fid}-out-{g.pid}"
                    elif g.sex == "m" and g.by + 27 < THIS_YEAR and rng.random() < 0.6:
                        g.married = g.by + rng.randint(22, 30)
                        g.married_unit = f"{fid}-{g.pid}"
    for p in fam.people:
        if p.gen > 1 and not p.married_in:
            memory.remember(village.place_id, p)
    return fam
