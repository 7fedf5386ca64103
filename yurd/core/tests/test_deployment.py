"""Production deployment: gunicorn with production settings behind a (simulated) TLS proxy.

The proxy is this test: it speaks plain HTTP on loopback and says X-Forwarded-Proto:
https, as nginx does in docs/deployment.md.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from yurd.core.csp import ContentSecurityPolicyMiddleware, csp_nonce, policy
from yurd.testing.installations import ON_POSTGRES

BIN = Path(sys.executable).parent
SECRET = "deployment-test-" + "k3y-Q9" * 10


def _database_url(tmp_path: Path) -> str:
    if ON_POSTGRES:
        db = settings.DATABASES["default"]
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    path = tmp_path / "deploy.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def gunicorn(transactional_db: None, tmp_path: Path) -> Iterator[int]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": _database_url(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "YURD_MEDIA_ROOT": str(tmp_path / "media"),
        "YURD_VAR_DIR": str(tmp_path / "var"),
        "YURD_STATIC_COMPRESS": "false",
        "ALLOWED_HOSTS": "yurd.example.org",
    }
    collected = subprocess.run(  # noqa: S603
        [str(BIN / "yurd"), "collectstatic", "--noinput", "-v0"], env=env, capture_output=True, text=True, check=False
    )
    assert collected.returncode == 0, collected.stderr
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--forwarded-allow-ips=127.0.0.1",
            "--log-level=warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: list[tuple[str, str]]
    text: str

    def getheader(self, name: str) -> str:
        """The header's value; "" when the response has none."""
        return next((value for key, value in self.headers if key.lower() == name.lower()), "")


def fetch(port: int, path: str, *, https: bool = True, method: str = "GET", body: str = "") -> Fetched:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "yurd.example.org"}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    client.request(method, path, body=body or None, headers=headers)
    response = client.getresponse()
    fetched = Fetched(response.status, response.getheaders(), response.read().decode("utf-8", "replace"))
    client.close()
    return fetched


def test_gunicorn_with_production_settings_serves_the_login_page_securely(gunicorn: int) -> None:
    login = reverse("accounts:login")

    plain = fetch(gunicorn, login, https=False)
    assert plain.status == 301
    assert plain.getheader("Location") == f"https://yurd.example.org{login}"

    page = fetch(gunicorn, login)
    assert page.status == 200, page.text[:2000]
    assert 'name="csrfmiddlewaretoken"' in page.text
    assert "max-age=31536000" in page.getheader("Strict-Transport-Security")
    assert page.getheader("X-Frame-Options") == "DENY"
    assert page.getheader("X-Content-Type-Options") == "nosniff"
    csp = page.getheader("Content-Security-Policy")
    assert "script-src 'self' 'nonce-" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    cookies = [value for name, value in page.headers if name.lower() == "set-cookie"]
    csrf_cookie = next(cookie for cookie in cookies if cookie.startswith("csrftoken="))
    assert "Secure" in csrf_cookie
    assert "HttpOnly" in csrf_cookie
    # No inline script runs without the page's nonce.
    nonce_match = re.search(r"'nonce-([^']+)'", csp)
    assert nonce_match, csp
    nonce = nonce_match.group(1)
    for tag in re.findall(r"<script\b[^>]*>", page.text):
        assert "src=" in tag or f'nonce="{nonce}"' in tag, tag
    assert not re.search(r"\son[a-z]+=", page.text), "inline event handlers do not run under the CSP"

    stylesheet = re.search(r'href="(/static/css/yurd\.[0-9a-f]{12}\.css)"', page.text)
    assert stylesheet, "hashed static names from the manifest"
    assert fetch(gunicorn, stylesheet.group(1)).status == 200

    forged = fetch(gunicorn, login, method="POST", body="username=a&password=b")
    assert forged.status == 403


def test_csp_nonce_is_fresh_per_request_and_reaches_templates() -> None:
    factory = RequestFactory()
    seen = []

    def view(request: Any) -> Any:
        seen.append(csp_nonce(request)["csp_nonce"])
        return HttpResponse("ok")

    middleware = ContentSecurityPolicyMiddleware(view)
    first = middleware(factory.get("/"))
    second = middleware(factory.get("/"))
    assert seen[0] != seen[1]
    assert f"'nonce-{seen[0]}'" in first["Content-Security-Policy"]
    assert f"'nonce-{seen[1]}'" in second["Content-Security-Policy"]


@override_settings(YURD_MAP_TILES="https://tiles.example.org/{z}/{x}/{y}.png")
def test_csp_allows_map_tiles_only_from_the_configured_tile_server() -> None:
    img_src = next(part for part in policy("n").split("; ") if part.startswith("img-src"))
    assert img_src == "img-src 'self' data: blob: https://tiles.example.org"
