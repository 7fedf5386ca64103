"""Background jobs: run through the real database worker, progress on the page, failures explained."""

import io
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_tasks import task

from yurd.accounts.models import User
from yurd.core.jobs import JobContext, JobError, job_create, job_function, job_progress, job_run_here, job_start
from yurd.core.models import AccessLogEntry, Job, JobStatus
from yurd.core.progress import ProgressBar
from yurd.core.tasks import INTEGRITY_CHECK, integrity_check
from yurd.places.models import Place
from yurd.testing.personas import Gazetteer, login_verified
from yurd.testing.responses import streamed

pytestmark = pytest.mark.django_db


@task()
@job_function
def counting_job(job: JobContext, *, steps: int) -> dict[str, Any]:
    """Counts to `steps`, noting what the Job row said after each progress report."""
    seen = []
    for step in range(1, steps + 1):
        job.progress(step, steps, f"Step {step}")
        seen.append(Job.objects.get(pk=job.job_id).done)
    return {"seen": seen}


@task()
@job_function
def refusing_job(job: JobContext, *, row: int) -> dict[str, Any]:
    job.progress(row - 1, 20, "Reading rows")
    raise JobError(f"Row {row} has no household code.")


@task()
@job_function
def crashing_job(job: JobContext) -> dict[str, Any]:
    return {"ratio": 1 // 0}


@pytest.fixture
def worker_signals() -> Iterator[None]:
    """db_worker installs its own SIGINT/SIGTERM handlers; put pytest's back afterwards."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


# The worker closes connections it finds inside a transaction (as a test's would be on
# PostgreSQL), so tests that run it commit for real.
through_worker = pytest.mark.django_db(transaction=True)


def run_worker(command: str = "worker") -> None:
    call_command(command, "--backend=db", "--batch", "--no-startup-delay", "--interval=0", "--no-reload", verbosity=0)


@through_worker
def test_a_job_runs_through_the_database_worker(
    client: Client, administrator: User, gazetteer: Gazetteer, worker_signals: None
) -> None:
    job = job_start(INTEGRITY_CHECK, administrator, integrity_check, backend="db")
    assert job.status == JobStatus.QUEUED
    assert job.task_result_id

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["places_checked"] == 7
    assert job.result["problem_count"] == 0
    assert (job.done, job.total) == (job.total, 7 + len(job.result["records"]))
    assert job.started_at is not None and job.finished_at is not None
    login_verified(client, administrator)
    partial = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "Finished." in partial
    assert "hx-get" not in partial  # a finished job stops polling


@through_worker
def test_django_tasks_db_worker_runs_jobs_too(administrator: User, worker_signals: None) -> None:
    job = job_start("test.counting", administrator, counting_job, backend="db", steps=3)
    run_worker("db_worker")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


@through_worker
def test_progress_is_written_while_the_job_runs(administrator: User, worker_signals: None) -> None:
    job = job_start("test.counting", administrator, counting_job, backend="db", steps=5)

    run_worker()

    job.refresh_from_db()
    # The first report is written at once, later ones at most twice a second, the last always.
    assert job.result["seen"][0] == 1
    assert job.result["seen"][-1] == 5
    assert (job.done, job.total, job.message) == (5, 5, "Finished.")


def test_a_running_job_page_polls_its_progress_every_second(client: Client, registrar: User) -> None:
    job = job_create(kind=INTEGRITY_CHECK, owner=registrar)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    job_progress(job.pk, 3, 10, "Checking place paths")
    client.force_login(registrar)

    page = client.get(f"/jobs/{job.pk}/").content.decode()
    partial = client.get(f"/jobs/{job.pk}/progress/").content.decode()

    for html in (page, partial):
        assert f'hx-get="/jobs/{job.pk}/progress/"' in html
        assert 'hx-trigger="every 1s"' in html
        assert 'value="3"' in html and 'max="10"' in html
        assert "Checking place paths" in html
        assert "30%" in html


@through_worker
def test_a_refused_job_shows_its_message(client: Client, registrar: User, worker_signals: None) -> None:
    job = job_start("test.refusing", registrar, refusing_job, backend="db", row=12)

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "Row 12 has no household code."
    assert job.done == 11
    client.force_login(registrar)
    partial = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "Row 12 has no household code." in partial
    assert "hx-get" not in partial


def test_an_unexpected_error_is_explained_and_kept_for_operators(registrar: User) -> None:
    job = job_start("test.crashing", registrar, crashing_job)  # the immediate backend of the tests

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "unexpected error (ZeroDivisionError)" in job.message
    assert "ZeroDivisionError" in job.error
    assert "Traceback" in job.error


def test_job_messages_use_the_language_of_whoever_started_it(client: Client, administrator: User) -> None:
    login_verified(client, administrator)
    client.post("/jobs/", HTTP_ACCEPT_LANGUAGE="ru")
    job = Job.objects.get()
    assert job.language == "ru"
    assert job.status == JobStatus.SUCCEEDED
    assert job.message != "Finished."


def test_administrator_starts_an_integrity_check_from_the_jobs_page(client: Client, administrator: User) -> None:
    login_verified(client, administrator)

    response = client.post("/jobs/")

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.owner, job.status) == (INTEGRITY_CHECK, administrator, JobStatus.SUCCEEDED)
    assert "Integrity check" in client.get("/jobs/").content.decode()


@pytest.mark.parametrize("persona", ["registrar", "analyst", "auditor", "outsider"])
def test_other_roles_may_not_start_maintenance_jobs(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    login_verified(client, request.getfixturevalue(persona))
    assert client.post("/jobs/").status_code == 403
    assert not Job.objects.exists()


def test_someone_elses_job_is_not_found(client: Client, registrar: User, analyst: User) -> None:
    job = job_create(kind=INTEGRITY_CHECK, owner=registrar)
    client.force_login(analyst)

    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/progress/", f"/jobs/{job.pk}/download/"):
        assert client.get(url).status_code == 404
    assert job not in client.get("/jobs/").context["page"].object_list


def test_administrator_sees_every_job(client: Client, registrar: User, administrator: User) -> None:
    job = job_create(kind=INTEGRITY_CHECK, owner=registrar)
    login_verified(client, administrator)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200


def test_malformed_job_ids_are_not_found(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    assert client.get("/jobs/not-a-uuid/").status_code == 404
    assert client.get("/jobs/00000000-0000-0000-0000-000000000000/progress/").status_code == 404


def test_a_result_file_downloads_and_the_download_is_logged(client: Client, registrar: User) -> None:
    job = job_create(kind="test.export", owner=registrar)
    exports = Path(settings.MEDIA_ROOT) / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    (exports / "households.csv").write_text("code\nHH-000001\n", encoding="utf-8")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, result_file="exports/households.csv")
    client.force_login(registrar)

    response = client.get(f"/jobs/{job.pk}/download/")

    assert response.status_code == 200
    assert streamed(response) == b"code\nHH-000001\n"
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.target_type, entry.target_code) == ("download", "core.job", str(job.pk))


def test_a_result_file_outside_media_is_not_served(client: Client, registrar: User) -> None:
    job = job_create(kind="test.export", owner=registrar)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, result_file="../../../../etc/passwd")
    client.force_login(registrar)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_integrity_check_reports_a_broken_place_path(administrator: User, gazetteer: Gazetteer) -> None:
    Place.objects.filter(pk=gazetteer.settlement_b1.pk).update(path="999/")

    job = job_start(INTEGRITY_CHECK, administrator, integrity_check)

    job.refresh_from_db()
    assert job.result["problem_count"] == 1
    assert "TST-S21" in job.result["problems"][0]


def test_running_a_job_here_feeds_a_progress_bar(gazetteer: Gazetteer) -> None:
    stream = io.StringIO()
    bar = ProgressBar(label="Check", stream=stream)

    job = job_run_here(integrity_check, kind=INTEGRITY_CHECK, listener=bar)
    bar.finish()

    assert job.status == JobStatus.SUCCEEDED
    assert job.owner is None
    lines = stream.getvalue().splitlines()
    assert lines[-1].startswith("Check [" + "#" * 30 + "] 100%")


def test_integrity_check_command_prints_its_findings(gazetteer: Gazetteer) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("integrity_check", stdout=stdout, stderr=stderr)

    assert "Checked 7 places; 0 problem(s)." in stdout.getvalue()
    assert "100%" in stderr.getvalue()


def test_integrity_check_command_fails_on_problems(gazetteer: Gazetteer) -> None:
    Place.objects.filter(pk=gazetteer.settlement_a1.pk).update(path="")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("integrity_check", stdout=io.StringIO(), stderr=io.StringIO())


def test_integrity_check_command_as_a_user_without_the_right_is_refused(registrar: User) -> None:
    with pytest.raises(CommandError, match="may not start maintenance jobs"):
        call_command("integrity_check", "--as", "registrar-rena", stdout=io.StringIO(), stderr=io.StringIO())


def test_integrity_check_command_queues_in_the_background(administrator: User) -> None:
    stdout = io.StringIO()
    call_command("integrity_check", "--background", "--as", "admin-ayla", stdout=stdout)
    job = Job.objects.get()
    assert f"Queued job {job.pk}" in stdout.getvalue()
    assert job.owner == administrator
