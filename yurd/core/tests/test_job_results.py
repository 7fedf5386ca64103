"""A finished job's page names its figures in the page's language instead of printing its
result as a Python dict."""

import pytest
from django.test import Client
from django.utils import translation

from yurd.accounts.models import User
from yurd.core.jobs import job_create, job_run_here, job_start
from yurd.core.models import Job, JobStatus
from yurd.core.tasks import INTEGRITY_CHECK, integrity_check
from yurd.linkage.tasks import DUPLICATE_SCAN
from yurd.registry.tasks import IMPORT_COMMIT
from yurd.testing.personas import Gazetteer, login_verified

pytestmark = pytest.mark.django_db


def _page(client: Client, job: Job, language: str) -> str:
    client.cookies["django_language"] = language
    return client.get(f"/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()


# The labels of the integrity check's figures, and of its table's record types, by language.
INTEGRITY_LABELS = {
    "en": ["Places checked", "Problems found", "Households", "Change history entries"],
    "az": ["Yoxlanılmış yerlər", "Aşkar edilmiş problemlər", "Ailələr", "Dəyişiklik tarixçəsi qeydləri"],
    "ru": ["Проверено мест", "Найденные проблемы", "Семьи", "Записи истории изменений"],
}


@pytest.mark.parametrize("language", INTEGRITY_LABELS)
def test_the_integrity_checks_result_reads_as_labelled_figures(
    client: Client, administrator: User, gazetteer: Gazetteer, language: str
) -> None:
    job = job_start(INTEGRITY_CHECK, administrator, integrity_check)
    login_verified(client, administrator)

    page = _page(client, job, language)

    assert "{&#x27;" not in page and "{'" not in page and "&#x27;records&#x27;" not in page
    for label in INTEGRITY_LABELS[language]:
        assert label in page
    assert "registry.household" not in page


@pytest.mark.parametrize(
    ("kind", "result", "expected"),
    [
        (
            IMPORT_COMMIT,
            {"batch": 7, "households_created": 3, "people_created": 12},
            ["Yaradılan ailələr", "Yaradılan şəxslər"],
        ),
        (DUPLICATE_SCAN, {"people": 40, "pairs": 2, "proposed": 1}, ["Müqayisə edilmiş şəxslər"]),
    ],
)
def test_other_jobs_results_are_named_in_azerbaijani(
    client: Client, registrar: User, kind: str, result: dict[str, int], expected: list[str]
) -> None:
    job = job_create(kind=kind, owner=registrar)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, result=result)
    client.force_login(registrar)

    page = _page(client, job, "az")

    assert "{&#x27;" not in page
    for label in expected:
        assert label in page
    # The batch's database id is no figure to read.
    assert "batch" not in page


def test_a_job_started_by_the_system_names_it_in_the_pages_language(client: Client, administrator: User) -> None:
    job = job_create(kind=INTEGRITY_CHECK, owner=None)
    login_verified(client, administrator)

    assert "sistem" in _page(client, job, "az")
    client.cookies["django_language"] = "ru"
    assert "система" in client.get("/jobs/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()


def test_a_job_run_at_the_command_line_reads_finished_in_the_pages_language(
    client: Client, administrator: User, gazetteer: Gazetteer
) -> None:
    with translation.override("en"):  # the command line writes its messages in English
        job = job_run_here(integrity_check, kind=INTEGRITY_CHECK)
    assert job.message == "Finished."
    login_verified(client, administrator)

    page = _page(client, job, "ru")

    assert "Завершено." in page and "Finished." not in page
