"""What the reviewer sees before a batch of field submissions is committed: the matches
record linkage would make. Apart from services so that the background task that runs it
imports it and services, which queue the task, import the task: one direction.
"""

from __future__ import annotations

from typing import Any

from yurd.accounts.models import User
from yurd.core.actors import Actor, system_actor
from yurd.core.models import Channel
from yurd.fieldwork.models import MatchOutcome, Submission, SubmissionMatch
from yurd.linkage.importing import CERTAIN_THRESHOLD, linkage_record
from yurd.linkage.services import match_batch
from yurd.registry.imports.services import staged_values
from yurd.registry.models import ImportBatch, ImportRow


def _staged_rows(submissions: list[Submission]) -> list[tuple[Submission, int, dict[str, Any]]]:
    """The valid staged rows of these submissions, shaped as the import's commit hands them to
    its pre-commit hooks (cells, birth_place_text and the parsed values)."""
    by_instance = {submission.instance_id: submission for submission in submissions}
    batches = {submission.import_batch_id for submission in submissions if submission.import_batch_id}
    found = []
    for number, data, values in (
        ImportRow.objects.filter(batch_id__in=batches, is_valid=True)
        .order_by("batch_id", "number")
        .values_list("number", "data", "values")
    ):
        instance_id, _sep, member = str(data.get("person_ref", "")).rpartition("#")
        submission = by_instance.get(instance_id)
        if submission is None or not member.isdigit():
            continue
        row = {
            "row": number,
            **{column: data.get(column, "") for column in ("household_ref", "father_ref", "mother_ref", "spouse_ref")},
            "birth_place_text": data.get("birth_place", ""),
            **staged_values(values),
        }
        found.append((submission, int(member), row))
    return found


def submissions_match(*, submissions: list[Submission]) -> int:
    """Preview, for the reviewer, what the registry import will decide for these staged rows.

    The same records and the same engine call (`match_batch` at the import's certainty
    threshold, against the people the batch's importer may see) as the import's pre-commit hook
    (yurd.linkage.importing), which links certain matches and queues uncertain ones for
    adjudication when a registrar commits the batch. Nothing is written to the registry.
    """
    staged_all = _staged_rows(submissions)
    SubmissionMatch.objects.filter(submission__in=submissions).delete()
    importers = dict(
        ImportBatch.objects.filter(
            pk__in={submission.import_batch_id for submission, _m, _r in staged_all}
        ).values_list("pk", "created_by")
    )
    users = User.objects.in_bulk({user for user in importers.values() if user is not None})
    matches: list[SubmissionMatch] = []
    # Each batch is matched as its importer will commit it (the import's hook matches against
    # the people the batch's creator may see), never against the whole registry.
    for batch_id in sorted(importers):
        staged = [entry for entry in staged_all if entry[0].import_batch_id == batch_id]
        creator = importers[batch_id]
        actor = Actor(user=users[creator], channel=Channel.TASK) if creator is not None else system_actor()
        households: dict[str, dict[str, Any]] = {}
        for _submission, _member, row in staged:
            values = households.setdefault(row.get("household_ref", ""), {})
            if row.get("origin_place") and "origin_place" not in values:
                values["origin_place"] = row["origin_place"]
        results = match_batch(
            [linkage_record(row, households) for _submission, _member, row in staged],
            actor=actor,
            threshold=CERTAIN_THRESHOLD,
        )
        matches.extend(
            SubmissionMatch(
                submission=staged[result.index][0],
                member=staged[result.index][1],
                person=result.person,
                outcome=result.outcome,
                probability=result.probability,
                explanation=result.explanation[:2000],
            )
            for result in results
            if result.person is not None and result.outcome in (MatchOutcome.EXISTING, MatchOutcome.REVIEW)
        )
    SubmissionMatch.objects.bulk_create(matches)
    return len(matches)
