"""What a device user may receive, and what reviewers see."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Count, Q, QuerySet

from yurd.accounts.models import User
from yurd.accounts.scopes import scope_q
from yurd.fieldwork.definition import PUBLISHED_FORMS
from yurd.fieldwork.models import Assignment, Submission, Team
from yurd.registry.models import Household


def assigned_households(*, user: User) -> QuerySet[Household]:
    """Households assigned to the user's teams, and within the user's scope."""
    assigned = Assignment.objects.filter(team__members=user).values("household")
    return Household.objects.visible_to(user).filter(pk__in=assigned).select_related("origin_place").order_by("code")


def forms_for(*, user: User) -> list[str]:
    """Form ids the user's device lists: those given to the teams the collector belongs to."""
    if not user.has_perm("fieldwork.collect"):
        return []
    given = {form for forms in Team.objects.filter(members=user).values_list("forms", flat=True) for form in forms}
    return [form for form in PUBLISHED_FORMS if form in given]


def team_list(*, user: User | None) -> QuerySet[Team]:
    """Teams with their members and the assignments the user may see counted."""
    visible = Household.objects.visible_to(user).values("pk")
    return Team.objects.annotate(
        member_count=Count("members", distinct=True),
        assignment_count=Count("assignments", filter=Q(assignments__household__in=visible), distinct=True),
    ).order_by("name")


def team_assignments(team: Team, *, user: User | None) -> QuerySet[Assignment]:
    """The team's assignments of households within the user's scope: a team may work in
    several districts, and a registrar sees and withdraws only those of her own."""
    return (
        Assignment.objects.filter(team=team, household__in=Household.objects.visible_to(user).values("pk"))
        .select_related("household", "household__origin_place")
        .order_by("household__code")
    )


def device_users() -> QuerySet[User]:
    """Active users whose role lets them collect with a device: the candidates for a team."""
    permission = Permission.objects.filter(codename="collect", content_type__app_label="fieldwork").first()
    if permission is None:  # before migrations created it
        return User.objects.none()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions=permission) | Q(user_permissions=permission) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


def submission_list(*, user: User) -> QuerySet[Submission]:
    """Reviewers see the submissions whose household is within their scope (by origin or
    current residence); collectors see their own."""
    queryset = Submission.objects.select_related("submitted_by", "import_batch").order_by("-created_at", "-id")
    if user.has_perm("fieldwork.review_submission"):
        return queryset.filter(scope_q(user, origin="origin_place", residence="current_place") | Q(submitted_by=user))
    return queryset.filter(submitted_by=user)
