"""Faults that fit in CI's time: the task worker killed (SIGKILL) in the middle of a
registry import, a duplicate scan and an export, then started again.

Each fault is placed deterministically: this test holds a PostgreSQL lock on the table
(or row) the job writes next, waits until the worker's connection is blocked on it,
and kills the worker there. Nothing the job had begun may be visible afterwards, and
a new worker must finish the job (these three are safe to run again) once the dead
worker's lease has run out. `yurd evidence verify` passes at the end of each.

PostgreSQL only: the worker is a separate process, and the SQLite test database lives
in this process's memory. Restarting PostgreSQL itself is in bench/faults.py (other
tests share the server).
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from conftest import load_reference_data
from yurd.accounts.models import User
from yurd.core.actors import system_actor
from yurd.core.jobs import job_start
from yurd.core.models import Job, JobStatus
from yurd.evidence.services import evidence_ingest
from yurd.linkage.models import MatchCandidate
from yurd.linkage.tasks import DUPLICATE_SCAN, duplicate_scan
from yurd.registry.imports import import_create, import_validate
from yurd.registry.models import Household, ImportBatch, ImportStatus, Person
from yurd.registry.tasks import import_commit_start
from yurd.registry.tests.conftest import register
from yurd.reports.exports import EXPORT_JOB, export_directory, run_export
from yurd.reports.models import ExportFormat, ExportKind, ExportRequest
from yurd.testing.installations import ON_POSTGRES
from yurd.testing.personas import Gazetteer

YURD = str(Path(sys.executable).with_name("yurd"))
LEASE = 1.5
TIMEOUT = 180.0

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="the worker process needs a database it can share: PostgreSQL suite"),
    pytest.mark.django_db(transaction=True),
]


def wait_for(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _conninfo() -> dict[str, Any]:
    db = settings.DATABASES["default"]
    info = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"], "dbname": db["NAME"]}
    if db.get("PASSWORD"):
        info["password"] = db["PASSWORD"]
    return info


def _database_url() -> str:
    info = _conninfo()
    password = f":{info['password']}" if info.get("password") else ""
    return f"postgres://{info['user']}{password}@{info['host']}:{info['port']}/{info['dbname']}"


class Workers:
    """Starts `yurd worker` processes on the test database; stops whatever is left."""

    def __init__(self, tmp_path: Path) -> None:
        # The test settings, with this test's media directory (exports, evidence).
        (tmp_path / "fault_settings.py").write_text(
            "from config.settings.test import *  # noqa: F403\n"
            "import os\nfrom pathlib import Path\n"
            'MEDIA_ROOT = Path(os.environ["YURD_FAULT_MEDIA"])\n'
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "fault_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
            "DATABASE_URL": _database_url(),
            "YURD_FAULT_MEDIA": str(settings.MEDIA_ROOT),
        }
        self.tmp_path = tmp_path
        self.processes: list[subprocess.Popen[bytes]] = []
        self.logs: list[Any] = []

    def start(self) -> subprocess.Popen[bytes]:
        log = (self.tmp_path / f"worker-{len(self.processes)}.log").open("wb")
        self.logs.append(log)
        process = subprocess.Popen(  # noqa: S603
            [
                YURD,
                "worker",
                "--backend=db",
                "--interval=0.1",
                "--no-startup-delay",
                "--heartbeat=0.2",
                f"--lease={LEASE}",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
        for log in self.logs:
            log.close()

    def yurd(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [YURD, *args], env=self.env, capture_output=True, text=True, timeout=120, check=False
        )


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    started = Workers(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


@contextmanager
def locked(statement: str, *params: Any) -> Iterator[None]:
    """Hold a lock from another connection for the duration of the block."""
    with psycopg.connect(**_conninfo()) as holder:
        holder.execute(statement, params)
        yield
        holder.rollback()


def blocked_backend() -> int | None:
    """The pid of a connection to this database that waits for a lock (the worker's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def backend_gone(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is None


def kill_when_blocked(workers: Workers, statement: str, *params: Any) -> subprocess.Popen[bytes]:
    """Start a worker, kill it (SIGKILL) once it waits on the lock, let its connection end."""
    with locked(statement, *params):
        worker = workers.start()
        pid = wait_for(blocked_backend, "the worker to block on the held lock")
        workers.kill(worker)
    wait_for(lambda: backend_gone(pid), "the killed worker's connection to end")
    return worker


def verify_passes(workers: Workers) -> None:
    result = workers.yurd("evidence", "verify")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK"), result.stdout


@pytest.fixture(autouse=True)
def own_media(settings: Any, tmp_path: Path) -> None:
    """A media directory of this test's own (the workers get it too): the session's shared
    one holds other tests' exports, and the export test lists the directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


@pytest.fixture(autouse=True)
def reference_data(transactional_db: None) -> None:
    """Waves and the other data-migration rows, emptied by the flush after an earlier test."""
    load_reference_data()


@pytest.fixture
def evidence(db: None) -> None:
    evidence_ingest(actor=system_actor(), stream=io.BytesIO(b"synthetic deed, 1978\n"), original_name="deed.txt")


COLUMNS = ["household_ref", "person_ref", "surname", "given_name", "sex", "birth_date", "role", "origin_place"]


def import_file(households: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for number in range(households):
        for member, (given, sex, role) in enumerate([("Əli", "m", "head"), ("Leyla", "f", "spouse")]):
            writer.writerow(
                {
                    "household_ref": f"F{number}",
                    "person_ref": f"F{number}-{member}",
                    "surname": f"Quliyev{'a' if sex == 'f' else ''}",
                    "given_name": given,
                    "sex": sex,
                    "birth_date": f"{1930 + number % 60}",
                    "role": role,
                    "origin_place": "Qarabulaq",
                }
            )
    return buffer.getvalue().encode()


def test_worker_killed_mid_import_commit_leaves_nothing_and_the_commit_is_run_again(
    gazetteer: Gazetteer, workers: Workers, evidence: None
) -> None:
    data = import_file(20)
    batch = import_create(actor=system_actor(), data=data, file_name="list.csv", source="fault-list")
    batch = import_validate(batch=batch, data=data)
    assert batch.valid_rows == 40, batch.error
    job = import_commit_start(batch=batch, backend="db")

    # Households are written first, people next: the worker dies between the two.
    dead = kill_when_blocked(workers, "LOCK TABLE registry_person IN SHARE ROW EXCLUSIVE MODE")

    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTING
    assert not Household.objects.filter(source="fault-list").exists(), "half an import is visible"
    assert not Person.objects.filter(source="fault-list").exists()

    workers.start()
    wait_for(
        lambda: ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.COMMITTED).exists(),
        "the import to be committed by the new worker",
    )
    assert Household.objects.filter(source="fault-list").count() == 20
    assert Person.objects.filter(source="fault-list").count() == 40
    task_result = DBTaskResult.objects.get(pk=job.task_result_id)
    assert task_result.status == "SUCCESSFUL"
    assert len(task_result.worker_ids) == 2 and dead.returncode == -signal.SIGKILL
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result["people_created"] == 40
    verify_passes(workers)


def test_worker_killed_mid_duplicate_scan_proposes_each_pair_once_after_the_rerun(
    gazetteer: Gazetteer, workers: Workers, evidence: None
) -> None:
    for members in (
        [{"surname": "Məmmədov", "given_name": "Əli", "patronymic": "Həsən oğlu", "birth_date": "12.03.1951"}],
        [{"surname": "Мамедов", "given_name": "Али", "patronymic": "Гасанович", "birth_date": "1951"}],
    ):
        register(origin=gazetteer.settlement_a1, members=[{**members[0], "sex": "m", "household_role": "head"}])
    job = job_start(DUPLICATE_SCAN, None, duplicate_scan, backend="db")

    kill_when_blocked(workers, "LOCK TABLE linkage_matchcandidate IN SHARE ROW EXCLUSIVE MODE")

    # Each proposal is one row in its own statement: the one the worker had sent may
    # land whole once the lock is gone, never a part of one.
    assert MatchCandidate.objects.count() <= 1
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING

    workers.start()
    wait_for(lambda: Job.objects.filter(pk=job.pk, status=JobStatus.SUCCEEDED).exists(), "the scan to finish")
    job.refresh_from_db()
    assert job.result["pairs"] == 1
    assert MatchCandidate.objects.count() == 1, "the re-run proposes the pair once"
    verify_passes(workers)


def test_worker_killed_after_writing_an_export_file_never_names_a_partial_file_and_the_rerun_finishes(
    gazetteer: Gazetteer, administrator: User, workers: Workers, evidence: None
) -> None:
    for number in range(3):
        register(
            origin=gazetteer.settlement_a1,
            members=[{"surname": "Həsənov", "given_name": f"Kamal{number}", "sex": "m", "household_role": "head"}],
        )
    export = ExportRequest.objects.create(
        requested_by=administrator, kind=ExportKind.PEOPLE, file_format=ExportFormat.CSV, purpose="fault test"
    )
    job = job_start(EXPORT_JOB, administrator, run_export, backend="db", export_id=str(export.pk))
    ExportRequest.objects.filter(pk=export.pk).update(job=job)

    # The file is written, its record not yet: the worker dies in between. The record's
    # UPDATE, already sent, may still land once the lock is gone; either way only a
    # complete file is ever named.
    kill_when_blocked(workers, "SELECT 1 FROM reports_exportrequest WHERE id = %s FOR UPDATE", export.pk)

    export.refresh_from_db()
    if export.file_name:
        assert len((export_directory() / export.file_name).read_text(encoding="utf-8-sig").splitlines()) == 1 + 3
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING

    workers.start()
    wait_for(lambda: Job.objects.filter(pk=job.pk, status=JobStatus.SUCCEEDED).exists(), "the export to finish")
    export.refresh_from_db()
    assert export.rows == 3
    lines = (export_directory() / export.file_name).read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 3
    assert sorted(path.name for path in export_directory().iterdir()) == [export.file_name]
    verify_passes(workers)
