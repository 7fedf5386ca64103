"""Gazetteer search benchmark: place_search and place_resolve on a scaled synthetic gazetteer.

    python -m bench places                          # 5,000 places, SQLite and PostgreSQL
    python -m bench places --places 20000 --database sqlite

The demo gazetteer (yurd/places/data/synthetic_gazetteer.csv) is loaded through the real
import path, then scaled with generated settlements (five names each: az-Latn, az-Cyrl,
ru, hy, romanisation) written in bulk. Queries mix exact names in every script, typing
prefixes and one-letter typos. Each database runs in its own process on a scratch
database (SQLite file under /tmp, PostgreSQL database `yurd_bench_places`).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import require_setup

SQLITE_PATH = Path(tempfile.gettempdir()) / "yurd-bench-places.sqlite3"
POSTGRES_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/yurd_bench_places")

PREFIXES = ["", "Yuxarı ", "Aşağı ", "Böyük ", "Kiçik ", "Yeni ", "Köhnə ", "Orta ", "Qara ", "Ağ "]
SUFFIXES = ["", "li", "kənd", "bulaq", "dərə", "oba", "yurd", "çay", "təpə", "düz"]
AZ_CYRL = dict(zip("əqğgxcçşıöüh yjabdefiklmnoprstuvz", "әгғҝхҹчшыөүһ јжабдефиклмнопрстувз", strict=True))
RU = dict(zip("əqğgxcçşıöühyjabdefiklmnoprstuvz", "агггхдчшыоюхйжабдефиклмнопрстувз", strict=True))
HY = dict(zip("əqğgxcçşıöühyjabdefiklmnoprstuvz", "ագղգխջչշըօուհյժաբդեֆիկլմնոպրստվզ", strict=True))


def transliterate(text: str, table: dict[str, str]) -> str:
    out = "".join(table.get(char.lower(), char) for char in text)
    return " ".join(word[:1].upper() + word[1:] for word in out.split(" "))


def child(database: str, places: int, queries: int) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}" if database == "sqlite" else POSTGRES_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from yurd.core.actors import system_actor
    from yurd.places.demo import DATA_FILE
    from yurd.places.importing import CSV_FORMAT
    from yurd.places.models import Place, PlaceKind, PlaceName
    from yurd.places.models import folded_search_key as search_key
    from yurd.places.selectors import place_resolve, place_search
    from yurd.places.services import place_file_read, place_rows_commit

    with connection.cursor() as cursor:  # a clean gazetteer each run
        for table in ("places_historicalplacename", "places_historicalplace", "places_placename"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    Place.objects.filter(kind=PlaceKind.SETTLEMENT).delete()
    for kind in (PlaceKind.DISTRICT, PlaceKind.REGION, PlaceKind.COUNTRY):
        Place.objects.filter(kind=kind).delete()
    started = time.perf_counter()
    _parsed, valid = place_file_read(data=DATA_FILE.read_bytes(), file_format=CSV_FORMAT)
    place_rows_commit(actor=system_actor(), rows=valid)
    demo_seconds = time.perf_counter() - started
    require_setup(Place.objects.count(), "places from the demo gazetteer", expected=len(valid))

    rng = random.Random(11)
    roots = list(Place.objects.filter(kind=PlaceKind.SETTLEMENT).values_list("name", flat=True))
    districts = list(Place.objects.filter(kind=PlaceKind.DISTRICT))
    combinations = [(prefix, root, suffix) for prefix in PREFIXES for root in roots for suffix in SUFFIXES]
    rng.shuffle(combinations)
    wanted = max(0, places - Place.objects.count())
    started = time.perf_counter()
    new_places = []
    for index, (prefix, root, suffix) in enumerate(combinations[:wanted]):
        district = rng.choice(districts)
        new_places.append(
            Place(
                code=f"BENCH-{index:06d}",
                kind=PlaceKind.SETTLEMENT,
                parent=district,
                name=f"{prefix}{root}{suffix}",
                search_key=search_key(f"{prefix}{root}{suffix}"),
                source="synthetic benchmark",
            )
        )
    Place.objects.bulk_create(new_places, batch_size=1000)
    created = list(Place.objects.filter(code__startswith="BENCH-").select_related("parent"))
    for place in created:
        place.path = place.expected_path()
    Place.objects.bulk_update(created, ["path"], batch_size=1000)
    names = []
    for place in created:
        for language, text in (
            ("az-Latn", place.name),
            ("az-Cyrl", transliterate(place.name, AZ_CYRL)),
            ("ru", transliterate(place.name, RU)),
            ("hy", transliterate(place.name, HY)),
            ("en", place.name.translate(str.maketrans("əğıöüşçq", "agiousch"))),
        ):
            names.append(PlaceName(place=place, text=text, language=language, search_key=search_key(text)))
    PlaceName.objects.bulk_create(names, batch_size=1000, ignore_conflicts=True)
    scale_seconds = time.perf_counter() - started
    total_places, total_names = Place.objects.count(), PlaceName.objects.count()
    if wanted:
        require_setup(len(created), "generated places")

    sample = list(PlaceName.objects.values_list("text", flat=True).order_by("?")[:queries])
    workload = []
    for text in sample:
        workload.append(("exact", text))
        workload.append(("prefix", text[: max(3, len(text) // 2)]))
        if len(text) > 5:
            position = rng.randrange(2, len(text) - 1)
            workload.append(("typo", text[:position] + text[position + 1] + text[position] + text[position + 2 :]))
    place_search("warm up")
    timings: dict[str, list[float]] = {}
    found = 0
    for label, query in workload:
        started = time.perf_counter()
        results = place_search(query)
        timings.setdefault(label, []).append((time.perf_counter() - started) * 1000)
        found += bool(results)
    resolve_times = []
    for text in sample[:200]:
        started = time.perf_counter()
        place_resolve(f"{text} k.")
        resolve_times.append((time.perf_counter() - started) * 1000)

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)

    every = [value for values in timings.values() for value in values]
    print(f"### {database}: {total_places} places, {total_names} names")
    print(f"demo gazetteer through the import path: {demo_seconds:.2f} s; bulk scaling: {scale_seconds:.2f} s")
    print("| operation | queries | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    for label, values in [*timings.items(), ("all searches", every), ("place_resolve", resolve_times)]:
        print(f"| {label} | {len(values)} | {statistics.median(values):.1f} | {p95(values):.1f} | {max(values):.1f} |")
    print(f"searches with at least one result: {found}/{len(workload)}")


def ensure_postgres_database() -> bool:
    """A fresh scratch database each run, so schema changes between runs cannot break it."""
    try:
        import psycopg

        name = POSTGRES_URL.rsplit("/", 1)[1]
        with psycopg.connect(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except Exception as error:
        print(f"PostgreSQL not reachable ({error}); skipping it.")
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--places", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=300, help="Names sampled; each gives up to three queries.")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, options.places, options.queries)
        return 0
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    status = 0
    SQLITE_PATH.unlink(missing_ok=True)
    for database in databases:
        if database == "postgres" and not ensure_postgres_database():
            continue
        command = [sys.executable, "-m", "bench", "places", "--child", database]
        command += ["--places", str(options.places), "--queries", str(options.queries)]
        status |= subprocess.run(command, check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
