"""A task left running by a worker that stopped sending heartbeats is recovered.

The worker's death is simulated by its heartbeat row's age (the real SIGKILL runs in
test_faults.py, on PostgreSQL): the recovery is the same code either way.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yurd.accounts.models import User
from yurd.core.jobs import job_start
from yurd.core.models import Job, JobStatus, WorkerHeartbeat
from yurd.core.tasks import INTEGRITY_CHECK, integrity_check
from yurd.core.workers import heartbeat, tasks_recover_stale
from yurd.reports.exports import EXPORT_JOB, run_export
from yurd.testing.personas import login_verified

pytestmark = pytest.mark.django_db

LEASE = 30.0


def claimed(job: Job, worker_id: str, *, seen_seconds_ago: float) -> DBTaskResult:
    """The job's task as a worker claimed it; that worker was last seen this long ago."""
    result = DBTaskResult.objects.get(pk=job.task_result_id)
    result.claim(worker_id)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    WorkerHeartbeat.objects.create(worker_id=worker_id, seen_at=timezone.now() - timedelta(seconds=seen_seconds_ago))
    return result


def test_a_dead_workers_job_fails_with_a_message_on_its_page(client: Client, registrar: User) -> None:
    job = job_start(EXPORT_JOB, registrar, run_export, backend="db", export_id="00000000-0000-0000-0000-000000000000")
    result = claimed(job, "worker-a", seen_seconds_ago=LEASE + 5)
    # The export kind may run once more; this is its second run already.
    result.worker_ids = ["worker-0", "worker-a"]
    result.save(update_fields=["worker_ids"])

    recovered = tasks_recover_stale(lease_seconds=LEASE)

    assert [(item.task_result_id, item.queued_again) for item in recovered] == [(str(result.pk), False)]
    result.refresh_from_db()
    assert result.status == "FAILED"
    assert result.exception_class_path == "yurd.core.workers.WorkerLostError"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.finished_at is not None
    assert "worker-a" in job.error
    login_verified(client, registrar)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "The worker running this job stopped before it finished" in page
    assert not WorkerHeartbeat.objects.filter(pk="worker-a").exists(), "a dead worker's row is removed"


def test_a_job_safe_to_repeat_is_queued_again_then_failed_after_its_last_attempt(administrator: User) -> None:
    job = job_start(INTEGRITY_CHECK, administrator, integrity_check, backend="db")
    for attempt, worker_id in enumerate(["worker-a", "worker-b", "worker-c"], start=1):
        claimed(job, worker_id, seen_seconds_ago=LEASE + 5)
        [recovered] = tasks_recover_stale(lease_seconds=LEASE)
        job.refresh_from_db()
        result = DBTaskResult.objects.get(pk=job.task_result_id)
        if attempt < 3:
            assert recovered.queued_again
            assert (result.status, result.started_at) == ("READY", None)
            assert job.status == JobStatus.QUEUED
            assert f"attempt {attempt + 1} of 3" in job.message
        else:
            assert not recovered.queued_again
            assert result.status == "FAILED"
            assert job.status == JobStatus.FAILED


def test_a_live_workers_task_is_left_alone(administrator: User) -> None:
    job = job_start(INTEGRITY_CHECK, administrator, integrity_check, backend="db")
    result = claimed(job, "worker-a", seen_seconds_ago=LEASE + 5)
    heartbeat("worker-a")  # it spoke just now

    assert tasks_recover_stale(lease_seconds=LEASE) == []
    result.refresh_from_db()
    job.refresh_from_db()
    assert (result.status, job.status) == ("RUNNING", JobStatus.RUNNING)


def test_a_task_of_a_worker_without_heartbeats_gets_the_lease_from_its_start(administrator: User) -> None:
    job = job_start(INTEGRITY_CHECK, administrator, integrity_check, backend="db")
    result = DBTaskResult.objects.get(pk=job.task_result_id)
    result.claim("plain-db-worker")

    assert tasks_recover_stale(lease_seconds=LEASE) == []
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - timedelta(seconds=LEASE + 1))
    [recovered] = tasks_recover_stale(lease_seconds=LEASE)
    assert recovered.worker_id == "plain-db-worker"
