"""Import-time matching: the registry import's pre-commit hook. Nothing is merged silently.

Inside the commit transaction, before anything is written, the batch is matched within itself
and against the people the batch's creator may see (`match_batch`):
- a match at least CERTAIN_THRESHOLD probable and clustered with the existing person is linked
  automatically, as the committing user's own act, only when that user may decide duplicates
  and sees the existing person: the row is written as a person record and merged into the
  existing one (`person_merge`), with a decided MatchCandidate (origin "import") saying why. The
  merge is undone like any other (`merge_undo`), which brings the row's record back with its
  kinship and spelling. As before, kin from the file attach to the existing person and new
  members of the row's household join the existing person's household; the row's spelling is
  a PersonName of kind "source spelling" whose source names the import source and row ref (so
  a re-import links the row again instead of matching it afresh);
- every other proposed link (less probable, or no user to answer for it: the command line, a
  user who may not decide duplicates) creates the new person and a pending MatchCandidate
  (origin "import") in the adjudication queue; pairs decided "different people" are never
  queued again;
- two rows of the batch that are one person are queued as a pair;
- everything else is a new person.
An error here aborts the commit and leaves the registry unchanged.

CERTAIN_THRESHOLD is calibrated on data the engine was not tuned on (`python -m bench
import_links`: bench/independent's sources imported against its registry): the lowest
probability at which at most one automatic link in 400 was wrong; docs/benchmarks.md has the
table.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.utils import timezone

from yurd.core.actors import Actor, system_actor
from yurd.core.history import change_reason_set, history_user_set
from yurd.core.models import Channel
from yurd.linkage.matching.linker import REVIEW_THRESHOLD
from yurd.linkage.models import MatchCandidate, MatchStatus
from yurd.linkage.selectors import scoped_people
from yurd.linkage.services import ADJUDICATE, BatchMatch, candidate_propose, match_batch, person_merge
from yurd.registry.codes import allocate_code
from yurd.registry.imports import PreCommitDecision
from yurd.registry.models import ImportBatch, Kinship, Person, PersonName

# Only a match at least this probable links an incoming row to an existing person without a
# decision in the queue (and only as a user's act); from REVIEW_THRESHOLD up to here the pair
# goes to the adjudication queue. Calibrated by bench/import_links.py (see the module's docstring).
CERTAIN_THRESHOLD = 0.999
SOURCE_SPELLING = "source spelling"
ORIGIN = "import"

__all__ = ["CERTAIN_THRESHOLD", "REVIEW_THRESHOLD", "match_import_batch"]


def provenance_source(source: str, ref: str) -> str:
    return f"{source} #{ref}"[:200]


def linkage_record(row: dict[str, Any], households: dict[str, dict[str, Any]]) -> dict[str, str]:
    household = households.get(row.get("household_ref", ""), {})
    origin = household.get("origin_place")
    sex = row.get("sex", "")
    return {
        "source": "import",
        "surname": row.get("surname", ""),
        "given_name": row.get("given_name", ""),
        "patronymic": row.get("patronymic", ""),
        "sex": sex if sex in ("m", "f") else "",
        "birth_date": str(row.get("birth_date", "")).rstrip("~"),
        "birth_place": row.get("birth_place_text", ""),
        "origin_place": f"#{origin}" if origin else "",
        "household_id": f"import:{row.get('household_ref', '')}",
    }


def match_import_batch(batch: ImportBatch, rows: list[dict[str, Any]]) -> PreCommitDecision | None:
    source = batch.source
    # Import bookkeeping: which records of this source exist, in the whole registry.
    already = set(Person.objects.unscoped().filter(source=source).values_list("source_ref", flat=True))
    previous_links = dict(
        PersonName.objects.filter(kind=SOURCE_SPELLING, source__startswith=source).values_list("source", "person_id")
    )
    links: dict[str, int] = {}
    fresh: list[dict[str, Any]] = []
    for row in rows:
        ref = row["source_ref"]
        if ref in already:
            continue
        earlier = previous_links.get(provenance_source(source, ref))
        if earlier is not None:
            links[ref] = earlier  # linked by an earlier import of this source: unchanged
        else:
            fresh.append(row)
    if not fresh:
        return PreCommitDecision(links=links) if links else None
    households: dict[str, dict[str, Any]] = {}
    for row in fresh:
        values = households.setdefault(row.get("household_ref", ""), {})
        if row.get("origin_place") and "origin_place" not in values:
            values["origin_place"] = row["origin_place"]
    # Candidates are the people the importer may see: a scoped registrar's rows are never
    # linked to (nor counted as) someone outside her scope. A batch without an importer
    # (the command line) matches against the whole registry, as the system.
    importer = Actor(user=batch.created_by, channel=Channel.TASK) if batch.created_by else system_actor()
    matches = match_batch(
        [linkage_record(row, households) for row in fresh], actor=importer, threshold=CERTAIN_THRESHOLD
    )
    committer: Actor | None = getattr(batch, "committing_actor", None)
    automatic: list[tuple[BatchMatch, dict[str, Any]]] = []
    for match in matches:
        if match.outcome == "existing" and match.person is not None and _may_link(committer, match.person):
            row = fresh[match.index]
            links[row["source_ref"]] = match.person.pk
            automatic.append((match, row))
    kinship_before = Kinship.objects.aggregate(last=Max("pk"))["last"] or 0

    def after_write(person_ids: dict[str, int]) -> None:
        for match, row in automatic:
            assert committer is not None  # noqa: S101 - _may_link checked it
            _link_as_merge(committer, batch, match, row, kinship_before)
        _queue(matches, fresh, person_ids, linked={match.index for match, _row in automatic})

    return PreCommitDecision(links=links, after_write=after_write)


def _may_link(actor: Actor | None, person: Person) -> bool:
    """Whether this link may be made without a decision in the queue: someone answers for it (a
    user, not the system), that user may decide duplicates, and sees the existing person."""
    user = actor.user if actor is not None else None
    if actor is None or user is None or not user.is_active or not user.has_perm(ADJUDICATE):
        return False
    return scoped_people(actor=actor).filter(pk=person.pk).exists()


def _link_as_merge(
    actor: Actor, batch: ImportBatch, match: BatchMatch, row: dict[str, Any], kinship_before: int
) -> None:
    """Write the row as a person record beside the existing person, with its spelling and the
    kinship the import gave the existing person for it, then merge it into the existing person
    as the committing user: undoing the merge gives the row its own record back."""
    survivor = match.person
    assert survivor is not None  # noqa: S101 - only "existing" matches come here
    ref = row["source_ref"]
    death = row.get("death_date")
    record = Person(
        code=allocate_code("person"),
        household_id=survivor.household_id,
        household_role=row.get("household_role") or "",
        surname=row.get("surname") or "",
        given_name=row.get("given_name") or "",
        patronymic=row.get("patronymic") or "",
        sex=row.get("sex") or "",
        birth_date=row.get("birth_date") or "",
        birth_place_text=row.get("birth_place_text") or "",
        birth_place_id=row.get("birth_place") or None,
        is_deceased=bool(death),
        death_date=death or "",
        source=batch.source,
        source_ref=ref,
    )
    history_user_set(record, actor.user)
    change_reason_set(record, f"Imported from {batch.file_name} (batch {batch.pk})")
    record.save()
    PersonName.objects.create(
        person=record,
        surname=row.get("surname", ""),
        given_name=row.get("given_name", ""),
        patronymic=row.get("patronymic", ""),
        kind=SOURCE_SPELLING,
        source=provenance_source(batch.source, ref),
    )
    written = Kinship.objects.filter(pk__gt=kinship_before)
    written.filter(from_person=survivor).update(from_person=record)
    written.filter(to_person=survivor).update(to_person=record)
    left, right = (survivor, record) if survivor.pk < record.pk else (record, survivor)
    candidate = MatchCandidate.objects.create(
        left=left,
        right=right,
        probability=match.probability,
        explanation=match.explanation,
        reasons=list(match.reasons),
        origin=ORIGIN,
        status=MatchStatus.SAME,
        decided_by=actor.user,
        decided_at=timezone.now(),
        note=f"Linked at import (batch {batch.pk}): probability {match.probability:.4f} >= {CERTAIN_THRESHOLD}",
    )
    person_merge(actor=actor, survivor=survivor, absorbed=record, candidate=candidate)


def _queue(
    matches: list[BatchMatch], fresh: list[dict[str, Any]], person_ids: dict[str, int], *, linked: set[int]
) -> None:
    people = Person.objects.unscoped().in_bulk([person_ids[row["source_ref"]] for row in fresh])  # rows just written
    for match in matches:
        person = people[person_ids[fresh[match.index]["source_ref"]]]
        # A certain match nobody may answer for goes to the queue like an uncertain one.
        if match.outcome in ("review", "existing") and match.index not in linked and match.person is not None:
            candidate_propose(
                first=person,
                second=match.person,
                probability=match.probability,
                reasons=match.reasons,
                origin=ORIGIN,
            )
        if match.same_as_index is not None:
            other = people[person_ids[fresh[match.same_as_index]["source_ref"]]]
            if other.pk != person.pk:
                candidate_propose(
                    first=person,
                    second=other,
                    probability=CERTAIN_THRESHOLD,
                    reasons=[{"code": "batch.twice"}],
                    origin=ORIGIN,
                )
