"""Background jobs with progress: a django-task plus a Job row people can watch.

Write the work as a function taking a JobContext, make it a job and a task:

    from django_tasks import task
    from yurd.core.jobs import JobContext, JobError, job_function

    @task()
    @job_function
    def household_import(job: JobContext, *, upload_id: int) -> dict:
        rows = ...
        for done, row in enumerate(rows, 1):
            ...
            job.progress(done, len(rows), _("Importing households"))
        if problems:
            raise JobError(_("Row 12 has no household code."))  # what the person reads
        return {"imported": len(rows)}                           # the job's result

Start it from a view or a command, and send the person to its page:

    job = job_start("registry.import", request.user, household_import, upload_id=upload.pk)
    return redirect(job)   # core:job_detail, polling its progress every second

The worker (`yurd worker`) runs the task; the wrapper marks the Job running,
finished (with the returned dict as its result) or failed (with the JobError's
message, or a generic one and the traceback for operators). Progress writes are
plain UPDATEs outside any transaction, so the page sees them at once: do not wrap a
whole job in `transaction.atomic()`, commit in batches instead.

The same function runs in the foreground of a command with a progress bar:

    job_run_here(household_import, kind="registry.import", owner=None,
                 listener=ProgressBar(label="Import"), upload_id=upload.pk)
"""

from __future__ import annotations

import functools
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yurd.core.models import Job, JobStatus

ProgressListener = Callable[[int, int | None, str], None]

# Seconds between progress writes to the database; the page polls every second.
PROGRESS_WRITE_INTERVAL = 0.5

_MESSAGE_LENGTH = Job._meta.get_field("message").max_length or 500

# Listeners of jobs running in this process (the command-line progress bar).
_listeners: dict[str, ProgressListener] = {}


class JobError(Exception):
    """Raise inside a job to stop it with a message for the person watching it."""


@dataclass
class JobContext:
    """Handed to a job function: its Job's id and a throttled progress reporter."""

    job_id: str
    _last_write: float = 0.0

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        """Report progress; written at most every half second, and always at the end."""
        listener = _listeners.get(self.job_id)
        if listener is not None:
            listener(done, total, message)
        now = time.monotonic()
        finished = total is not None and done >= total
        if finished or now - self._last_write >= PROGRESS_WRITE_INTERVAL:
            job_progress(self.job_id, done, total, message)
            self._last_write = now

    @property
    def job(self) -> Job:
        return Job.objects.get(pk=self.job_id)


def short_message(message: Any) -> str:
    text = " ".join(str(message or "").split())
    return text if len(text) <= _MESSAGE_LENGTH else text[: _MESSAGE_LENGTH - 1] + "…"


def job_create(*, kind: str, owner: Any = None) -> Job:
    """A queued Job row. The language of the caller is kept, so messages match it."""
    return Job.objects.create(
        kind=kind,
        owner=owner if owner is not None and owner.is_authenticated else None,
        message=short_message(_("Waiting for the worker…")),
        language=(translation.get_language() or "en")[:10],
    )


def job_start(kind: str, owner: Any, task: Any, *, backend: str | None = None, **kwargs: Any) -> Job:
    """Create a Job and enqueue `task` (a job_function task) for it; return the Job.

    `kwargs` go to the task and must be JSON-serialisable (ids and codes, not
    objects). `backend` picks a TASKS alias other than the task's own. With the
    immediate backend (tests) the job has run by the time this returns.
    """
    job = job_create(kind=kind, owner=owner)
    chosen = task.using(backend=backend) if backend else task
    try:
        result = chosen.enqueue(job_id=str(job.pk), **kwargs)
    except Exception as error:
        job_fail(job.pk, _("The job could not be queued."), error=_technical(error))
        raise
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_progress(job_id: Any, done: int, total: int | None = None, message: str = "") -> None:
    """Write progress into the Job row now (JobContext.progress throttles this)."""
    changes: dict[str, Any] = {"done": max(0, int(done))}
    if total is not None:
        changes["total"] = max(0, int(total))
    if message:
        changes["message"] = short_message(message)
    Job.objects.filter(pk=job_id).update(**changes)


def job_mark_running(job_id: Any) -> None:
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        message=short_message(_("Working…")),
    )


def job_finish(job_id: Any, *, result: dict[str, Any] | None = None, message: str = "", result_file: str = "") -> None:
    """Mark a job finished, keeping its result (a JSON-serialisable dict)."""
    job = Job.objects.get(pk=job_id)
    job.status = JobStatus.SUCCEEDED
    job.finished_at = timezone.now()
    if job.total:
        job.done = job.total
    job.message = short_message(message or _("Finished."))
    job.result = result or {}
    if result_file:
        job.result_file = result_file
    job.save(update_fields=["status", "finished_at", "done", "message", "result", "result_file"])


def job_fail(job_id: Any, message: str, *, error: str = "") -> None:
    """Mark a job failed with a message for the person who started it."""
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        message=short_message(message),
        error=error,
    )


def _technical(error: BaseException) -> str:
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


def job_function(func: Callable[..., dict[str, Any] | None]) -> Callable[..., dict[str, Any]]:
    """Wrap `func(job: JobContext, **kwargs)` as the body of a job's task.

    The wrapped callable takes `job_id` plus func's keyword arguments. Put
    `@task()` above it; the task keeps func's module and name, so the worker finds it.
    """

    @functools.wraps(func)
    def wrapper(job_id: str, **kwargs: Any) -> dict[str, Any]:
        language = Job.objects.filter(pk=job_id).values_list("language", flat=True).first()
        if language is None:
            # The Job was deleted while queued: nothing is waiting for this run.
            return {}
        with translation.override(language):
            job_mark_running(job_id)
            try:
                result = func(JobContext(job_id=str(job_id)), **kwargs) or {}
            except JobError as error:
                job_fail(job_id, str(error), error=_technical(error))
                raise
            except Exception as error:
                job_fail(
                    job_id,
                    _("The job stopped because of an unexpected error (%(error)s). An operator can read the details.")
                    % {"error": type(error).__name__},
                    error=_technical(error),
                )
                raise
            job_finish(job_id, result=result)
        return result

    return wrapper


@contextmanager
def progress_listener(job_id: Any, listener: ProgressListener) -> Iterator[None]:
    """While the block runs in this process, every progress report of the job reaches `listener`."""
    key = str(job_id)
    _listeners[key] = listener
    try:
        yield
    finally:
        _listeners.pop(key, None)


def job_run_here(
    task: Any, *, kind: str, owner: Any = None, listener: ProgressListener | None = None, **kwargs: Any
) -> Job:
    """Run a job's task in this process (a command's foreground), still recording a Job.

    Exceptions are recorded on the Job, which is returned either way; check its status.
    """
    job = job_create(kind=kind, owner=owner)
    # A failure is recorded on the Job by the wrapper; the caller reads its status.
    with progress_listener(job.pk, listener or (lambda done, total, message: None)), suppress(Exception):
        task.call(job_id=str(job.pk), **kwargs)
    job.refresh_from_db()
    return job
