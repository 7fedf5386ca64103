"""Claims benchmark: the progress dashboard and a cohort decision at full programme scale.

    python -m bench claims                                  # 50,000 households, 20,000 decided claims, both databases
    python -m bench claims --households 5000 --decided 2000 --database sqlite   # a quick run

Data are written in bulk (synthetic), then measured through the real code paths:
  * GET /claims/progress/ through Django's test client (full view, template and queries),
    as a full-scope analyst and as a registrar scoped to one district: p50/p95/max;
  * cohort_apply() on --cohort assessed files (each gets an approval event, a decision
    with its content hash, compensation rows, a history row and a decide event).
Each database runs in its own process on a scratch database, rebuilt every run
(SQLite file under /tmp, PostgreSQL database `yurd_bench_claims`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from bench import require_setup

SQLITE_PATH = Path(tempfile.gettempdir()) / "yurd-bench-claims.sqlite3"
POSTGRES_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/yurd_bench_claims")

TABLE = """record,category,region,year,unit,unit_value,currency,sequence,label,factor
rate,dwelling,,1988,m2,85,SUR,,,
rate,land,,1988,ha,1200,SUR,,,
rate,livestock,,,head,900,AZN,,,
rate,departure,,,lump,2500,AZN,,,
index,,,1988,,,,1,SUR to AZN,0.0002
index,,,1988,,,,2,Inflation 1988 to 2026,4350
"""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def child(database: str, households: int, decided: int, cohort: int, requests: int) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}" if database == "sqlite" else POSTGRES_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    import io

    from yurd.accounts.roles import Role
    from yurd.claims.models import Claim, ClaimEvent, ClaimStatus, Decision, LossCategory, LossItem
    from yurd.claims.services.assessment import claim_assess
    from yurd.claims.services.cohorts import cohort_apply, cohort_get_or_create, cohort_set_precedent
    from yurd.claims.services.decisions import claim_decide
    from yurd.claims.services.filing import ClaimantShare, claim_create, loss_item_add
    from yurd.claims.services.workflow import TRANSITION_SERVICES, claim_approve
    from yurd.claims.valuation import TableLookup, valuation_import_apply, valuation_import_stage
    from yurd.core.actors import Actor, system_actor
    from yurd.places.models import PlaceKind
    from yurd.registry.models import Household, Person, Wave
    from yurd.testing.personas import make_place, make_scoped_user, make_user

    generator = random.Random(2026)
    actor = system_actor()
    staged = valuation_import_stage(
        actor=actor, file=io.BytesIO(TABLE.encode()), filename="bench.csv", name="Bench", currency="AZN"
    )
    table = valuation_import_apply(actor=actor, staged=staged)
    lookup = TableLookup.load(table)
    categories = {category.code: category for category in LossCategory.objects.all()}
    waves = []
    for code, name, start, end in [
        ("1918-1920", "1918–1920", 1918, 1920),
        ("1948-1953", "1948–1953", 1948, 1953),
        ("1987-1991", "1987–1991", 1987, 1991),
    ]:
        wave, _created = Wave.objects.get_or_create(
            code=code, defaults={"name": name, "year_from": start, "year_to": end}
        )
        waves.append(wave)
    country = make_place("BC", "Bench country", PlaceKind.COUNTRY)
    regions = [make_place(f"BC-R{r}", f"Region {r}", PlaceKind.REGION, country) for r in range(2)]
    districts = [make_place(f"BC-D{d:02d}", f"District {d:02d}", PlaceKind.DISTRICT, regions[d % 2]) for d in range(20)]
    settlements = [
        make_place(f"BC-S{s:03d}", f"Settlement {s:03d}", PlaceKind.SETTLEMENT, districts[s % 20]) for s in range(400)
    ]

    with transaction.atomic():
        rows = [
            Household(
                code=f"HH-{number:06d}",
                origin_place=settlements[number % 400],
                wave=waves[2] if number % 10 else waves[number % 20 // 10],
                current_place=settlements[(number * 7) % 400],
            )
            for number in range(1, households + 1)
        ]
        Household.objects.bulk_create(rows, batch_size=5000)
    household_ids = list(Household.objects.order_by("id").values_list("id", flat=True))
    now = dt.datetime.now(dt.UTC)

    # Decided files, files at every other step, and closed files that must never count.
    plan = [ClaimStatus.DECIDED] * decided
    plan += [
        ClaimStatus.DRAFT,
        ClaimStatus.SUBMITTED,
        ClaimStatus.DOCUMENTS_VERIFIED,
        ClaimStatus.ASSESSED,
        ClaimStatus.APPROVED,
    ] * (decided // 20)
    plan += [ClaimStatus.ANNULLED, ClaimStatus.WITHDRAWN, ClaimStatus.RETURNED] * (decided // 40)
    chosen = generator.sample(household_ids, min(len(plan), len(household_ids)))
    with transaction.atomic():
        claims = []
        for number, (household_id, status) in enumerate(zip(chosen, plan, strict=False), start=1):
            decided_at = (
                now - dt.timedelta(hours=generator.randint(0, 52 * 7 * 24)) if status == ClaimStatus.DECIDED else None
            )
            claims.append(
                Claim(
                    case_number=f"CL-2025-{number:06d}",
                    household_id=household_id,
                    status=status,
                    secret_hash="0" * 64,
                    total_value=Decimal(generator.randint(1000, 90000)),
                    currency="AZN",
                    valuation_table=table,
                    decided_at=decided_at,
                    assessed_at=decided_at,
                )
            )
        for claim in claims:
            if claim.decided_at is not None:
                claim.mark_decided(claim.decided_at)
        Claim.objects.bulk_create(claims, batch_size=5000)
        claim_ids = list(Claim.objects.values_list("id", flat=True))
        items = []
        codes = ["dwelling", "land", "livestock", "departure"]
        for claim_id in claim_ids:
            items.extend(
                LossItem(
                    claim_id=claim_id,
                    category=categories[code],
                    place=settlements[claim_id % 400],
                    reference=f"Item {claim_id}",
                    property_key=f"{code}:{claim_id}",
                    quantity=Decimal(10),
                    unit="m2",
                    price_year=1988,
                    amount=Decimal(generator.randint(500, 40000)),
                )
                for code in generator.sample(codes, generator.randint(1, 2))
            )
        LossItem.objects.bulk_create(items, batch_size=5000)
    generated = time.perf_counter() - started
    require_setup(len(household_ids), "households", expected=households)
    require_setup(len(claim_ids), "claims")
    require_setup(len(items), "loss items")
    print(
        f"\n## {database}: {households:,} households, {Claim.objects.count():,} claims ({decided:,} decided), "
        f"{len(items):,} loss items (set-up {generated:.0f} s)\n"
    )

    # Fresh statistics, as a live database has them (autovacuum / a periodic ANALYZE).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyst = make_user("bench-analyst", Role.ANALYST)
    registrar = make_scoped_user("bench-registrar", Role.REGISTRAR, districts[3])
    timings: dict[str, list[float]] = {}
    # CPU time of this process per request: on SQLite all the work (the database runs
    # in-process), so it shows the cost without other processes competing for the cores.
    cpu_timings: dict[str, list[float]] = {}
    for label, user in (
        ("progress dashboard, full scope (analyst)", analyst),
        ("progress dashboard, one district (registrar)", registrar),
    ):
        client = Client()
        client.force_login(user)
        for _warm in range(2):
            assert client.get("/claims/progress/").status_code == 200
        values = []
        cpu = []
        for _request in range(requests):
            begin, begin_cpu = time.perf_counter(), time.process_time()
            response = client.get("/claims/progress/")
            values.append((time.perf_counter() - begin) * 1000)
            cpu.append((time.process_time() - begin_cpu) * 1000)
            assert response.status_code == 200
        timings[label] = values
        cpu_timings[label] = cpu

    # A cohort of assessed files: one settlement, one wave, dwellings only, each valued under the table.
    origin = settlements[399]
    assessor = make_user("bench-assessor", Role.ASSESSOR)
    reviewer = make_user("bench-reviewer", Role.REVIEWER)
    precedent_reviewer = make_user("bench-reviewer-2", Role.REVIEWER)
    with transaction.atomic():
        cohort_households = Household.objects.bulk_create(
            [Household(code=f"HH-C{number:05d}", origin_place=origin, wave=waves[2]) for number in range(cohort + 1)]
        )
        people = Person.objects.bulk_create(
            [
                Person(code=f"P-C{number:06d}", household=household, household_role="head", surname="Bench")
                for number, household in enumerate(cohort_households)
            ]
        )
    precedent_claim, _secret = claim_create(
        actor=actor, household=cohort_households[0], claimants=[ClaimantShare(people[0], 1)]
    )  # type: ignore[list-item]
    loss_item_add(
        actor=actor,
        claim=precedent_claim,
        expected_version=precedent_claim.version,
        category=categories["dwelling"],
        place=origin,
        reference="House 0",
        quantity=Decimal(100),
        unit="m2",
        price_year=1988,
    )
    for step in ("submit", "verify_documents"):
        precedent_claim.refresh_from_db()
        TRANSITION_SERVICES[step](actor=actor, claim=precedent_claim, expected_version=precedent_claim.version)
    precedent_claim.refresh_from_db()
    claim_assess(actor=Actor(user=assessor), claim=precedent_claim, expected_version=precedent_claim.version)
    precedent_claim.refresh_from_db()
    claim_approve(actor=Actor(user=precedent_reviewer), claim=precedent_claim, expected_version=precedent_claim.version)
    precedent_claim.refresh_from_db()
    precedent = claim_decide(
        actor=Actor(user=precedent_reviewer), claim=precedent_claim, expected_version=precedent_claim.version
    )
    cohort_record = cohort_get_or_create(origin=origin, wave=waves[2], category=categories["dwelling"])
    cohort_set_precedent(actor=Actor(user=precedent_reviewer), cohort=cohort_record, decision=precedent)
    from yurd.claims.models import Claimant

    with transaction.atomic():
        files = Claim.objects.bulk_create(
            [
                Claim(
                    case_number=f"CL-2026-C{number:05d}",
                    household=household,
                    status=ClaimStatus.ASSESSED,
                    secret_hash="0" * 64,
                    currency="AZN",
                    valuation_table=table,
                    assessed_by=assessor,
                    assessed_at=now,
                )
                for number, household in enumerate(cohort_households[1:], start=1)
            ]
        )
        Claimant.objects.bulk_create(
            [
                Claimant(claim=claim, person=person, share_numerator=1, share_denominator=1)
                for claim, person in zip(files, people[1:], strict=True)
            ]
        )
        cohort_items = []
        for number, claim in enumerate(files, start=1):
            item = LossItem(
                claim=claim,
                category=categories["dwelling"],
                place=origin,
                reference=f"House {number}",
                quantity=Decimal(60 + number % 150),
                unit="m2",
                price_year=1988,
            )
            item.property_key = f"dwelling:{origin.code}:{claim.household.code}:house-{number}"
            valuation = lookup.value(item)
            item.amount = valuation.amount
            item.valuation = {**valuation.as_dict(), "table_version": table.version}
            claim.total_value = valuation.amount
            cohort_items.append(item)
        LossItem.objects.bulk_create(cohort_items)
        Claim.objects.bulk_update(files, ["total_value"])
    require_setup(len(files), "assessed claims in the cohort", expected=cohort)
    events_before = ClaimEvent.objects.count()
    profiler = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    begin = time.perf_counter()
    batch = cohort_apply(
        actor=Actor(user=reviewer),
        cohort=cohort_record,
        confidence=Decimal("0.95"),
        margin=Decimal("0.05"),
        reason="Bench",
        seed=1,
    )
    cohort_seconds = time.perf_counter() - begin
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    assert batch.decided_count == cohort, (batch.decided_count, batch.skipped[:3])
    assert Decision.objects.filter(batch=batch).count() == cohort
    events = ClaimEvent.objects.count() - events_before
    history = Claim.history.filter(status=ClaimStatus.DECIDED, case_number__startswith="CL-2026-C").count()

    print("| operation | runs | p50 ms | p95 ms | max ms | p95 CPU ms (this process) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, values in timings.items():
        row = f"| {label} | {len(values)} | {statistics.median(values):.0f} | {p95(values):.0f} | {max(values):.0f}"
        print(f"{row} | {p95(cpu_timings[label]):.0f} |")
    print(f"\nload average during the run: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
    print(
        f"\ncohort decision: {batch.decided_count:,} files decided in {cohort_seconds:.1f} s "
        f"({events:,} events, {history:,} history rows, QC sample {batch.qc_sample_size}); "
        f"connection: {connection.vendor}"
    )


def prepare_database(database: str) -> bool:
    if database == "sqlite":
        SQLITE_PATH.unlink(missing_ok=True)
        return True
    try:
        import psycopg

        name = POSTGRES_URL.rsplit("/", 1)[1]
        with psycopg.connect(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=3) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        # Emptied in place rather than dropped: DROP DATABASE waits for every backend on
        # the server, and the development server is shared.
        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        return True
    except Exception as error:
        print(f"PostgreSQL not reachable ({error}); skipping it.")
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--decided", type=int, default=20_000)
    parser.add_argument("--cohort", type=int, default=1000, help="Files in the cohort decision.")
    parser.add_argument("--requests", type=int, default=40, help="Dashboard requests measured per user.")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, options.households, options.decided, options.cohort, options.requests)
        return 0
    status = 0
    for database in ["sqlite", "postgres"] if options.database == "both" else [options.database]:
        if not prepare_database(database):
            continue
        command = [
            sys.executable,
            "-m",
            "bench",
            "claims",
            "--child",
            database,
            "--households",
            str(options.households),
        ]
        command += [
            "--decided",
            str(options.decided),
            "--cohort",
            str(options.cohort),
            "--requests",
            str(options.requests),
        ]
        status |= subprocess.run(command, check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
