"""Import-time matching: the registry import's pre-commit hook.

Inside the commit transaction, before anything is written, the batch is matched within itself
and against the whole registry (`match_batch`):
- certain matches (probability >= CERTAIN_THRESHOLD and clustered together) are linked to the
  existing person: no new person; the row's spelling is kept as a PersonName of kind
  "source spelling" whose source names the import source and row ref (this also makes a
  re-import link the row again instead of matching it afresh);
- uncertain matches (REVIEW_THRESHOLD up to CERTAIN_THRESHOLD) create the new person and a
  pending MatchCandidate (origin "import"); pairs decided "different people" are never queued;
- two rows of the batch that are one person are queued as a pair;
- everything else is a new person.
An error here aborts the commit and leaves the registry unchanged.
"""

from __future__ import annotations

from typing import Any

from yurd.core.actors import Actor, system_actor
from yurd.core.models import Channel
from yurd.linkage.matching.linker import REVIEW_THRESHOLD
from yurd.linkage.services import BatchMatch, candidate_propose, match_batch
from yurd.registry.imports import PreCommitDecision
from yurd.registry.models import ImportBatch, Person, PersonName

# Only a match at least this probable links an incoming row to an existing person without a
# human decision; from REVIEW_THRESHOLD up to here the pair goes to the adjudication queue.
CERTAIN_THRESHOLD = 0.99
SOURCE_SPELLING = "source spelling"
ORIGIN = "import"

__all__ = ["CERTAIN_THRESHOLD", "REVIEW_THRESHOLD", "match_import_batch"]


def provenance_source(source: str, ref: str) -> str:
    return f"{source} #{ref}"[:200]


def _record(row: dict[str, Any], households: dict[str, dict[str, Any]]) -> dict[str, str]:
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
    already = set(Person.objects.filter(source=source).values_list("source_ref", flat=True))
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
    matches = match_batch([_record(row, households) for row in fresh], actor=importer, threshold=CERTAIN_THRESHOLD)
    spellings: list[PersonName] = []
    for match in matches:
        if match.outcome == "existing" and match.person is not None:
            row = fresh[match.index]
            links[row["source_ref"]] = match.person.pk
            spellings.append(
                PersonName(
                    person=match.person,
                    surname=row.get("surname", ""),
                    given_name=row.get("given_name", ""),
                    patronymic=row.get("patronymic", ""),
                    kind=SOURCE_SPELLING,
                    source=provenance_source(source, row["source_ref"]),
                )
            )

    def after_write(person_ids: dict[str, int]) -> None:
        for spelling in spellings:
            spelling.save()
        _queue(matches, fresh, person_ids)

    return PreCommitDecision(links=links, after_write=after_write)


def _queue(matches: list[BatchMatch], fresh: list[dict[str, Any]], person_ids: dict[str, int]) -> None:
    people = Person.objects.in_bulk([person_ids[row["source_ref"]] for row in fresh])
    for match in matches:
        person = people[person_ids[fresh[match.index]["source_ref"]]]
        if match.outcome == "review" and match.person is not None:
            candidate_propose(
                first=person,
                second=match.person,
                probability=match.probability,
                explanation=match.explanation,
                origin=ORIGIN,
            )
        if match.same_as_index is not None:
            other = people[person_ids[fresh[match.same_as_index]["source_ref"]]]
            if other.pk != person.pk:
                candidate_propose(
                    first=person,
                    second=other,
                    probability=CERTAIN_THRESHOLD,
                    explanation="the same person twice in one import batch",
                    origin=ORIGIN,
                )
