"""Generated from the URL conf: every GET that shows a person's name writes an access-log entry.

Every pattern of the URL conf, with the boundary dataset's records in its parameters and
each query-string variant the view reads (urlwalk), is requested by an administrator,
who may see every record. When the answer contains the name of one of the dataset's
people, the request must have written at least one access-log entry (docs/security.md,
"Who saw what"). Exceptions are listed in NOT_LOGGED with their reason; an entry that
no longer applies fails the test, so the list only shrinks.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client

from yurd.core.models import AccessLogEntry
from yurd.core.tests import urlwalk
from yurd.core.tests.boundary_data import build
from yurd.registry.models import Person
from yurd.testing.personas import Gazetteer, login_verified

pytestmark = pytest.mark.django_db

# pattern key -> why its page may show names without an entry. Reviewed; empty since the
# admin's evidence pages log like the vault's own (issue 15).
NOT_LOGGED: dict[str, str] = {}


def _names() -> set[str]:
    names = set()
    for surname, given_name in Person.objects.values_list("surname", "given_name"):
        names |= {surname, given_name}
    return {name for name in names if len(name) > 3}


def test_every_page_that_shows_a_name_logs_the_access(
    gazetteer: Gazetteer,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    tmp_path: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.MEDIA_ROOT = tmp_path
    started, cpu_started = time.monotonic(), time.process_time()
    boundary = build(gazetteer)
    recorder = urlwalk.QueryRecorder(monkeypatch)
    names = _names()
    queries = urlwalk.query_values(boundary)
    client = Client(raise_request_exception=False)
    login_verified(client, boundary.administrator)
    routes = urlwalk.walk()
    unlogged: dict[str, list[str]] = defaultdict(list)
    covered = showing = requests = skipped = 0

    def check(route: urlwalk.Route, url: str, data: dict[str, str] | None = None) -> None:
        nonlocal showing, requests
        before = AccessLogEntry.objects.count()
        response = client.get(url, data)
        requests += 1
        asked = unquote(url + str(data or "")).lower()
        shown = urlwalk.found_secrets(
            urlwalk.response_text(response), {name for name in names if name.lower() not in asked}
        )
        if not shown:
            return
        showing += 1
        if AccessLogEntry.objects.count() == before:
            unlogged[route.key].append(f"{url} {data or ''}: {shown[:3]}")

    for route in routes:
        variants = urlwalk.variants(boundary, route)
        if variants is None:
            if route.key in urlwalk.NOT_COVERED:
                skipped += 1
            continue
        covered += 1
        for kwargs in variants:
            url = urlwalk.build_url(route, kwargs)
            recorder.reset()
            check(route, url)
            for key in sorted(recorder.keys() & queries.keys()):
                for value in queries[key]:
                    check(route, url, {key: value})

    with capsys.disabled():  # the coverage figure shows in every run, not only with -s
        print(
            f"\nURL access-log walk: {covered} of {len(routes)} patterns covered "
            f"({100 * covered / len(routes):.1f} %; {skipped} on the allow-list), {requests} requests, "
            f"{showing} showed a name, {time.monotonic() - started:.1f} s "
            f"({time.process_time() - cpu_started:.1f} s of CPU)"
        )
    unexpected = {key: found for key, found in unlogged.items() if key not in NOT_LOGGED}
    assert not unexpected, "names shown without an access-log entry:\n" + "\n".join(
        f"{key}: {found}" for key, found in sorted(unexpected.items())
    )
    stale = sorted(key for key in NOT_LOGGED if key not in unlogged)
    assert not stale, f"these log now: remove them from NOT_LOGGED: {stale}"
    assert covered + skipped == len(routes), "a pattern without a parameter filler: add one to urlwalk.FILLERS"
