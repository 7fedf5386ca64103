"""The registry of job kinds: their labels, how often each may run again, and how their
results read on the job's page.

Apart from yurd.core.jobs so that the Job model can name its kind without importing
the job machinery, which imports the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext_lazy

from yurd.core.record_types import record_type_label
from yurd.names.collation import sort_key

# Labels of job kinds for the pages; each app registers its own with register_job_kind.
_kind_labels: dict[str, Any] = {}
# How many times a job of each kind may be queued again after its worker died.
_kind_retries: dict[str, int] = {}
# What each key of a kind's result means, in the order the job's page lists them. Keys
# without a label (a batch's database id, the file offered by the download button) are
# not shown.
_result_labels: dict[str, dict[str, Any]] = {}

# Every job's list of problems, for whichever kind returns one.
PROBLEM_COUNT_LABEL = gettext_lazy("Problems found")


def register_job_kind(
    kind: str, label: Any, *, retries_after_worker_loss: int = 0, result_labels: Mapping[str, Any] | None = None
) -> str:
    """Name a job kind for people (a lazy translation); returns the kind.

    `retries_after_worker_loss` > 0 only for jobs that are safe to run again from the
    start after a worker died in their middle (they commit nothing partial, or what
    they commit is found and skipped by the next run). `result_labels` names the
    numbers of the job's result (lazy translations, by result key) for its page.
    """
    _kind_labels[kind] = label
    _kind_retries[kind] = retries_after_worker_loss
    _result_labels[kind] = dict(result_labels or {})
    return kind


def register_job_result_label(kind: str, key: str, label: Any) -> None:
    """Name one more key of a kind's result (the integrity check's, one per app's check)."""
    _result_labels.setdefault(kind, {})[key] = label


def job_retries_after_worker_loss(kind: str) -> int:
    return _kind_retries.get(kind, 0)


def job_kind_label(kind: str) -> Any:
    return _kind_labels.get(kind, kind)


@dataclass(frozen=True)
class RecordCount:
    """One model's rows and change-history rows, as the integrity check counted them."""

    record_type: str
    rows: Any
    history: Any


@dataclass(frozen=True)
class JobResultSummary:
    """A finished job's result as its page shows it: labelled figures, not a dict."""

    facts: list[tuple[Any, Any]] = field(default_factory=list)
    records: list[RecordCount] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.facts or self.records)


def job_result_summary(kind: str, result: Any) -> JobResultSummary:
    """The labelled figures of a job's result, in the order its kind registered them.

    Only numbers under a registered key are shown; `records` (per-model counts,
    keyed by "app.model") becomes a table named by the models' verbose names.
    """
    if not isinstance(result, dict):
        return JobResultSummary()
    labels = {**_result_labels.get(kind, {})}
    if "problem_count" in result:
        labels.setdefault("problem_count", PROBLEM_COUNT_LABEL)
    facts = [
        (label, result[key])
        for key, label in labels.items()
        if key in result and isinstance(result[key], int | float) and not isinstance(result[key], bool)
    ]
    records: list[RecordCount] = []
    if isinstance(result.get("records"), dict):
        records = sorted(
            (
                RecordCount(record_type_label(label, plural=True), counts.get("rows"), counts.get("history"))
                for label, counts in result["records"].items()
                if isinstance(counts, dict)
            ),
            key=lambda record: sort_key(record.record_type, get_language() or "en"),
        )
    return JobResultSummary(facts=facts, records=records)
