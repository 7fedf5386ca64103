"""The registry of job kinds: their labels and how often each may run again.

Apart from yurd.core.jobs so that the Job model can name its kind without importing
the job machinery, which imports the model.
"""

from __future__ import annotations

from typing import Any

# Labels of job kinds for the pages; each app registers its own with register_job_kind.
_kind_labels: dict[str, Any] = {}
# How many times a job of each kind may be queued again after its worker died.
_kind_retries: dict[str, int] = {}


def register_job_kind(kind: str, label: Any, *, retries_after_worker_loss: int = 0) -> str:
    """Name a job kind for people (a lazy translation); returns the kind.

    `retries_after_worker_loss` > 0 only for jobs that are safe to run again from the
    start after a worker died in their middle (they commit nothing partial, or what
    they commit is found and skipped by the next run).
    """
    _kind_labels[kind] = label
    _kind_retries[kind] = retries_after_worker_loss
    return kind


def job_retries_after_worker_loss(kind: str) -> int:
    return _kind_retries.get(kind, 0)


def job_kind_label(kind: str) -> Any:
    return _kind_labels.get(kind, kind)
