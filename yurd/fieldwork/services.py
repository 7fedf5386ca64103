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
import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yurd.accounts.models import User
from yurd.core.access import log_access
from yurd.core.actors import Actor
from yurd.core.history import change_context, delete_with_reason
from yurd.core.models import AccessAction
from yurd.core.permissions import require
from yurd.fieldwork.definition import FORM_ID, PUBLISHED_FORMS
from yurd.fieldwork.digest import ALGORITHMS, ha1
from yurd.fieldwork.models import (
    Assignment,
    DeviceCredential,
    Submission,
    SubmissionAttachment,
    SubmissionChannel,
    SubmissionStatus,
    Team,
)
from yurd.fieldwork.openrosa import realm
from yurd.fieldwork.selectors import assigned_households
from yurd.fieldwork.submissions import SubmissionValues, parse_export, parse_instance
from yurd.fieldwork.tasks import match_submissions_task
from yurd.places.models import PlaceKind
from yurd.registry.imports import COLUMNS, import_create, import_validate
from yurd.registry.models import Household, ImportBatch
from yurd.registry.places_lookup import import_place_resolver
from yurd.registry.selectors import get_household_for_user, household_queryset
from yurd.returns.models import ReturnIntention
from yurd.returns.services import return_intention_record

SOURCE = "fieldwork"

REFUSED = gettext_lazy("You may not manage field teams.")


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
    # Matching reads the whole registry: a background job, so a device's request returns at once.
    match_submissions_task.enqueue([item.pk for item in registering])
    return batch


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
            **_places(values),
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


def _places(values: Mapping[str, Any], resolve: Callable[[str, str | None], Any] | None = None) -> dict[str, Any]:
    """The origin and current places of a submission's household, for scoping: the registry's
    own household when the submission names one, else the places the collector wrote, when
    they name exactly one settlement."""
    code = str(values.get("household_code") or "")
    if code:
        # Only the places, to decide the submission's scope; nothing of it is shown.
        household = Household.objects.unscoped().filter(code=code).only("origin_place_id", "current_place_id").first()
        if household is not None:
            return {"origin_place_id": household.origin_place_id, "current_place_id": household.current_place_id}

    resolve = resolve or import_place_resolver()
    household_values = values.get("household") or {}
    found = {}
    for field in ("origin_place", "current_place"):
        text = str(household_values.get(field) or "").strip()
        place = resolve(text, None) if text else None
        found[f"{field}_id"] = place.pk if place is not None and not isinstance(place, list) else None
    return found


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

    resolve = import_place_resolver()
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
                    **_places(values, resolve),
                )
            )
    batch = submissions_stage(actor=actor, submissions=created, file_name=file_name)
    return created, batch


def submission_record_intention(*, actor: Actor, submission: Submission) -> ReturnIntention:
    """Adjudication of a return survey: record its answer on the household (returns app)."""
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


# --- Teams, assignments and device passwords ------------------------------------------------


def _check_forms(forms: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(forms))
    unknown = [form for form in wanted if form not in PUBLISHED_FORMS]
    if unknown:
        raise ValidationError(_("Unknown forms: %(forms)s") % {"forms": ", ".join(unknown)})
    return wanted


def _check_members(members: Iterable[User]) -> list[User]:
    people = list(members)
    refused = [user.username for user in people if not user.has_perm("fieldwork.collect")]
    if refused:
        raise ValidationError(_("These users may not collect with a device: %(users)s") % {"users": ", ".join(refused)})
    return people


def team_create(*, actor: Actor, name: str, forms: Iterable[str] = (), members: Iterable[User] = ()) -> Team:
    require(actor, "fieldwork.add_team", message=REFUSED)
    with transaction.atomic(), change_context(user=actor.user, reason=_("Team created")):
        team = Team(name=name.strip(), forms=_check_forms(forms))
        team.full_clean()
        team.save()
        team.members.set(_check_members(members))
    return team


def team_update(
    *, actor: Actor, team: Team, name: str, forms: Iterable[str], members: Iterable[User], reason: str = ""
) -> Team:
    """Rename the team, choose its forms and its device users (members' devices follow at once)."""
    require(actor, "fieldwork.change_team", message=REFUSED)
    with transaction.atomic(), change_context(user=actor.user, reason=reason or _("Team changed")):
        locked = Team.objects.select_for_update().get(pk=team.pk)
        locked.name = name.strip()
        locked.forms = _check_forms(forms)
        locked.full_clean()
        locked.save()
        locked.members.set(_check_members(members))
    return locked


def assignments_add(*, actor: Actor, team: Team, households: Iterable[Household]) -> int:
    """Give the team these households (those it already has are left alone); how many were new.

    Only households the actor may see can be given: a registrar assigns within her scope.
    """
    require(actor, "fieldwork.add_assignment", message=REFUSED)
    wanted = {household.pk: household for household in households}
    if actor.user is not None:
        visible = set(household_queryset(user=actor.user).filter(pk__in=wanted).values_list("pk", flat=True))
        outside = sorted(household.code for pk, household in wanted.items() if pk not in visible)
        if outside:
            raise PermissionDenied(_("Outside your scope: %(codes)s") % {"codes": ", ".join(outside)})
    with transaction.atomic(), change_context(user=actor.user, reason=_("Household assigned to a team")):
        present = set(Assignment.objects.filter(team=team, household__in=wanted).values_list("household", flat=True))
        created = 0
        for pk, household in wanted.items():
            if pk in present:
                continue
            Assignment.objects.create(team=team, household=household)
            created += 1
    return created


def assignment_remove(*, actor: Actor, assignment: Assignment) -> None:
    require(actor, "fieldwork.delete_assignment", message=REFUSED)
    if not Household.objects.visible_to(actor.user).filter(pk=assignment.household_id).exists():
        raise PermissionDenied(_("This household lies outside your scope."))
    with transaction.atomic():
        delete_with_reason(assignment, reason=_("Assignment withdrawn"), user=actor.user)


def device_password_set(*, actor: Actor, user: User, password: str = "") -> str:
    """Set the device password `user` types into ODK Collect (HTTP Digest); returns it.

    Generated when not given. Only its Digest hashes are stored, so it is shown once.
    A user may set their own; an administrator (fieldwork.change_team) anyone's.
    """
    if actor.user is not None and actor.user.pk != user.pk:
        require(actor, "fieldwork.change_team", message=REFUSED)
    if not user.has_perm("fieldwork.collect"):
        raise ValidationError(_("%(user)s may not collect with a device.") % {"user": user.username})
    password = password or _generated_password()
    if len(password) < DEVICE_PASSWORD_MIN_LENGTH:
        raise ValidationError(
            _("A device password has at least %(count)d characters.") % {"count": DEVICE_PASSWORD_MIN_LENGTH}
        )
    digests = {algorithm: ha1(algorithm, user.get_username(), realm(), password) for algorithm in ALGORITHMS}
    with transaction.atomic(), change_context(user=actor.user, reason=_("Device password set")):
        credential = DeviceCredential.objects.select_for_update().filter(user=user).first() or DeviceCredential(
            user=user
        )
        credential.realm = realm()
        credential.ha1_md5 = digests["MD5"]
        credential.ha1_sha256 = digests["SHA-256"]
        credential.set_by = actor.user
        credential.save()
        log_access(actor, AccessAction.CHANGE, "fieldwork.devicecredential", code=user.get_username())
    return password


DEVICE_PASSWORD_MIN_LENGTH = 12
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _generated_password() -> str:
    """Four groups of four letters and digits (no look-alikes), easy to type on a phone."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _i in range(4)) for _group in range(4))
