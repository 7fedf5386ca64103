"""Public codes are allocated without gaps or collisions, also under concurrency."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from yurd.registry.codes import allocate_code, allocate_codes


@pytest.mark.django_db
def test_codes_are_sequential_and_formatted() -> None:
    with transaction.atomic():
        assert allocate_code("household") == "HH-000001"
        assert allocate_codes("household", 2) == ["HH-000002", "HH-000003"]
        assert allocate_code("person") == "P-0000001"


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError):
        allocate_code("household")


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_share_a_code() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race needs a server database.")
    codes: list[str] = []
    errors: list[BaseException] = []
    with transaction.atomic():
        allocate_code("household")  # the sequence row exists before the race

    def worker() -> None:
        try:
            for _attempt in range(10):
                with transaction.atomic():
                    codes.append(allocate_code("household"))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _thread in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(codes) == len(set(codes)) == 40
