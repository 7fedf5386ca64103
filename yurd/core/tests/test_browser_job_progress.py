"""In Chromium: a job's page follows its progress live, without reloading."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from yurd.accounts.roles import Role
from yurd.core.jobs import job_create, job_finish, job_mark_running, job_progress
from yurd.core.tasks import INTEGRITY_CHECK
from yurd.testing.personas import PERSONA_PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_job_page_shows_progress_as_the_worker_reports_it(page: Any, live_server: Any) -> None:
    user = make_user("registrar-jobs", Role.REGISTRAR)
    job = job_create(kind=INTEGRITY_CHECK, owner=user)
    job_mark_running(job.pk)
    job_progress(job.pk, 1, 4, "Checking place paths")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Integrity check")
    expect(page.get_by_text("1 of 4 (25%)")).to_be_visible()

    # What the worker would write; the page polls every second and picks it up.
    job_progress(job.pk, 3, 4, "Counting change history")
    expect(page.get_by_text("3 of 4 (75%)")).to_be_visible()
    expect(page.get_by_text("Counting change history")).to_be_visible()

    job_finish(job.pk, result={"problems": ["Place TST-S21 has path 9/; expected 1/2/9/."]})
    expect(page.get_by_text("Finished.")).to_be_visible()
    expect(page.get_by_role("heading", name="Problems found")).to_be_visible()
    assert page.locator("[hx-get]").count() == 0
