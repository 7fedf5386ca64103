"""Background work for long imports (django-tasks); the pages poll the batch for progress."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from yurd.core.actors import Actor, system_actor
from yurd.core.models import Channel
from yurd.core.workers import register_worker_loss_handler, worker_lost_message
from yurd.registry.imports import ImportFileError, ImportRefusedError
from yurd.registry.imports.services import import_commit, import_validate
from yurd.registry.models import ImportBatch, ImportStatus


@task()
def validate_import_task(batch_id: int) -> None:
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        import_validate(batch=batch)
    except ImportFileError:
        return  # recorded on the batch


@task()
def commit_import_task(batch_id: int, user_id: int | None, all_or_nothing: bool) -> None:
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    actor = Actor(user=user, channel=Channel.TASK) if user else system_actor(channel=Channel.TASK)  # type: ignore[arg-type]
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        import_commit(actor=actor, batch=batch, all_or_nothing=all_or_nothing)
    except ImportRefusedError as error:
        ImportBatch.objects.filter(pk=batch_id).update(error=str(error))
    except Exception as error:  # the transaction rolled back; say so on the batch
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.VALIDATED, error=str(error)[:2000])
        raise


# A worker killed mid-way: the database rolled the batch's transaction back, so only
# its status says "validating" or "committing". Both steps are safe to run again once.
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
