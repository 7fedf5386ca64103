"""Registry benchmark: import 50,000 households / 250,000 people through the real import
path (with --pages, then also name search, household page and list pages on the loaded
registry: bench/registry_pages.py measures those now, on a registry of its own).

    python -m bench registry                              # 50,000 households, SQLite and PostgreSQL
    python -m bench registry --households 5000 --database sqlite
    python -m bench registry --database sqlite --matching   # also time import matching, apart

Each database runs in its own process group under a hard timeout (--timeout), on a
scratch database (SQLite file under /tmp, PostgreSQL database `yurd_bench_registry`)
that is dropped afterwards, PostgreSQL backends on it terminated first (unless --keep).

The baseline is a bare `executemany` (SQLite) or `COPY` (PostgreSQL) of the same household
and person rows into the same tables, with the same indexes, in the same run. The import
then runs in a fresh process of its own, on the same database, through the real path:
`import_create` + `import_validate` (read, validate, stage) and `import_commit` (households,
people, name-token index, kinship, a history row for each, one transaction). Record
linkage at import (the pre-commit hook of yurd/linkage, issue 4) is not part of this
figure: without --matching it is switched off for the run; with --matching it runs and
its time is reported separately. Peak memory is that process's maximum RSS.
All data is synthetic.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import require_setup, require_staged, run_bounded

SQLITE_PATH = Path(tempfile.gettempdir()) / "yurd-bench-registry.sqlite3"
CSV_PATH = Path(tempfile.gettempdir()) / "yurd-bench-registry.csv"
POSTGRES_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/yurd_bench_registry")
TIMEOUT_SECONDS = 1800
# Every statement of the benchmark's PostgreSQL sessions gives up after this long (a COPY
# once hung here and blocked every DROP DATABASE behind it).
PG_OPTIONS = "-c statement_timeout=600000 -c lock_timeout=60000"

MALE = [
    "Əli",
    "Həsən",
    "Hüseyn",
    "Məmməd",
    "Rəşad",
    "Elçin",
    "Vüqar",
    "İbrahim",
    "Kamran",
    "Tofiq",
    "Nadir",
    "Səməd",
    "Orxan",
    "Fərid",
    "Cavid",
    "Qasım",
    "Rauf",
    "Zaur",
    "Elşən",
    "Nicat",
    "Namiq",
    "Arif",
    "Oqtay",
]
FEMALE = [
    "Gülnarə",
    "Leyla",
    "Aygün",
    "Səbinə",
    "Nərmin",
    "Fatma",
    "Zəhra",
    "Sevinc",
    "Ülviyyə",
    "Xədicə",
    "Aysel",
    "Günel",
    "Rəna",
    "Şəlalə",
    "Mehriban",
    "Könül",
    "Nərgiz",
    "Aynur",
]
SURNAMES = [
    "Məmmədov",
    "Əliyev",
    "Hüseynov",
    "Həsənov",
    "Quliyev",
    "İsmayılov",
    "Cəfərov",
    "Abbasov",
    "Qasımov",
    "Rzayev",
    "Bağırov",
    "Süleymanov",
    "Nəsirov",
    "Orucov",
    "Vəliyev",
    "Kərimov",
    "Babayev",
    "Hacıyev",
    "Musayev",
    "Zeynalov",
    "Əhmədov",
    "Səfərov",
    "Xəlilov",
    "Tağıyev",
    "Qurbanov",
]
WEIGHTS = [14, 12, 9, 8, 7, 5, 4, 4, 3, 3, 3, 3, 2, 2, 2, 3, 3, 3, 2, 2, 2, 1, 2, 1, 2]
RUSSIAN = {
    "Məmmədov": "Мамедов",
    "Əliyev": "Алиев",
    "Hüseynov": "Гусейнов",
    "Həsənov": "Гасанов",
    "Quliyev": "Кулиев",
    "Əli": "Али",
    "Həsən": "Гасан",
    "Hüseyn": "Гусейн",
    "Məmməd": "Мамед",
    "Qasım": "Касум",
    "Fatma": "Фатма",
    "Leyla": "Лейла",
    "Gülnarə": "Гюльнара",
    "Elçin": "Эльчин",
}
# fmt: on


def generate_csv(path: Path, households: int, origins: list[str], residences: list[str]) -> int:
    rng = random.Random(1988)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        from yurd.registry.imports import COLUMNS

        writer.writerow(COLUMNS)
        for number in range(1, households + 1):
            ref = f"B{number:06d}"
            surname = rng.choices(SURNAMES, WEIGHTS)[0]
            origin, current = rng.choice(origins), rng.choice(residences)
            year = rng.choice([1988, 1988, 1989, 1990, 1949, 1950, 1919])
            displacement = rng.choice([f"{year}", f"{rng.randint(1, 12):02d}.{year}"])
            head, spouse = rng.choice(MALE), rng.choice(FEMALE)
            head_birth = year - rng.randint(25, 55)
            members = [
                [f"{ref}-1", surname, head, f"{rng.choice(MALE)} oğlu", "m", f"{rng.randint(1, 28):02d}.0"
                 f"{rng.randint(1, 9)}.{head_birth}", "", "head", "", "", f"{ref}-2"],
                [f"{ref}-2", surname + "a", spouse, f"{rng.choice(MALE)} qızı", "f", str(head_birth + 3), "",
                 "spouse", "", "", f"{ref}-1"],
            ]  # fmt: skip
            for child in range(3):
                female = rng.random() < 0.5
                members.append(
                    [f"{ref}-{child + 3}", surname + ("a" if female else ""), rng.choice(FEMALE if female else MALE),
                     f"{head} {'qızı' if female else 'oğlu'}", "f" if female else "m",
                     f"{head_birth + 22 + child * 2}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                     "", "child", f"{ref}-1", f"{ref}-2", ""]
                )  # fmt: skip
            if rng.random() < 0.3:  # a deceased head in some households
                members[0][6] = str(min(head_birth + 60, 2020))
            for (
                person_ref,
                surname_cell,
                given,
                patronymic,
                sex,
                birth,
                death,
                role,
                father,
                mother,
                spouse_ref,
            ) in members:
                written_surname, written_given = surname_cell, given
                if rng.random() < 0.1 and surname_cell in RUSSIAN and given in RUSSIAN:
                    written_surname, written_given = RUSSIAN[surname_cell], RUSSIAN[given]  # a Russian-language row
                writer.writerow(
                    [ref, person_ref, written_surname, written_given, patronymic, "", sex, birth, "", death, role,
                     father, mother, spouse_ref, origin, "", displacement, current]
                )  # fmt: skip
                rows += 1
    return rows


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def _postgres_admin():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=10)


def drop_database(database: str) -> None:
    """Remove the scratch database; on PostgreSQL end every session on it first."""
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    name = POSTGRES_URL.rsplit("/", 1)[1]
    with _postgres_admin() as conn:
        conn.execute("SET statement_timeout = 60000")
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def fresh_database(database: str) -> None:
    drop_database(database)
    if database == "postgres":
        name = POSTGRES_URL.rsplit("/", 1)[1]
        with _postgres_admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')


def _django(database: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}" if database == "sqlite" else POSTGRES_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def child(database: str, households: int, queries: int, *, matching: bool, pages: bool, profile: bool) -> None:
    fresh_database(database)
    _django(database)
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from yurd.names.collation import sort_text
    from yurd.places import demo as places_demo
    from yurd.places.models import Place, PlaceKind
    from yurd.places.selectors import place_resolve
    from yurd.registry.imports.services import bulk_insert
    from yurd.registry.models import Household, Person

    places_demo.load(households=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    settlements = Place.objects.filter(kind=PlaceKind.SETTLEMENT)
    unique = [place for place in settlements if place_resolve(place.name) == place]
    origins = [place.name for place in unique if place.code.startswith("AM-")]
    residences = [place.name for place in unique if not place.code.startswith("AM-")] or origins
    require_setup(len(origins), "villages of origin with a name of their own")
    rows = generate_csv(CSV_PATH, households, origins, residences)
    print(
        f"### {database}: {households:,} households, {rows:,} people "
        f"({CSV_PATH.stat().st_size / 1e6:.1f} MB CSV); load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )

    # Baseline: the same household and person rows, bare, into the same tables and indexes.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    place_ids = {place.name: place.pk for place in unique}
    household_rows: list[tuple[object, ...]] = []
    person_rows: list[tuple[object, ...]] = []
    with CSV_PATH.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        household_ids: dict[str, int] = {}
        for cells in reader:
            if cells[0] not in household_ids:
                household_ids[cells[0]] = len(household_ids) + 1
                household_rows.append(
                    (household_ids[cells[0]], now, now, f"X-{cells[0]}", place_ids[cells[14]], None, cells[16], None,
                     place_ids[cells[17]], "baseline", cells[0], "")
                )  # fmt: skip
            person_rows.append(
                (len(person_rows) + 1, now, now, f"X-{cells[1]}", household_ids[cells[0]], cells[10], cells[2],
                 cells[3], cells[4], cells[6], cells[7], "", None, bool(cells[9]), cells[9], "",
                 sort_text(cells[2], cells[3]), "baseline", cells[1])
            )  # fmt: skip
    household_columns = ["id", "created_at", "updated_at", "code", "origin_place_id", "wave_id",
                         "displacement_date", "destination_place_id", "current_place_id", "source", "source_ref",
                         "notes"]  # fmt: skip
    person_columns = ["id", "created_at", "updated_at", "code", "household_id", "household_role", "surname",
                      "given_name", "patronymic", "sex", "birth_date", "birth_place_text", "birth_place_id",
                      "is_deceased", "death_date", "search_text", "name_sort", "source", "source_ref"]  # fmt: skip
    started = time.perf_counter()
    with transaction.atomic():
        bulk_insert(Household._meta.db_table, household_columns, household_rows)
        bulk_insert(Person._meta.db_table, person_columns, person_rows)
    baseline = time.perf_counter() - started
    with connection.cursor() as cursor:
        if database == "postgres":
            cursor.execute(f"TRUNCATE {Person._meta.db_table}, {Household._meta.db_table} CASCADE")
        else:
            with transaction.atomic():
                cursor.execute(f"DELETE FROM {Person._meta.db_table}")  # noqa: S608
                cursor.execute(f"DELETE FROM {Household._meta.db_table}")  # noqa: S608
    del household_rows, person_rows
    method = "executemany" if database == "sqlite" else "COPY"
    print(f"baseline: bare {method} of the same household and person rows: {baseline:.1f} s", flush=True)
    connection.close()

    # The import, in a process of its own (its peak memory is the import's alone).
    command = [sys.executable, "-m", "bench", "registry", "--import-child", database]
    command += ["--matching"] if matching else []
    command += ["--profile"] if profile else []
    completed = subprocess.run(command, check=False, capture_output=True, text=True)
    sys.stderr.write(completed.stderr)
    if completed.returncode:
        raise SystemExit(f"the import process failed (exit {completed.returncode})")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    total = result["stage"] + result["commit"] - result["matching"]
    print(
        f"import through the real path: {total:.1f} s (read+validate+stage {result['stage']:.1f} s, "
        f"commit {result['commit'] - result['matching']:.1f} s) = {total / baseline:.2f} x the bare {method}; "
        f"{result['people']:,} people, {result['households']:,} households, load average {result['load']:.1f}"
    )
    if matching:
        print(f"record linkage at import (pre-commit hook, not counted above): {result['matching']:.1f} s")
    print(f"peak memory of the import process (max RSS): {result['rss_mb']:.0f} MB "
          f"(after start-up: {result['rss_start_mb']:.0f} MB)", flush=True)  # fmt: skip
    if pages:
        measure_pages(database, households, queries, origins)


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_PHASES: dict[str, list[float]] = {}


def _timed(label, function):  # type: ignore[no-untyped-def]
    def run(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            phase = _PHASES.setdefault(label(*args, **kwargs) if callable(label) else label, [0, 0.0])
            phase[0] += 1
            phase[1] += time.perf_counter() - started

    return run


def _profile_commit() -> None:
    """--profile: time each bulk write by table, the other commit phases and the COMMIT itself
    (deferred constraint checks run there), reported on stderr."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    from yurd.registry.imports import bulk, commit

    bulk.bulk_insert = _timed(lambda table, *args, **kwargs: f"bulk_insert {table}", bulk.bulk_insert)
    for name in ("index_new_people", "_staged_valid_rows", "reserve_ids", "allocate_codes", "source_people"):
        if hasattr(commit, name):
            setattr(commit, name, _timed(name, getattr(commit, name)))
    BaseDatabaseWrapper.commit = _timed("COMMIT", BaseDatabaseWrapper.commit)


def import_child(database: str, *, matching: bool, profile: bool = False) -> None:
    """Run the import alone and print its figures as one JSON line."""
    _django(database)
    from yurd.core.actors import system_actor
    from yurd.registry.imports import commit, services

    # Linux carries the peak RSS of the forking process over exec: reset it, so the figure
    # is this process's own (`VmHWM`; getrusage's maxrss keeps the inherited value).
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    rss_start = peak_rss_mb()
    hooks = list(commit._pre_commit_hooks)
    commit._pre_commit_hooks.clear()
    spent = [0.0]
    if matching:

        def timed(hook):  # type: ignore[no-untyped-def]
            def run(batch, rows):  # type: ignore[no-untyped-def]
                started = time.perf_counter()
                decision = hook(batch, rows)
                spent[0] += time.perf_counter() - started
                if decision is not None and decision.after_write is not None:
                    after = decision.after_write

                    def after_write(person_ids):  # type: ignore[no-untyped-def]
                        started = time.perf_counter()
                        after(person_ids)
                        spent[0] += time.perf_counter() - started

                    decision.after_write = after_write
                return decision

            return run

        for hook in hooks:
            services.register_pre_commit_hook(timed(hook))
    if profile:
        _profile_commit()
    data = CSV_PATH.read_bytes()
    started = time.perf_counter()
    batch = services.import_create(actor=system_actor(), data=data, file_name=CSV_PATH.name, source="bench")
    del data
    batch = services.import_validate(batch=batch)
    staged = time.perf_counter() - started
    require_staged(batch)
    started = time.perf_counter()
    batch = services.import_commit(actor=system_actor(), batch=batch)
    committed = time.perf_counter() - started
    assert batch.rejected_rows == 0, batch.rejected_rows
    if profile:
        for label, (calls, seconds) in sorted(_PHASES.items(), key=lambda item: -item[1][1]):
            print(f"  profile: {label}: {seconds:.2f} s in {calls} calls", file=sys.stderr)
    print(
        json.dumps(
            {
                "stage": staged,
                "commit": committed,
                "matching": spent[0],
                "people": batch.people_created,
                "households": batch.households_created,
                "rss_mb": peak_rss_mb(),
                "rss_start_mb": rss_start,
                "load": os.getloadavg()[0],
            }
        )
    )


def measure_pages(database: str, households: int, queries: int, origins: list[str]) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from yurd.accounts.models import User
    from yurd.accounts.roles import Role, sync_role_groups
    from yurd.places.models import Place
    from yurd.registry.models import Household, Person
    from yurd.registry.search import registry_search

    if database == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # Search: names in Latin, Russian Cyrillic, typos and typing prefixes.
    rng = random.Random(7)
    user = User.objects.create_user("bench-registrar", password="x" * 16, full_scope=True)
    sync_role_groups()
    from django.contrib.auth.models import Group

    user.groups.set([Group.objects.get(name=Role.REGISTRAR)])
    user = User.objects.get(pk=user.pk)
    sample = list(Person.objects.order_by("?").values_list("surname", "given_name")[:queries])
    workload: list[tuple[str, str]] = []
    for surname, given in sample:
        workload.append(("latin", f"{surname} {given}"))
        workload.append(("russian", f"{RUSSIAN.get(surname.rstrip('a'), surname)} {RUSSIAN.get(given, given)}"))
        typo_position = rng.randint(1, max(1, len(surname) - 2))
        workload.append(("typo", f"{surname[:typo_position]}{surname[typo_position + 1 :]} {given}"))
        workload.append(("prefix", f"{surname[:4]} {given[:3]}"))
    timings: dict[str, list[float]] = {}
    found = 0
    for kind, query in workload:
        started = time.perf_counter()
        result = registry_search(user=user, query=query)
        timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        found += bool(result.people)
    every = [value for values in timings.values() for value in values]
    print("| name search | queries | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    for label, values in [*timings.items(), ("all", every)]:
        print(f"| {label} | {len(values)} | {statistics.median(values):.1f} | {p95(values):.1f} | {max(values):.1f} |")
    print(f"searches with at least one result: {found}/{len(workload)}")

    # Pages, through the full Django stack (middleware, session, templates, access log).
    client = Client()
    client.force_login(user)
    codes = list(Household.objects.order_by("?").values_list("code", flat=True)[:100])
    origin = Place.objects.get(name=origins[0]).pk
    pages = {
        "household page": [f"/registry/households/{code}/" for code in codes],
        "household list": [f"/registry/?page={rng.randint(1, households // 50)}" for _ in range(50)],
        "household list, filtered": [f"/registry/?origin_place={origin}&wave=&consent=no" for _ in range(50)],
        "person list, deceased": [f"/registry/people/?deceased=yes&page={rng.randint(1, 50)}" for _ in range(50)],
    }
    print("| page | requests | queries (max) | p50 ms | p95 ms |")
    print("|---|---|---|---|---|")
    for label, urls in pages.items():
        times, counts = [], []
        for url in urls:
            reset_queries()
            with CaptureQueriesContext(connection) as context:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            counts.append(len(context.captured_queries))
        print(f"| {label} | {len(urls)} | {max(counts)} | {statistics.median(times):.1f} | {p95(times):.1f} |")


def run_database(database: str, options: argparse.Namespace) -> int:
    """One database in its own process group, killed after --timeout; scratch DB dropped."""
    command = [sys.executable, "-m", "bench", "registry", "--child", database]
    command += ["--households", str(options.households), "--queries", str(options.queries)]
    command += ["--matching"] if options.matching else []
    command += [] if options.pages else ["--no-pages"]
    command += ["--profile"] if options.profile else []
    environment = {**os.environ, "PGOPTIONS": PG_OPTIONS}
    try:
        return run_bounded(command, timeout=options.timeout, label=f"bench registry: {database}", env=environment)
    finally:
        if not options.keep:
            drop_database(database)
            CSV_PATH.unlink(missing_ok=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=100, help="People sampled; each gives four searches.")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--matching", action="store_true", help="Run import matching too and time it apart.")
    parser.add_argument(
        "--pages",
        action="store_true",
        help="Then also the old search and page measurements (bench/registry_pages.py measures those now).",
    )
    parser.add_argument("--no-pages", dest="pages", action="store_false", help="The import only (the default).")
    parser.add_argument("--timeout", type=int, default=TIMEOUT_SECONDS, help="Seconds per database (hard limit).")
    parser.add_argument(
        "--profile", action="store_true", help="Time each phase of the import (bulk writes by table, COMMIT)."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database afterwards.")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--import-child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.import_child:
        import_child(options.import_child, matching=options.matching, profile=options.profile)
        return 0
    if options.child:
        child(
            options.child,
            options.households,
            options.queries,
            matching=options.matching,
            pages=options.pages,
            profile=options.profile,
        )
        return 0
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    status = 0
    for database in databases:
        status |= run_database(database, options)
    return status


if __name__ == "__main__":
    sys.exit(main())
