"""Background work: the registry-wide duplicate scan feeding the adjudication queue."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from yurd.accounts.models import User
from yurd.core.actors import Actor, system_actor
from yurd.core.job_kinds import register_job_kind
from yurd.core.jobs import JobContext, job_function
from yurd.core.models import Channel
from yurd.linkage.matching.linker import dedupe
from yurd.linkage.selectors import person_record, registry_gazetteer, scoped_people
from yurd.linkage.services import candidate_propose

# Safe to run again after a lost worker: a pair already proposed is not proposed twice.
DUPLICATE_SCAN = register_job_kind(
    "linkage.scan",
    gettext_lazy("Duplicate scan"),
    retries_after_worker_loss=1,
    result_labels={
        "people": gettext_lazy("People compared"),
        "pairs": gettext_lazy("Possible duplicates found"),
        "proposed": gettext_lazy("New pairs to review"),
    },
)


@task()
@job_function
def duplicate_scan(job: JobContext, *, username: str | None = None) -> dict[str, Any]:
    actor = Actor(user=User.objects.get(username=username), channel=Channel.WEB) if username else system_actor()
    people = {person.code: person for person in scoped_people(actor=actor)}
    job.progress(0, 3, _("Reading the registry"))
    result = dedupe([person_record(person) for person in people.values()], gazetteer=registry_gazetteer())
    job.progress(1, 3, _("Comparing records"))
    proposed = 0
    for pair in result.pairs:
        created = candidate_propose(
            first=people[pair.left],
            second=people[pair.right],
            probability=pair.probability,
            reasons=pair.reasons,
            origin="scan",
        )
        proposed += created is not None
    job.progress(3, 3, _("Done"))
    return {"people": len(people), "pairs": len(result.pairs), "proposed": proposed}
