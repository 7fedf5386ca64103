"""Background tasks of the core app.

`integrity_check` is a real maintenance job and the reference use of the job
mechanism: it runs the checks apps register (places walks the gazetteer's materialised
paths) and counts each model's change history, reporting progress as it goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from yurd.core.history import historical_models, history_manager
from yurd.core.job_kinds import register_job_kind, register_job_result_label
from yurd.core.jobs import JobContext, job_function

# Read-only: safe to run again after a lost worker.
INTEGRITY_CHECK = register_job_kind(
    "core.integrity_check",
    gettext_lazy("Integrity check"),
    retries_after_worker_loss=2,
)

StrOrPromise = str | Promise


@dataclass(frozen=True)
class IntegrityCheck:
    """One app's consistency check, registered from its AppConfig.ready().

    `count()` says how many rows the check will look at (for the progress bar); `run(advance)`
    returns the problems found, calling `advance(n)` after each batch of n rows. The job's
    result carries the count under `result_key`, which its page names `result_label`.
    """

    result_key: str
    label: StrOrPromise
    result_label: StrOrPromise
    count: Callable[[], int]
    run: Callable[[Callable[[int], None]], list[str]]


_CHECKS: dict[str, IntegrityCheck] = {}


def register_integrity_check(check: IntegrityCheck) -> None:
    """How an app above core adds its own check (places checks its materialised paths)."""
    _CHECKS[check.result_key] = check
    register_job_result_label(INTEGRITY_CHECK, check.result_key, check.result_label)


@task()
@job_function
def integrity_check(job: JobContext) -> dict[str, Any]:
    """Run every registered check (place paths, for one), then count each model's change history."""
    models = historical_models()
    counts = {key: check.count() for key, check in _CHECKS.items()}
    total = sum(counts.values()) + len(models)
    problems: list[str] = []
    done = 0
    result: dict[str, Any] = {}
    for key, check in _CHECKS.items():
        job.progress(done, total, str(check.label))

        def advance(rows: int, label: StrOrPromise = check.label) -> None:
            nonlocal done
            done += rows
            job.progress(done, total, str(label))

        problems.extend(check.run(advance))
        result[key] = counts[key]
    records: dict[str, dict[str, int]] = {}
    for model in models:
        records[model._meta.label_lower] = {
            "rows": model._default_manager.count(),
            "history": history_manager(model).count(),
        }
        done += 1
        job.progress(done, total, _("Counting change history"))
    return {
        **result,
        "problems": problems[:1000],
        "problem_count": len(problems),
        "records": records,
    }
