"""Case numbers come from the code sequences every public code uses: per year, never shared."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from yurd.claims.services.case_numbers import issue_case_number
from yurd.registry.codes import allocate_code
from yurd.registry.models import CodeSequence


@pytest.mark.django_db
def test_case_numbers_count_per_year_beside_other_codes() -> None:
    with transaction.atomic():
        assert allocate_code("household") == "HH-000001"
        assert issue_case_number(year=2031) == "CL-2031-000001"
        assert issue_case_number(year=2031) == "CL-2031-000002"
        assert issue_case_number(year=2032) == "CL-2032-000001"
    assert CodeSequence.objects.get(name="claim_case_2031").last == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_of_a_new_year_never_share_a_case_number() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race needs a server database.")
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker() -> None:
        try:
            start.wait()
            for _attempt in range(10):
                with transaction.atomic():
                    numbers.append(issue_case_number(year=2033))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    # No sequence row for 2033 yet: the first filings race to create it as well.
    threads = [threading.Thread(target=worker) for _thread in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(numbers) == [f"CL-2033-{number:06d}" for number in range(1, 41)]


@pytest.mark.django_db(transaction=True)
def test_the_move_from_claims_counters_keeps_the_next_number_both_ways() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    before = [("claims", "0009_letters_sent")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        old.get_model("claims", "CaseNumberSequence").objects.create(year=2031, last=41)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("claims", "0011_delete_casenumbersequence")])
        with transaction.atomic():
            assert issue_case_number(year=2031) == "CL-2031-000042"
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        assert old.get_model("claims", "CaseNumberSequence").objects.get(year=2031).last == 42
        assert not CodeSequence.objects.filter(name="claim_case_2031").exists()
    finally:
        # The schema is shared by the later tests of this worker: leave every app at its latest migration.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
