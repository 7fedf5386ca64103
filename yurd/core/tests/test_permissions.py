"""One permission check for services, selectors, views and commands."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from yurd.accounts.models import User
from yurd.claims.errors import ClaimPermissionError
from yurd.claims.services.common import require as claim_require
from yurd.core.actors import Actor, system_actor
from yurd.core.permissions import has_permissions, require


def test_system_operator_may_do_everything() -> None:
    require(system_actor(), "registry.change_household", "claims.decide_claim")
    require(None, "registry.change_household")


def test_registrar_holds_registry_permissions_through_actor_and_user(registrar: User) -> None:
    require(Actor(user=registrar), "registry.change_household")
    require(registrar, "registry.view_household", "registry.change_household")


def test_outsider_is_refused_with_permission_denied(outsider: User) -> None:
    with pytest.raises(PermissionDenied, match="You may not do this"):
        require(Actor(user=outsider), "registry.change_household")


def test_every_permission_is_required_not_any(registrar: User) -> None:
    assert not has_permissions(registrar, "registry.change_household", "claims.decide_claim")
    with pytest.raises(PermissionDenied, match="field teams"):
        require(registrar, "registry.change_household", "claims.decide_claim", message="No field teams.")


def test_anonymous_user_holds_no_permission(db: None) -> None:
    assert not has_permissions(AnonymousUser(), "registry.view_household")


def test_alternatives_separated_by_a_bar_need_only_one(registrar: User, reviewer: User, analyst: User) -> None:
    assert has_permissions(registrar, "claims.submit_claim|claims.approve_claim")
    assert has_permissions(reviewer, "claims.submit_claim|claims.approve_claim")
    assert not has_permissions(analyst, "claims.submit_claim|claims.approve_claim")


def test_a_claims_refusal_is_a_permission_denied_the_claim_pages_can_show(analyst: User) -> None:
    with pytest.raises(ClaimPermissionError) as refusal:
        claim_require(Actor(user=analyst), "claims.approve_claim")
    assert isinstance(refusal.value, PermissionDenied)
    assert refusal.value.message == "Your role does not allow this step."
