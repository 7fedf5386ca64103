"""Receiving field submissions and staging them in the registry's import.

Path of every submission, whether a device sent it or it came in an uploaded export:
store it once (by instanceID) -> stage its members as rows of a registry ImportBatch
(validated by the registry's own rules) -> match them against the registry with the
linkage engine -> a registrar adjudicates and commits the batch on the registry's
import page. Nothing here writes households or people.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yurd.core.actors import Actor
from yurd.fieldwork.definition import FORM_ID
from yurd.fieldwork.models import (
    Submission,
    SubmissionAttachment,
    SubmissionChannel,
    SubmissionMatch,
    SubmissionStatus,
)
from yurd.fieldwork.selectors import assigned_households
from yurd.fieldwork.submissions import SubmissionValues, parse_export, parse_instance
from yurd.registry.imports import COLUMNS, import_create, import_validate
from yurd.registry.models import ImportBatch, Person
from yurd.returns.models import ReturnIntention

logger = logging.getLogger(__name__)
SOURCE = "fieldwork"
MATCH_THRESHOLD = 0.5
# Blocking keeps the candidate list small: the linkage engine estimates its model only
# from large lists (300 records or more), and a handful of submitted members is scored
# with its calibrated starting values, the same way every time.
MAX_CANDIDATES = 250


def _registry_rows(submission: Submission) -> list[list[str]]:
    values = submission.values
    household = values.get("household", {})
    rows = []
    for number, member in enumerate(values.get("members", []), start=1):
        cells = {
            "household_ref": submission.instance_id,
            "person_ref": f"{submission.instance_id}#{number}",
            "surname": member.get("surname", ""),
            "given_name": member.get("given_name", ""),
            "patronymic": member.get("patronymic", ""),
            "sex": member.get("sex", ""),
            "birth_date": member.get("birth_date", ""),
            "role": member.get("role", ""),
            "origin_place": household.get("origin_place", ""),
            "displacement_date": household.get("displacement_date", ""),
            "current_place": household.get("current_place", ""),
        }
        rows.append([cells.get(column, "") for column in COLUMNS])
    return rows


def submissions_stage(*, actor: Actor, submissions: Iterable[Submission], file_name: str) -> ImportBatch | None:
    """Stage the members of registration submissions as ONE registry import batch, then match them."""
    registering = [item for item in submissions if item.values.get("survey_kind") == "register"]
    rows = [row for submission in registering for row in _registry_rows(submission)]
    if not rows:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    # The staged rows are always CSV, whatever the original came as (XML, XLSX).
    staged_name = file_name.rsplit(".", 1)[0] + ".csv"
    batch = import_create(actor=actor, data=buffer.getvalue().encode(), file_name=staged_name, source=SOURCE)
    batch = import_validate(batch=batch)
    Submission.objects.filter(pk__in=[item.pk for item in registering]).update(
        import_batch=batch, status=SubmissionStatus.STAGED
    )
    try:
        submissions_match(submissions=registering)
    except Exception as error:
        # The rows are staged whatever happens; the registrar then matches on the import page.
        logger.exception("Matching field submissions failed")
        Submission.objects.filter(pk__in=[item.pk for item in registering]).update(
            error=_("Staged, but automatic matching failed: %(error)s") % {"error": str(error)[:500]}
        )
    return batch


def _candidates(members: list[dict[str, str]]) -> list[Person]:
    """Registry people sharing the folded surname and given name of a submitted member."""
    from yurd.linkage.matching import search_tokens

    found: dict[int, Person] = {}
    for member in members:
        surname = search_tokens(member.get("surname", ""))[:1]
        given = search_tokens(member.get("given_name", ""))[:1]
        if not surname:
            continue
        queryset = Person.objects.filter(search_text__contains=surname[0])
        if given:
            queryset = queryset.filter(search_text__contains=given[0])
        for person in queryset.select_related("household__origin_place").order_by("pk")[:50]:
            found[person.pk] = person
        if len(found) >= MAX_CANDIDATES:
            break
    return list(found.values())[:MAX_CANDIDATES]


def submissions_match(*, submissions: list[Submission]) -> int:
    """Score each member against registry people sharing a surname key (the linkage engine)."""
    from yurd.linkage.matching.linker import link

    members = [
        (submission, number, member)
        for submission in submissions
        for number, member in enumerate(submission.values.get("members", []), start=1)
    ]
    candidates = _candidates([member for _submission, _number, member in members])
    if not members or not candidates:
        return 0
    left = [
        {
            "record_id": f"{submission.pk}:{number}",
            "surname": member.get("surname", ""),
            "given_name": member.get("given_name", ""),
            "patronymic": member.get("patronymic", ""),
            "sex": member.get("sex", ""),
            "birth_date": member.get("birth_date", ""),
            "origin_place": submission.values.get("household", {}).get("origin_place", ""),
        }
        for submission, number, member in members
    ]
    right = [
        {
            "record_id": str(person.pk),
            "surname": person.surname,
            "given_name": person.given_name,
            "patronymic": person.patronymic,
            "sex": person.sex,
            "birth_date": str(person.birth_date or ""),
            "origin_place": person.household.origin_place.name if person.household.origin_place else "",
        }
        for person in candidates
    ]
    result = link(left, right, review_threshold=MATCH_THRESHOLD)
    matches = []
    for pair in result.pairs:
        if pair.probability < MATCH_THRESHOLD:
            continue
        submission_pk, number = pair.left.removeprefix("a:").split(":")
        matches.append(
            SubmissionMatch(
                submission_id=int(submission_pk),
                member=int(number),
                person_id=int(pair.right.removeprefix("b:")),
                probability=pair.probability,
                explanation=pair.explanation,
            )
        )
    SubmissionMatch.objects.filter(submission__in=submissions).delete()
    SubmissionMatch.objects.bulk_create(matches)
    return len(matches)


def _check_assignment(actor: Actor, values: SubmissionValues) -> str:
    """An error message when a return survey names a household not assigned to the sender."""
    if values.get("survey_kind") != "return":
        return ""
    code = values.get("household_code", "")
    if not code:
        return _("A return survey must name an assigned household.")
    if actor.user is not None and not assigned_households(user=actor.user).filter(code=code).exists():
        return _("Household %(code)s is not assigned to this collector.") % {"code": code}
    return ""


def submission_receive(
    *, actor: Actor, xml: bytes, attachments: Iterable[tuple[str, bytes]] = ()
) -> tuple[Submission, bool]:
    """Store one OpenRosa submission (once per instanceID) and stage it; (submission, created)."""
    user = actor.user
    if user is not None and not user.has_perm("fieldwork.collect"):
        raise PermissionDenied(_("This user may not submit field data."))
    instance_id, form_id, version, values = parse_instance(xml)
    files = list(attachments)
    with transaction.atomic():
        existing = Submission.objects.select_for_update().filter(instance_id=instance_id).first()
        if existing is not None:
            # A retry, or the next part of a submission split over several requests:
            # keep the first XML, add only attachments not yet received.
            _attach(existing, files)
            return existing, False
        error = _check_assignment(actor, values)
        submission = Submission(
            instance_id=instance_id,
            form_id=form_id,
            form_version=version,
            channel=SubmissionChannel.OPENROSA,
            submitted_by=user,
            xml=xml.decode("utf-8", errors="replace"),
            values=values,
            household_code=values.get("household_code", "")[:16],
            status=SubmissionStatus.REJECTED if error else SubmissionStatus.RECEIVED,
            error=error,
        )
        try:
            with transaction.atomic():
                submission.save()
        except IntegrityError:
            # A concurrent retry of the same instance won the race.
            return Submission.objects.get(instance_id=instance_id), False
        _attach(submission, files)
    if not error:
        submissions_stage(actor=actor, submissions=[submission], file_name=f"{instance_id}.xml")
        submission.refresh_from_db()
    return submission, True


def _attach(submission: Submission, files: list[tuple[str, bytes]]) -> None:
    present = set(submission.attachments.values_list("name", flat=True))
    for name, content in files:
        if name in present:
            continue
        attachment = SubmissionAttachment(
            submission=submission, name=name[:255], sha256=hashlib.sha256(content).hexdigest(), size=len(content)
        )
        attachment.file.save(f"{submission.pk}-{attachment.sha256[:16]}", ContentFile(content), save=False)
        attachment.save()
        present.add(name)


def export_upload(*, actor: Actor, data: bytes, file_name: str) -> tuple[list[Submission], ImportBatch | None]:
    """Submissions from a KoBo / ODK Central export: new instances stored and staged, known ones skipped."""
    user = actor.user
    if user is not None and not user.has_perm("fieldwork.review_submission"):
        raise PermissionDenied(_("You may not upload field exports."))
    parsed = parse_export(data, file_name)
    known = set(
        Submission.objects.filter(instance_id__in=[iid for iid, _v in parsed]).values_list("instance_id", flat=True)
    )
    created = []
    with transaction.atomic():
        for instance_id, values in parsed:
            if instance_id in known:
                continue
            known.add(instance_id)
            created.append(
                Submission.objects.create(
                    instance_id=instance_id[:100],
                    form_id=FORM_ID,
                    channel=SubmissionChannel.UPLOAD,
                    submitted_by=user,
                    values=values,
                    household_code=str(values.get("household_code", ""))[:16],
                )
            )
    batch = submissions_stage(actor=actor, submissions=created, file_name=file_name)
    return created, batch


def submission_record_intention(*, actor: Actor, submission: Submission) -> ReturnIntention:
    """Adjudication of a return survey: record its answer on the household (returns app)."""
    from yurd.places.models import PlaceKind
    from yurd.registry.places_lookup import import_place_resolver
    from yurd.registry.selectors import get_household_for_user
    from yurd.returns.services import return_intention_record

    if submission.intention_recorded_id:
        raise ValidationError(_("This answer was already recorded."))
    answer = submission.values.get("return", {})
    household = get_household_for_user(user=actor.user, code=submission.household_code)
    place = None
    if answer.get("preferred_place"):
        found = import_place_resolver()(answer["preferred_place"], PlaceKind.SETTLEMENT)
        if found is None or isinstance(found, list):
            raise ValidationError(
                _("Settlement %(name)r is unknown or ambiguous.") % {"name": answer["preferred_place"]}
            )
        place = found
    try:
        survey_date = dt.date.fromisoformat(submission.values.get("today", ""))
    except ValueError:
        survey_date = timezone.localdate()
    with transaction.atomic():
        intention = return_intention_record(
            actor=actor,
            household=household,
            survey_date=survey_date,
            intention=answer.get("intention", ""),
            preferred_place=place,
            conditions=(answer.get("conditions") or "").split(),
            timeline=answer.get("timeline") or "unknown",
            source=f"fieldwork {submission.instance_id}",
        )
        Submission.objects.filter(pk=submission.pk).update(intention_recorded=intention)
    return intention
