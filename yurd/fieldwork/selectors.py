"""What a device user may receive, and what reviewers see."""

from __future__ import annotations

from django.db.models import QuerySet

from yurd.accounts.models import User
from yurd.accounts.scopes import scope_q
from yurd.fieldwork.definition import FORM_ID
from yurd.fieldwork.models import Assignment, Submission
from yurd.registry.models import Household


def assigned_households(*, user: User) -> QuerySet[Household]:
    """Households assigned to the user's teams, and within the user's scope."""
    assigned = Assignment.objects.filter(team__members=user).values("household")
    return (
        Household.objects.filter(pk__in=assigned)
        .filter(scope_q(user, origin="origin_place", residence="current_place"))
        .select_related("origin_place")
        .order_by("code")
    )


def forms_for(*, user: User) -> list[str]:
    """Form ids the user's device lists: the field form, for collectors who belong to a team."""
    if user.has_perm("fieldwork.collect") and user.field_teams.exists():  # type: ignore[attr-defined]
        return [FORM_ID]
    return []


def submission_list(*, user: User) -> QuerySet[Submission]:
    queryset = Submission.objects.select_related("submitted_by", "import_batch").order_by("-created_at", "-id")
    if user.has_perm("fieldwork.review_submission"):
        return queryset
    return queryset.filter(submitted_by=user)
