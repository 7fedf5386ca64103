"""An import's check and commit run as jobs: the page shows them queued and running, then
their result, and the person finds them under Jobs."""

from __future__ import annotations

import io
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from yurd.accounts.models import User
from yurd.core.models import Job, JobStatus
from yurd.registry.models import ImportBatch, ImportStatus, Person
from yurd.registry.tests.test_import import make_csv
from yurd.testing.personas import Gazetteer

# The worker closes connections it finds inside a transaction: tests that run it commit for real.
pytestmark = pytest.mark.django_db(transaction=True)

# One household in the registrar's district (Qarabulaq lies in district A).
ROW = {"household_ref": "F9", "person_ref": "F9-1", "surname": "Quliyev", "given_name": "Vüqar", "sex": "m",
       "origin_place": "Qarabulaq", "displacement_date": "1949"}  # fmt: skip


@pytest.fixture
def queued_tasks(settings: Any) -> Iterator[None]:
    """Tasks wait in the database for a worker, as in an installation (the suite's default runs them at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    # The worker installs its own signal handlers; put pytest's back.
    for number, handler in saved.items():
        signal.signal(number, handler)


def run_worker() -> None:
    call_command("worker", "--batch", "--no-startup-delay", "--interval=0", "--no-reload", verbosity=0)


def upload(client: Client, rows: list[dict[str, str]]) -> ImportBatch:
    data = io.BytesIO(make_csv(rows))
    data.name = "families.csv"
    response = client.post(reverse("registry:import_new"), {"file": data, "source": "web list"})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry:import_detail", args=[batch.pk])
    return batch


def test_a_commit_shows_it_is_queued_then_ends_on_its_result(
    client: Client, registrar: User, gazetteer: Gazetteer, queued_tasks: None
) -> None:
    client.force_login(registrar)
    batch = upload(client, [ROW])
    checking = client.get(reverse("registry:import_detail", args=[batch.pk])).content.decode()
    assert "Import check: queued" in checking and 'hx-trigger="every 1s"' in checking
    run_worker()
    detail = reverse("registry:import_detail", args=[batch.pk])
    assert "Commit 1 valid row" in client.get(detail).content.decode()

    response = client.post(reverse("registry:import_commit", args=[batch.pk]), {"mode": "valid"}, follow=True)

    queued = response.content.decode()
    assert response.redirect_chain == [(detail, 302)]
    assert "Import commit: queued" in queued and "Waiting for the worker" in queued
    assert 'hx-trigger="every 1s"' in queued and 'id="import-bar"' in queued
    assert "Commit 1 valid row" not in queued and "Commit only if every row is valid" not in queued
    assert not Person.objects.filter(source="web list").exists()

    run_worker()

    partial = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert "Committed: 1 households and 1 person created; 0 people were already imported." in partial
    assert "<dd>committed</dd>" in partial
    assert "hx-trigger" not in partial  # the page stops polling
    assert "Commit 1 valid row" not in partial and "Commit only if every row is valid" not in partial
    assert Person.objects.filter(source="web list").count() == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert batch.job is not None and batch.job.status == JobStatus.SUCCEEDED
    assert batch.job.result == {"batch": batch.pk, "households_created": 1, "people_created": 1, "people_unchanged": 0}


def test_import_jobs_are_listed_under_jobs_for_the_person_who_started_them(
    client: Client, registrar: User, gazetteer: Gazetteer, queued_tasks: None
) -> None:
    client.force_login(registrar)
    batch = upload(client, [ROW])
    run_worker()
    client.post(reverse("registry:import_commit", args=[batch.pk]), {"mode": "valid"})

    jobs = client.get(reverse("core:job_list")).content.decode()
    assert jobs.count("Import check") == 1 and jobs.count("Import commit") == 1
    assert Job.objects.filter(owner=registrar).count() == 2
    commit = Job.objects.get(kind="registry.import_commit")
    assert commit.status == JobStatus.QUEUED
    assert f'href="{commit.get_absolute_url()}"' in jobs

    run_worker()

    commit.refresh_from_db()
    assert commit.status == JobStatus.SUCCEEDED
    assert "Finished" in client.get(reverse("core:job_progress", args=[commit.pk])).content.decode()


def test_a_second_commit_of_a_queued_batch_is_refused(
    client: Client, registrar: User, gazetteer: Gazetteer, queued_tasks: None
) -> None:
    client.force_login(registrar)
    batch = upload(client, [ROW])
    run_worker()
    commit = reverse("registry:import_commit", args=[batch.pk])
    client.post(commit, {"mode": "valid"})

    again = client.post(commit, {"mode": "valid"}, follow=True).content.decode()

    assert "Only a validated batch that is not yet committed can be committed." in again
    assert Job.objects.filter(kind="registry.import_commit").count() == 1
    run_worker()
    assert Person.objects.filter(source="web list").count() == 1
