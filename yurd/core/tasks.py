"""Background tasks of the core app.

`integrity_check` is a real maintenance job and the reference use of the job
mechanism: it walks the gazetteer's materialised paths and counts each model's
change history, reporting progress as it goes.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from yurd.core.history import historical_models
from yurd.core.jobs import JobContext, job_function, register_job_kind

# Read-only: safe to run again after a lost worker.
INTEGRITY_CHECK = register_job_kind(
    "core.integrity_check", gettext_lazy("Integrity check"), retries_after_worker_loss=2
)

BATCH_SIZE = 500


@task()
@job_function
def integrity_check(job: JobContext) -> dict[str, Any]:
    """Find places whose stored path disagrees with their parent's, and models without history."""
    from yurd.places.models import Place

    models = historical_models()
    place_count = Place.objects.count()
    total = place_count + len(models)
    problems: list[str] = []
    done = 0
    job.progress(0, total, _("Checking place paths"))
    # Parents' paths as stored, so each place is checked against what is in the table.
    paths = dict(Place.objects.values_list("pk", "path"))
    for start in range(0, place_count, BATCH_SIZE):
        batch = Place.objects.order_by("pk").values_list("pk", "code", "parent_id", "path")[start : start + BATCH_SIZE]
        for pk, code, parent_id, path in batch:
            expected = f"{paths.get(parent_id, '') if parent_id else ''}{pk}/"
            if path != expected:
                problems.append(
                    _("Place %(code)s has path %(path)s; expected %(expected)s.")
                    % {"code": code, "path": path or "—", "expected": expected}
                )
            done += 1
        job.progress(done, total, _("Checking place paths"))
    records: dict[str, dict[str, int]] = {}
    for model in models:
        manager_name = model._meta.simple_history_manager_attribute  # type: ignore[attr-defined]
        records[model._meta.label_lower] = {
            "rows": model._default_manager.count(),
            "history": getattr(model, manager_name).count(),
        }
        done += 1
        job.progress(done, total, _("Counting change history"))
    return {
        "places_checked": place_count,
        "problems": problems[:1000],
        "problem_count": len(problems),
        "records": records,
    }
