"""Background work for imports: the check of a file and the commit of its valid rows.

Each runs as a Job (yurd.core.jobs), so it is listed under Jobs with the person who
started it; the batch points to its latest job, and the batch's page polls both.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from yurd.core.actors import Actor, system_actor
from yurd.core.job_kinds import register_job_kind
from yurd.core.jobs import JobContext, JobError, job_create, job_fail, job_function
from yurd.core.models import Channel, Job
from yurd.core.workers import register_worker_loss_handler, worker_lost_message
from yurd.registry.imports import ImportFileError, ImportRefusedError
from yurd.registry.imports.services import import_commit, import_validate
from yurd.registry.models import ImportBatch, ImportStatus

# Both are safe to run again after a lost worker: the database rolled back what the
# dead run had written, and the handlers below put the batch's status back.
IMPORT_CHECK = register_job_kind(
    "registry.import_check",
    gettext_lazy("Import check"),
    retries_after_worker_loss=1,
    result_labels={
        "rows": gettext_lazy("Rows"),
        "valid": gettext_lazy("Valid rows"),
        "rejected": gettext_lazy("Rejected rows"),
    },
)
IMPORT_COMMIT = register_job_kind(
    "registry.import_commit",
    gettext_lazy("Import commit"),
    retries_after_worker_loss=1,
    result_labels={
        "households_created": gettext_lazy("Households created"),
        "people_created": gettext_lazy("People created"),
        "people_unchanged": gettext_lazy("People already in the registry"),
    },
)


@task()
@job_function
def validate_import_task(job: JobContext, *, batch_id: int) -> dict[str, Any]:
    batch = ImportBatch.objects.get(pk=batch_id)
    job.progress(0, None, _("Reading and checking %(count)d rows") % {"count": batch.total_rows})
    try:
        batch = import_validate(batch=batch)
    except ImportFileError as error:  # also recorded on the batch
        raise JobError(str(error)) from error
    job.progress(batch.total_rows, batch.total_rows, "")
    return {"batch": batch.pk, "rows": batch.total_rows, "valid": batch.valid_rows, "rejected": batch.rejected_rows}


@task()
@job_function
def commit_import_task(
    job: JobContext, *, batch_id: int, user_id: int | None = None, all_or_nothing: bool = False
) -> dict[str, Any]:
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    actor = Actor(user=user, channel=Channel.TASK) if user else system_actor(channel=Channel.TASK)
    batch = ImportBatch.objects.get(pk=batch_id)
    # The commit is one transaction: nothing of it is visible, progress included, until
    # it ends. The page shows it running until then.
    job.progress(0, None, _("Writing %(count)d rows to the registry") % {"count": batch.valid_rows})
    try:
        batch = import_commit(actor=actor, batch=batch, all_or_nothing=all_or_nothing)
    except ImportRefusedError as error:
        ImportBatch.objects.filter(pk=batch_id).update(error=str(error))
        raise JobError(str(error)) from error
    return {
        "batch": batch.pk,
        "households_created": batch.households_created,
        "people_created": batch.people_created,
        "people_unchanged": batch.people_unchanged,
    }


def _start(batch: ImportBatch, kind: str, owner: Any, job_task: Any, backend: str | None, **kwargs: Any) -> Job:
    """Create the job, point the batch to it, then queue it (with the immediate backend of
    the tests it has run by the time this returns). `backend`: a TASKS alias other than the default."""
    job = job_create(kind=kind, owner=owner)
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)
    chosen = job_task.using(backend=backend) if backend else job_task
    try:
        result = chosen.enqueue(job_id=str(job.pk), batch_id=batch.pk, **kwargs)
    except Exception as error:
        job_fail(job.pk, _("The job could not be queued."), error=str(error))
        raise
    # The worker may have finished the job already: keep what it wrote.
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def import_check_start(*, batch: ImportBatch, owner: Any = None, backend: str | None = None) -> Job:
    """Queue the check of a new batch's file."""
    return _start(batch, IMPORT_CHECK, owner, validate_import_task, backend)


def import_commit_start(
    *, batch: ImportBatch, owner: Any = None, all_or_nothing: bool = False, backend: str | None = None
) -> Job:
    """Queue the commit of a validated batch, refusing one already queued or done."""
    batch = ImportBatch.objects.select_related("job").get(pk=batch.pk)
    if batch.status != ImportStatus.VALIDATED or batch.is_running:
        raise ImportRefusedError(_("Only a validated batch that is not yet committed can be committed."))
    user_id = owner.pk if owner is not None and owner.is_authenticated else None
    return _start(
        batch, IMPORT_COMMIT, owner, commit_import_task, backend, user_id=user_id, all_or_nothing=all_or_nothing
    )


# A worker killed mid-way: the database rolled the batch's transaction back, so only
# its status says "validating" or "committing". The job is queued again once
# (retries_after_worker_loss above), or failed; these put the batch's status right.
def _batch_id(args: list[Any], kwargs: dict[str, Any]) -> Any:
    return kwargs["batch_id"] if "batch_id" in kwargs else args[0]


def _validation_lost(args: list[Any], kwargs: dict[str, Any], queued_again: bool) -> None:
    batch = ImportBatch.objects.filter(pk=_batch_id(args, kwargs), status=ImportStatus.VALIDATING)
    if queued_again:
        batch.update(status=ImportStatus.PENDING)
    else:
        batch.update(status=ImportStatus.FAILED, error=worker_lost_message())


def _commit_lost(args: list[Any], kwargs: dict[str, Any], queued_again: bool) -> None:
    batch = ImportBatch.objects.filter(pk=_batch_id(args, kwargs), status=ImportStatus.COMMITTING)
    batch.update(status=ImportStatus.VALIDATED, error="" if queued_again else worker_lost_message())


register_worker_loss_handler(f"{__name__}.validate_import_task", _validation_lost, retries=1)
register_worker_loss_handler(f"{__name__}.commit_import_task", _commit_lost, retries=1)
