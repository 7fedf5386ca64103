"""The journeys a person makes through log-in, in Chromium: log in and out, lockout,
two-factor enrolment and log-in with the code, switching language.
"""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from yurd.accounts.models import User
from yurd.accounts.roles import Role
from yurd.testing.personas import PERSONA_PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _log_in(page: Any, live_server: Any, username: str, password: str = PERSONA_PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def _code_from_key(key_text: str, *, steps_ahead: int = 0) -> str:
    key = re.sub(r"\s", "", key_text)
    key_bytes = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{TOTP(key_bytes, drift=steps_ahead).token():06d}"


def test_person_logs_in_and_out(page: Any, live_server: Any) -> None:
    user = make_user("registrar-browser", Role.REGISTRAR, first_name="Rena")
    _log_in(page, live_server, user.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Yurd")
    expect(page.get_by_text("Welcome, Rena.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_five_wrong_passwords_lock_the_account(page: Any, live_server: Any) -> None:
    user = make_user("assessor-browser", Role.ASSESSOR)
    for attempt in range(1, 5):
        _log_in(page, live_server, user.username, password=f"wrong-password-{attempt}")
        expect(page.locator("#id_password_error")).to_be_visible()
    _log_in(page, live_server, user.username, password="wrong-password-5")
    expect(page.get_by_test_id("locked-out")).to_have_text("Account locked")
    # The right password no longer helps.
    _log_in(page, live_server, user.username)
    expect(page.get_by_test_id("locked-out")).to_be_visible()


def test_reviewer_enrols_two_factor_then_logs_in_with_the_code(page: Any, live_server: Any) -> None:
    user: User = make_user("reviewer-browser", Role.REVIEWER)
    _log_in(page, live_server, user.username)
    # A reviewer must use two-factor authentication: sent straight to enrolment.
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.locator(".qr svg")).to_be_visible()
    key = page.get_by_test_id("totp-key").inner_text()
    page.get_by_label("Code from your authenticator app").fill(_code_from_key(key))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("Two-factor authentication is now on for your account.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Yurd")

    page.get_by_role("button", name="Log out").click()
    _log_in(page, live_server, user.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    # Each 30-second code is accepted once; the next step's code is within the tolerance.
    page.get_by_label("Code from your authenticator app").fill(_code_from_key(key, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Yurd")
    page.get_by_role("link", name=user.username).click()
    expect(page.get_by_test_id("two-factor-status")).to_have_text("Two-factor authentication is on.")


def test_language_switcher_changes_the_page_language(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("Language").select_option("az")
    expect(page.locator("html")).to_have_attribute("lang", "az")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daxil ol")
    page.locator("#language-select").select_option("ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Войти")
    # The choice carries through log-in.
    user = make_user("archivist-browser", Role.ARCHIVIST)
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_text(f"Добро пожаловать, {user.username}.")).to_be_visible()
