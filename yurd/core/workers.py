"""Worker heartbeats, and recovery of the tasks a dead worker left running.

django-tasks-db marks a task RUNNING when a worker claims it and FINISHED when the
worker is done. A worker killed in between (SIGKILL, out of memory, a machine that
stopped) leaves the task RUNNING for ever and its Job page spinning. So every
`yurd worker` writes a heartbeat row every few seconds, and checks the others': a
running task whose worker has not been seen for the lease is abandoned. Its
transaction was rolled back by the database when the connection died, so nothing of
it is half-written; it is then either queued again (job kinds registered with
`retries_after_worker_loss`) or failed with a message the person sees on its page.

Apps whose tasks keep their own state (a registry import batch says "committing")
register a handler with `register_worker_loss_handler` to put that state right.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import DatabaseError, close_old_connections, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from yurd.core.job_kinds import job_retries_after_worker_loss
from yurd.core.jobs import short_message
from yurd.core.models import Job, JobStatus, WorkerHeartbeat

logger = logging.getLogger("yurd.worker")

# A worker writes its heartbeat this often, and is taken for dead after the lease.
HEARTBEAT_SECONDS = 5.0
LEASE_SECONDS = 60.0

READY, RUNNING, FAILED = "READY", "RUNNING", "FAILED"

WorkerLossHandler = Callable[[list[Any], dict[str, Any], bool], None]
_handlers: dict[str, tuple[WorkerLossHandler | None, int]] = {}


class WorkerLostError(Exception):
    """Recorded on a task whose worker stopped sending heartbeats while running it."""


def register_worker_loss_handler(task_path: str, handler: WorkerLossHandler | None, *, retries: int = 0) -> None:
    """For a task without a Job: queue it again up to `retries` times after its worker
    died, and call handler(task args, task kwargs, queued_again) to put its own state right."""
    _handlers[task_path] = (handler, retries)


@dataclass(frozen=True)
class Recovered:
    task_result_id: str
    task_path: str
    worker_id: str
    queued_again: bool
    job_id: str | None


def worker_lost_message() -> str:
    """What the person reads on the page of work whose worker died (in the active language)."""
    return _(
        "The worker running this job stopped before it finished (it was killed or its machine "
        "restarted). Nothing it had not finished was kept. Start the job again."
    )


def heartbeat(worker_id: str) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(pk=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            pk=worker_id, defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": now}
        )


def worker_gone(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(pk=worker_id).delete()


def tasks_recover_stale(*, lease_seconds: float = LEASE_SECONDS) -> list[Recovered]:
    """Fail or re-queue every running task whose worker has not been seen for the lease."""
    cutoff = timezone.now() - timedelta(seconds=lease_seconds)
    known = dict(WorkerHeartbeat.objects.values_list("worker_id", "seen_at"))
    recovered = []
    running = DBTaskResult.objects.filter(status=RUNNING).values_list("pk", "worker_ids", "started_at")
    for pk, worker_ids, started_at in running:
        worker_id = worker_ids[-1] if worker_ids else ""
        seen_at = known.get(worker_id)
        # A worker without a heartbeat row (a plain db_worker, or one whose row was
        # removed as dead) is judged by when it started the task.
        last_sign = seen_at if seen_at is not None else started_at
        if last_sign is not None and last_sign >= cutoff:
            continue
        done = _recover(pk, worker_id)
        if done is not None:
            recovered.append(done)
    WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).delete()
    return recovered


def _recover(pk: Any, worker_id: str) -> Recovered | None:
    with transaction.atomic():
        result = DBTaskResult.objects.select_for_update().filter(pk=pk, status=RUNNING).first()
        if result is None:
            return None  # finished, or another worker recovered it first
        job = Job.objects.select_for_update().filter(task_result_id=str(result.pk)).first()
        handler, retries = _handlers.get(result.task_path, (None, 0))
        if job is not None:
            retries = job_retries_after_worker_loss(job.kind)
        # Each claim by a worker appends its id: the number of runs started so far.
        attempts = len(result.worker_ids)
        queue_again = attempts <= retries
        language = job.language if job is not None else "en"
        if queue_again:
            result.status = READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
        else:
            result.status = FAILED
            result.finished_at = timezone.now()
            result.exception_class_path = f"{WorkerLostError.__module__}.{WorkerLostError.__qualname__}"
            result.traceback = f"Worker {worker_id or '?'} stopped sending heartbeats while running this task."
            result.return_value = None
            result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback", "return_value"])
        if job is not None:
            with translation.override(language):
                if queue_again:
                    message = _(
                        "The worker running this job stopped before it finished; nothing it had not finished "
                        "was kept. The job was queued again (attempt %(attempt)d of %(limit)d)."
                    ) % {"attempt": attempts + 1, "limit": retries + 1}
                    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, message=short_message(message))
                else:
                    message = worker_lost_message()
                    Job.objects.filter(pk=job.pk).update(
                        status=JobStatus.FAILED,
                        finished_at=timezone.now(),
                        message=short_message(message),
                        error=result.traceback or f"Worker {worker_id} was lost; queued again.",
                    )
        if handler is not None:
            with translation.override(language):
                call = result.args_kwargs or {}
                handler(list(call.get("args") or []), dict(call.get("kwargs") or {}), queue_again)
    logger.warning(
        "Recovered task %s (%s) abandoned by worker %s: %s",
        pk,
        result.task_path,
        worker_id,
        "queued again" if queue_again else "failed",
    )
    return Recovered(str(pk), result.task_path, worker_id, queue_again, str(job.pk) if job else None)


class Heartbeat(threading.Thread):
    """Beside the worker's loop: writes its heartbeat, and recovers others' abandoned tasks.

    Its own database connection; a database that is briefly unreachable (a restart)
    is logged and tried again at the next beat.
    """

    def __init__(self, worker_id: str, *, interval: float, lease: float) -> None:
        super().__init__(name="yurd-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.lease = lease
        self.stopping = threading.Event()

    def beat(self) -> None:
        try:
            close_old_connections()
            heartbeat(self.worker_id)
            tasks_recover_stale(lease_seconds=self.lease)
        except DatabaseError as error:
            logger.warning("Heartbeat of worker %s failed (%s); trying again.", self.worker_id, error)
            connections.close_all()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.beat()
                self.stopping.wait(self.interval)
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=self.interval + 5)
