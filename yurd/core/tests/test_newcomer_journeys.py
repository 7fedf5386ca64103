"""A newcomer's first hour, over a demo built by `yurd demo` itself and served as `make demo` serves it.

Once per test session an installation is made the way the README's `make demo` makes
it: `yurd migrate`, `yurd demo`, `yurd collectstatic`, on a scratch database of the
suite's engine (a SQLite file, or a new PostgreSQL database), served by `yurd
runserver` with DEBUG on. Its background work runs in `yurd worker`, started when a
journey has queued some. The tests then do over HTTP what a newcomer does: log in as
every demo user the README lists, open every page of each role's navigation, scan for
duplicates, import the app's own template, read the public pages, and move the demo
to an empty PostgreSQL database with `yurd backup` and `yurd restore`.

Nothing here comes from test fixtures: what fails here fails for someone trying Yurd.
"""

from __future__ import annotations

import base64
import http.cookiejar
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp

from yurd.accounts.roles import Role, collected_role_permissions
from yurd.core.context_processors import NavItem, _all_items
from yurd.reports.views import public_links
from yurd.testing.installations import (
    ON_POSTGRES,
    YURD,
    differing_counts,
    ok,
    required_postgres,
    scratch_postgres_database,
    table_counts,
    yurd,
    yurd_env,
)

# One worker of a parallel run builds the demo and walks every journey (make test
# runs pytest with --dist loadgroup). The journeys run in the SQLite run only: `make
# demo` builds an embedded SQLite database, and its move to PostgreSQL is the restore
# journey below; on PostgreSQL they repeated the same pages at 2.5 minutes of CI.
pytestmark = [
    pytest.mark.xdist_group("newcomer-demo"),
    pytest.mark.skipif(ON_POSTGRES, reason="the demo is SQLite; its move to PostgreSQL is tested from there"),
]

# Small enough to build in seconds, large enough for every loader to have something
# to show (claims in every state, heritage sites, likely duplicates).
DEMO_HOUSEHOLDS = 60
README = Path(settings.BASE_DIR) / "README.md"
PUBLISHED_PASSWORD = "yurd-demo-2026"
WAIT_SECONDS = 120.0


def readme_demo_users() -> list[str]:
    """The demo users of the README's table (`| demo-… | role |`)."""
    return re.findall(r"^\| (demo-[a-z-]+) \|", README.read_text(encoding="utf-8"), flags=re.MULTILINE)


def role_of(username: str) -> Role:
    for role in Role:
        if username == f"demo-{role.value.replace('_', '-')}":
            return role
    raise AssertionError(f"{username} is not named after a role")


# --- A browser without a browser ------------------------------------------------------


@dataclass
class Page:
    status: int
    url: str  # the path it ended on, after redirects
    text: str

    def form_value(self, name: str) -> str:
        found = re.search(rf'name="{name}" value="([^"]*)"', self.text)
        assert found, f"no {name} on {self.url}"
        return unescape(found.group(1))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Visitor:
    """Cookies, CSRF and redirects as a browser keeps them; pages as text."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects())

    def csrf(self) -> str:
        for cookie in self.cookies:
            if cookie.name == "csrftoken" and cookie.value:
                return cookie.value
        return ""

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, str, str]:
        request = urllib.request.Request(self.base_url + path, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=WAIT_SECONDS) as response:
                return response.status, "", response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location", "")
            return error.code, location, error.read().decode("utf-8", "replace")

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Page:
        headers = {"Referer": self.base_url + "/", **(headers or {})}
        for _hop in range(10):
            status, location, text = self._send(method, path, body, headers)
            if status not in (301, 302, 303, 307, 308):
                return Page(status, path, text)
            target = urllib.parse.urljoin(self.base_url + path, location)
            if not target.startswith(self.base_url + "/"):
                return Page(status, target, text)  # elsewhere: not followed
            path = target[len(self.base_url) :]
            method, body = "GET", None
            headers.pop("Content-Type", None)
        raise AssertionError(f"too many redirects from {path}")

    def get(self, path: str, **headers: str) -> Page:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None) -> Page:
        fields = {"csrfmiddlewaretoken": self.csrf(), **data}
        if not files:
            body = urllib.parse.urlencode(fields).encode()
            return self.request("POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        for name, (file_name, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        body = b"".join([*parts, f"--{boundary}--\r\n".encode()])
        content_type = f"multipart/form-data; boundary={boundary}"
        return self.request("POST", path, body=body, headers={"Content-Type": content_type})

    def log_in(self, username: str, password: str) -> Page:
        login = reverse("accounts:login")
        self.get(login)
        return self.post(login, {"username": username, "password": password})


def nav_links(page: Page) -> list[str]:
    found = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', page.text, flags=re.DOTALL)
    return re.findall(r'<a href="([^"]+)"', found.group(1)) if found else []


# --- The demo installation ------------------------------------------------------------


@dataclass
class DemoInstallation:
    database_url: str
    media: Path
    env: dict[str, str]
    base_url: str
    demo_output: str  # what `yurd demo` printed
    # Logged-in visitors by username: a second log-in of a two-factor user within the
    # same 30 seconds would reuse a code, which django-otp refuses.
    sessions: dict[str, Visitor] = field(default_factory=dict)

    def visitor(self) -> Visitor:
        return Visitor(self.base_url)

    def run_worker(self) -> None:
        """`yurd worker` until the queue is empty (make demo keeps one running alongside)."""
        result = subprocess.run(  # noqa: S603
            [YURD, "worker", "--batch", "--no-startup-delay", "--interval=0"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]

    def logged_in(self, username: str) -> Visitor:
        """A visitor logged in as `username`, past two-factor enrolment if the role requires it."""
        if username in self.sessions:
            return self.sessions[username]
        visitor = self.visitor()
        page = visitor.log_in(username, PUBLISHED_PASSWORD)
        if page.url.startswith(reverse("accounts:two_factor_setup")):
            key = base64.b32decode(re.sub(r"\s+", "", _totp_key(page)))
            page = visitor.post(page.url, {"token": f"{totp(key):06d}", "next": "/"})
        assert page.status == 200 and page.url == "/", f"{username} is not logged in: {page.url} {page.status}"
        self.sessions[username] = visitor
        return visitor


def _totp_key(page: Page) -> str:
    found = re.search(r'data-testid="totp-key">([^<]+)<', page.text)
    assert found, "the enrolment page shows no key"
    return found.group(1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _serving(url: str, server: subprocess.Popen[bytes], log: Path) -> bool:
    if server.poll() is not None:
        raise AssertionError(f"yurd runserver stopped: {log.read_text()[-3000:]}")
    try:
        with urllib.request.urlopen(url + reverse("accounts:login"), timeout=5):  # noqa: S310
            return True
    except (urllib.error.URLError, ConnectionError):
        return False


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoInstallation]:
    root = tmp_path_factory.mktemp("newcomer-demo")
    with ExitStack() as stack:
        database_url = f"sqlite:///{root / 'yurd.sqlite3'}"
        media = root / "var" / "media"
        build_env = yurd_env(database_url=database_url, media=media, YURD_VAR_DIR=str(root / "var"))
        env = {**build_env, "DEBUG": "true"}
        # The steps of `make demo`.
        _run(["migrate", "--noinput"], build_env)
        demo_output = _run(["demo", "--households", str(DEMO_HOUSEHOLDS)], build_env)
        _run(["collectstatic", "--noinput", "--verbosity", "0"], build_env)
        port = _free_port()
        log = root / "runserver.log"
        with log.open("wb") as server_log:
            server = subprocess.Popen(  # noqa: S603
                [YURD, "runserver", f"127.0.0.1:{port}", "--noreload"],
                env=env,
                stdout=server_log,
                stderr=subprocess.STDOUT,
            )
        stack.callback(_stop, server)
        base_url = f"http://127.0.0.1:{port}"
        _wait_for(lambda: _serving(base_url, server, log), "yurd runserver to answer", timeout=60)
        yield DemoInstallation(database_url, media, env, base_url, demo_output)


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run([YURD, *args], env=env, capture_output=True, text=True, timeout=900, check=False)  # noqa: S603
    assert result.returncode == 0, f"yurd {' '.join(args)}: {result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- Journeys -------------------------------------------------------------------------


def test_the_readme_publishes_the_demo_password_and_lists_every_role() -> None:
    readme = README.read_text(encoding="utf-8")
    assert f"password `{PUBLISHED_PASSWORD}`" in readme
    assert {role_of(username) for username in readme_demo_users()} == set(Role)


def test_yurd_demo_creates_the_readme_users_and_prints_the_password(demo: DemoInstallation) -> None:
    assert set(readme_demo_users()) <= set(re.findall(r"demo-[a-z-]+", demo.demo_output))
    assert PUBLISHED_PASSWORD in demo.demo_output


@pytest.mark.parametrize("username", readme_demo_users())
def test_every_readme_demo_user_logs_in_with_the_published_password(demo: DemoInstallation, username: str) -> None:
    visitor = demo.visitor()
    page = visitor.log_in(username, PUBLISHED_PASSWORD)

    assert page.status == 200
    if role_of(username) in {Role.ADMINISTRATOR, Role.REVIEWER, Role.AUDITOR}:
        # Logged in, and asked to enrol an authenticator before anything else.
        assert page.url.startswith(reverse("accounts:two_factor_setup")), page.url
        assert 'data-testid="totp-key"' in page.text
    else:
        assert page.url == reverse("core:home"), f"{username} stayed on {page.url}"
        assert username in page.text


def expected_navigation(role: Role) -> list[str]:
    """The navigation registry's items this role's permissions open, as URLs."""
    permissions = collected_role_permissions()[role.value]
    items: list[NavItem] = [item for item in _all_items() if not item.permission or item.permission in permissions]
    return [reverse(item.url_name) for item in items]


@pytest.mark.parametrize("username", readme_demo_users())
def test_every_page_in_each_roles_navigation_answers(demo: DemoInstallation, username: str) -> None:
    visitor = demo.logged_in(username)
    expected = expected_navigation(role_of(username))

    assert nav_links(visitor.get("/")) == expected
    failures = {}
    for url in expected:
        page = visitor.get(url)
        if page.status != 200 or page.url != url:
            failures[url] = (page.status, page.url)
    assert failures == {}


# The scan and the import run as the administrator, who sees every place: the small demo's
# households registered twice, and the template's villages, lie outside the district of
# demo-registrar (whose imports of the template are refused as out of scope).
def test_the_duplicate_scan_on_the_demo_finishes_and_fills_the_queue(demo: DemoInstallation) -> None:
    visitor = demo.logged_in("demo-administrator")
    queue = reverse("linkage:queue")
    job_page = visitor.post(reverse("linkage:scan"), {})
    assert job_page.status == 200 and job_page.url.startswith("/jobs/"), job_page.url

    demo.run_worker()

    progress = visitor.get(job_page.url + "progress/")
    assert "job-succeeded" in progress.text, re.sub(r"\s+", " ", progress.text)[:2000]
    pairs = re.findall(r'href="/linkage/pairs/\d+/"', visitor.get(queue).text)
    assert pairs, "the scan left the adjudication queue empty"


def test_an_import_of_the_template_shows_its_progress_and_its_result(demo: DemoInstallation) -> None:
    visitor = demo.logged_in("demo-administrator")
    template = visitor.get(reverse("registry:import_template"))
    assert template.status == 200
    rows = len(template.text.strip().splitlines()) - 1

    page = visitor.post(
        reverse("registry:import_new"),
        {"source": "newcomer's first list"},
        files={"file": ("registry-import-template.csv", template.text.encode())},
    )
    assert page.status == 200 and re.fullmatch(r"/registry/imports/\d+/", page.url), page.url
    assert "hx-trigger" in page.text  # checking, queued for the worker
    demo.run_worker()
    page = visitor.get(page.url)
    assert f"Commit {rows} valid rows" in page.text, re.sub(r"\s+", " ", page.text)[-3000:]

    queued = visitor.post(page.url + "commit/", {"mode": "valid"})

    assert queued.url == page.url
    assert "Import commit: queued" in queued.text
    assert 'hx-trigger="every 1s"' in queued.text and "<progress" in queued.text
    assert "Commit only if every row is valid" not in queued.text
    demo.run_worker()
    done = visitor.get(page.url, **{"HX-Request": "true"})
    assert "Committed:" in done.text, re.sub(r"\s+", " ", done.text)[-3000:]
    assert "<dd>committed</dd>" in done.text
    assert "hx-trigger" not in done.text and "Commit only if every row is valid" not in done.text
    jobs = visitor.get(reverse("core:job_list")).text
    assert "Import check" in jobs and "Import commit" in jobs


def _parameterless_get_urls(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _parameterless_get_urls(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and not pattern.pattern.regex.groupindex:
            route = prefix + str(pattern.pattern)
            if not any(mark in route for mark in ("^", "$", "(", "<")):
                yield "/" + route


def test_the_public_pages_answer_logged_out(demo: DemoInstallation) -> None:
    visitor = demo.visitor()
    public = {
        reverse("core:home"),
        reverse("accounts:login"),
        reverse("reports:public"),
        reverse("reports:data_protection"),
        *(url for url in public_links().values() if url),
    }
    answers = {url: visitor.get(url) for url in sorted(set(_parameterless_get_urls(get_resolver().url_patterns)))}

    assert {url: answers[url].status for url in public if answers[url].status != 200} == {}
    assert {url: page.status for url, page in answers.items() if page.status >= 500} == {}


def test_the_demo_backup_restores_into_an_empty_postgresql_database(demo: DemoInstallation, tmp_path: Path) -> None:
    info = required_postgres()
    archive = tmp_path / "demo.backup"
    saved = table_counts(demo.database_url)
    ok(yurd("backup", "--output", str(archive), database_url=demo.database_url, media=demo.media))

    with scratch_postgres_database(info, "yurd_demo_restore") as target:
        restored_media = tmp_path / "media"
        ok(yurd("restore", str(archive), database_url=target, media=restored_media, timeout=900))

        assert differing_counts(saved, table_counts(target)) == {}
        verified = ok(yurd("evidence", "verify", database_url=target, media=restored_media))
        assert verified.startswith("OK"), verified
