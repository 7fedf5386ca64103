"""Sessions end after two hours without activity; activity keeps them alive."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from yurd.accounts.models import User

pytestmark = pytest.mark.django_db


def test_idle_timeout_is_two_hours() -> None:
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60


def test_expired_session_is_logged_out(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    assert client.get("/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_activity_extends_the_session(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    session_key = client.session.session_key
    Session.objects.filter(session_key=session_key).update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get("/")
    expire_date = Session.objects.get(session_key=client.session.session_key).expire_date
    assert expire_date > timezone.now() + timedelta(hours=1, minutes=59)


def test_a_recently_refreshed_session_is_not_written_again(client: Client, registrar: User) -> None:
    """Activity within the refresh interval does not rewrite the session (one write per few
    minutes, not three statements on every page); after it, the next request refreshes it."""
    client.force_login(registrar)
    client.get("/")
    session_key = client.session.session_key
    extended = Session.objects.get(session_key=session_key).expire_date
    Session.objects.filter(session_key=session_key).update(expire_date=extended - timedelta(minutes=1))
    client.get("/")
    assert Session.objects.get(session_key=session_key).expire_date == extended - timedelta(minutes=1)

    session = client.session
    session["_yurd_refreshed"] -= settings.YURD_SESSION_REFRESH_SECONDS
    session.save()
    Session.objects.filter(session_key=session_key).update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get("/")
    assert Session.objects.get(session_key=session_key).expire_date > timezone.now() + timedelta(hours=1, minutes=59)
