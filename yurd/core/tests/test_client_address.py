"""The client's address behind trusted proxies (YURD_TRUSTED_PROXIES), for the access log,
django-axes lockouts and the status look-up's rate limit, which counts in the shared cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from yurd.accounts.models import User
from yurd.core.clientip import client_ip
from yurd.core.models import AccessAction, AccessLogEntry
from yurd.reports.tests.data import populate
from yurd.testing.personas import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db
PROXY = "127.0.0.1"


def _through_proxy(client_address: str, *, spoofed: str = "") -> Client:
    """A client whose requests nginx passes on: it appends the address it saw to what the client sent."""
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return Client(REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": forwarded})


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "198.51.100.7", PROXY),  # no proxy trusted: the header is the client's word
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "10.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's own entry is ignored
        (2, "10.6.6.6, 198.51.100.7, 192.0.2.1", "198.51.100.7"),
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
        (3, "198.51.100.7", "198.51.100.7"),
    ],
)
def test_the_client_is_read_from_the_right_past_the_trusted_proxies(
    settings: Any, trusted: int, forwarded: str, expected: str
) -> None:
    settings.YURD_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_access_log_records_the_client_behind_the_proxy(settings: Any, registrar: User, gazetteer: Any) -> None:
    settings.YURD_TRUSTED_PROXIES = 1
    household = next(h for h in populate(gazetteer) if h.origin_place == gazetteer.settlement_a1)
    client = _through_proxy("198.51.100.7", spoofed="203.0.113.99")
    client.force_login(registrar)
    assert client.get(reverse("registry:household_detail", args=[household.code])).status_code == 200
    entry = AccessLogEntry.objects.filter(action=AccessAction.VIEW, target_code=household.code).get()
    assert entry.ip_address == "198.51.100.7"


def test_a_lockout_behind_the_proxy_locks_one_client_not_everyone(settings: Any, assessor: User) -> None:
    settings.YURD_TRUSTED_PROXIES = 1
    attacker = _through_proxy("203.0.113.66")
    for _attempt in range(5):
        attacker.post("/accounts/login/", {"username": assessor.username, "password": "wrong-password"})
    assert (
        attacker.post("/accounts/login/", {"username": assessor.username, "password": PERSONA_PASSWORD}).status_code
        == 429
    )
    owner = _through_proxy("198.51.100.7")
    response = owner.post("/accounts/login/", {"username": assessor.username, "password": PERSONA_PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in owner.session


def test_the_status_look_up_limit_is_per_client_behind_the_proxy(settings: Any) -> None:
    settings.YURD_TRUSTED_PROXIES = 1
    caches["shared"].clear()
    url = reverse("claims:status_lookup")
    busy = _through_proxy("203.0.113.66")
    for _attempt in range(10):
        busy.post(url, {"case_number": "CL-2026-000001", "secret": "WRONG"})
    assert busy.post(url, {"case_number": "CL-2026-000001", "secret": "WRONG"}).status_code == 429
    assert (
        _through_proxy("198.51.100.7").post(url, {"case_number": "CL-2026-000001", "secret": "WRONG"}).status_code
        == 200
    )


def test_the_rate_limit_counts_in_a_database_table_every_process_reads(settings: Any) -> None:
    settings.YURD_TRUSTED_PROXIES = 1
    shared = caches["shared"]
    assert isinstance(shared, DatabaseCache)
    shared.clear()
    _through_proxy("203.0.113.66").post(
        reverse("claims:status_lookup"), {"case_number": "CL-2026-000001", "secret": "WRONG"}
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM yurd_shared_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("status-lookup:203.0.113.66" in key for key in keys), keys


def test_redis_is_the_shared_cache_when_redis_url_is_set() -> None:
    root = Path(__file__).resolve().parents[3]
    program = "import config.settings.base as s; print(s.CACHES['shared']['BACKEND'], s.CACHES['shared']['LOCATION'])"
    environment = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/3", "DATABASE_URL": ""}
    output = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", program], cwd=root, env=environment, capture_output=True, text=True, check=True
    ).stdout.split()
    assert output == ["django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/3"]
