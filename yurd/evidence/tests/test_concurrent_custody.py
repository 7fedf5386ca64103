from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from yurd.core.actors import system_actor
from yurd.evidence.integrity import verify_chain
from yurd.evidence.models import CustodyEntry
from yurd.evidence.services import custody_append

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises writers")
def test_concurrent_appends_never_fork_the_chain() -> None:
    custody_append(actor=system_actor(), action="view", item_sha256="0" * 64)
    errors: list[BaseException] = []

    def append_many(worker: int) -> None:
        try:
            for number in range(10):
                custody_append(actor=system_actor(), action="view", item_sha256=f"{worker}{number}".rjust(64, "0"))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append_many, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(CustodyEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 42))
    assert list(verify_chain()) == []
