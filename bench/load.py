"""Load test: 50 concurrent clients against gunicorn on PostgreSQL with 50,000 households.

    flock /tmp/bench.lock python -m bench load                    # 50,000 households, 50 clients, 300 s
    flock /tmp/bench.lock python -m bench load --duration 60 --households 5000   # a quick run

One command does everything, and undoes it:
  1. a scratch PostgreSQL database `yurd_bench_load` (dropped at the end unless --keep);
  2. data, loaded fast in a child process: the gazetteer and the registry demo population
     (the import's bulk path, multi-script names, kinship), then a registrar with an API
     token and four draft claims per client, each with a loss item; ANALYZE;
  3. gunicorn with the production settings (`config.settings.production`), several
     workers, on a loopback port; the clients play the TLS proxy (X-Forwarded-Proto);
  4. --clients threads, each logged in through the login page, for --duration seconds,
     each request one of:
       search        GET /registry/search/?q=<name or typo, Latin or Cyrillic>
       page view     GET a household page, the household list, a claim page or the home page
       registration  POST /api/households/ (token), a household of two or three people
       claim step    GET the claim page for its version, POST the step: submit, verify
                     documents, return as incomplete (with a reason), submit again, …
                     (each client moves its own claims, so steps do not race);
  5. per kind: requests, errors, p50, p95, max; any error (a 5xx, an unexpected status,
     a refused connection) fails the run (exit 1).

Every subprocess and the whole run have hard timeouts; gunicorn and the database are
cleaned up on any exit. All data is synthetic.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench import require_setup

POSTGRES_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/yurd_bench_load")
HOST = "yurd.example.org"
SECRET = "bench-load-" + "S3cr3t-k3y-" * 6
PASSWORD = "bench-load-password-2026"  # noqa: S105 - a synthetic user on a scratch database
PG_OPTIONS = "-c statement_timeout=120000 -c lock_timeout=60000"
KINDS = ("search", "page view", "registration", "claim step")
WEIGHTS = (35, 40, 10, 15)
QUERIES = ["Məmmədov", "Мамедов", "Mammadov", "Əliyev Əli", "Алиев", "Hüseynov", "Husenov", "Quliyeva Leyla",
           "Həsənov Rauf", "Гасанов", "Qasımov", "Kasumov", "İsmayılova", "Bağırov", "Babayev Elçin"]  # fmt: skip


def log(message: str) -> None:
    print(message, flush=True)


# --- Scratch database ---------------------------------------------------------------


def _admin():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=10)


def drop_database() -> None:
    name = POSTGRES_URL.rsplit("/", 1)[1]
    with _admin() as conn:
        conn.execute("SET statement_timeout = 60000")
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def create_database() -> None:
    drop_database()
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{POSTGRES_URL.rsplit("/", 1)[1]}"')


def server_env(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": POSTGRES_URL,
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "STATIC_ROOT": str(workdir / "static"),
        "YURD_MEDIA_ROOT": str(workdir / "media"),
        "YURD_VAR_DIR": str(workdir / "var"),
        "YURD_STATIC_COMPRESS": "false",
        "PGOPTIONS": PG_OPTIONS,
        "AXES_FAILURE_LIMIT": "1000",
    }


# --- Data (child process) -----------------------------------------------------------


def load_child(households: int, clients: int) -> None:
    """Migrate and load the scratch database; print what the clients need as one JSON line."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from yurd.accounts.roles import Role, sync_role_groups
    from yurd.claims.models import LossCategory
    from yurd.claims.services.filing import ClaimantShare, claim_create, loss_item_add
    from yurd.core.actors import system_actor
    from yurd.places import demo as places_demo
    from yurd.places.models import Place, PlaceKind
    from yurd.registry import demo as registry_demo
    from yurd.registry.models import Household, Person, Wave
    from yurd.testing.personas import api_token_key, make_user

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    sync_role_groups()
    devnull = open(os.devnull, "w")  # noqa: SIM115
    places_demo.load(households=0, stdout=devnull)
    registry_demo.load(households=households, stdout=devnull)
    log(f"loaded {Household.objects.count():,} households, {Person.objects.count():,} people "
        f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    require_setup(Household.objects.count(), "households", expected=households)

    registrar = make_user("bench-load-registrar", Role.REGISTRAR)
    registrar.set_password(PASSWORD)
    registrar.save()
    token = api_token_key(registrar)
    actor = system_actor()
    category = LossCategory.objects.get(code="dwelling")
    chosen = list(
        Household.objects.filter(origin_place__isnull=False).order_by("?").values_list("pk", flat=True)[: clients * 4]
    )
    cases = []
    for household in Household.objects.filter(pk__in=chosen).select_related("origin_place"):
        head = household.members.filter(is_deceased=False).order_by("code").first()
        if head is None:
            continue
        claim, _secret = claim_create(
            actor=actor, household=household, claimants=[ClaimantShare(head, 1)], remedy="compensation"
        )
        loss_item_add(
            actor=actor,
            claim=claim,
            expected_version=claim.version,
            category=category,
            place=household.origin_place,
            reference="House, synthetic",
            quantity=120,
            unit="m2",
            price_year=1988,
            period_start="1988",
        )
        cases.append(claim.case_number)
    require_setup(len(cases), "draft claims for the clients")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    settlements = Place.objects.filter(kind=PlaceKind.SETTLEMENT)
    require_setup(settlements.count(), "settlements in the gazetteer")
    print(
        json.dumps(
            {
                "token": token,
                "households": list(Household.objects.order_by("?").values_list("code", flat=True)[:2000]),
                "cases": cases,
                "origins": list(settlements.filter(code__startswith="AM-").values_list("code", flat=True)[:50]),
                "residences": list(settlements.exclude(code__startswith="AM-").values_list("code", flat=True)[:50])
                or list(settlements.values_list("code", flat=True)[:50]),
                "waves": list(Wave.objects.values_list("code", flat=True)),
                "seconds": time.perf_counter() - started,
            }
        )
    )


# --- Clients ------------------------------------------------------------------------


class LoadError(Exception):
    pass


class Client:
    """One person at a browser: cookies, CSRF token, plain HTTP to the gunicorn port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
        cookies: bool = True,
    ) -> tuple[int, dict[str, str], str]:  # fmt: skip
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = {"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
        if cookies and self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            if cookies:
                for header, value in response.getheaders():
                    if header.lower() == "set-cookie":
                        name, _, rest = value.partition("=")
                        self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, {key.lower(): value for key, value in response.getheaders()}, text
        finally:
            connection.close()

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
        fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self.request(
            "POST",
            path,
            body=urllib.parse.urlencode(fields).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{HOST}",
                "Referer": f"https://{HOST}{path}",
            },
        )

    def login(self, username: str) -> None:
        status, _headers, _text = self.request("GET", "/accounts/login/")
        if status != 200:
            raise LoadError(f"login page answered {status}")
        status, headers, _text = self.form("/accounts/login/", {"username": username, "password": PASSWORD})
        if status != 302 or "sessionid" not in " ".join(self.cookies):
            raise LoadError(f"login answered {status} {headers.get('location', '')}")


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[kind].append(seconds * 1000)
            if error:
                self.errors[kind].append(error)


def client_loop(index: int, port: int, data: dict[str, Any], start: threading.Barrier, recorder: Recorder) -> None:
    rng = random.Random(index)
    client = Client(port)
    began = time.perf_counter()
    try:
        client.login("bench-load-registrar")
        recorder.add("login", time.perf_counter() - began, None)
    except (LoadError, OSError) as error:
        recorder.add("login", time.perf_counter() - began, str(error))
    # Everyone logged in (password hashing is deliberately slow) before the clock starts.
    start.wait()
    deadline = time.monotonic() + data["duration"]
    api = Client(port)
    # Each client moves its own four claims, so two clients never race for one.
    cases = data["cases"][index * 4 : index * 4 + 4] or data["cases"]
    registered = 0
    while time.monotonic() < deadline:
        kind = rng.choices(KINDS, WEIGHTS)[0]
        began = time.perf_counter()
        error = None
        try:
            if kind == "search":
                query = urllib.parse.quote(rng.choice(QUERIES))
                status, _h, _t = client.request("GET", f"/registry/search/?q={query}")
                if status != 200:
                    error = f"search {status}"
            elif kind == "page view":
                path = rng.choice(
                    [
                        f"/registry/households/{rng.choice(data['households'])}/",
                        f"/registry/households/{rng.choice(data['households'])}/",
                        "/registry/",
                        f"/claims/{rng.choice(cases)}/",
                        "/",
                    ]
                )
                status, _h, _t = client.request("GET", path)
                if status != 200:
                    error = f"GET {path} {status}"
            elif kind == "registration":
                registered += 1
                surname = rng.choice(["Quliyev", "Həsənov", "Məmmədov", "Əliyev"])
                payload = {
                    "origin_place": rng.choice(data["origins"]),
                    "current_place": rng.choice(data["residences"]),
                    "wave": rng.choice(data["waves"]),
                    "displacement_date": f"{rng.randint(1, 12):02d}.1988",
                    "source": "bench-load",
                    "source_ref": f"client{index}-{registered}",
                    "members": [
                        {"surname": surname, "given_name": "Rauf", "sex": "m", "birth_date": "1950",
                         "household_role": "head"},
                        {"surname": surname + "a", "given_name": "Leyla", "sex": "f", "birth_date": "03.1954",
                         "household_role": "spouse"},
                    ][: rng.choice([1, 2])],
                }  # fmt: skip
                status, _h, text = api.request(
                    "POST",
                    "/api/households/",
                    body=json.dumps(payload).encode(),
                    headers={"Content-Type": "application/json", "Authorization": f"Token {data['token']}"},
                    cookies=False,
                )
                if status != 201:
                    error = f"registration {status} {text[:200]}"
            else:
                case = rng.choice(cases)
                status, _h, page = client.request("GET", f"/claims/{case}/")
                version = re.search(r'name="version" value="(\d+)"', page)
                if status != 200 or version is None:
                    error = f"claim page {status}"
                else:
                    step = _step_from_page(page)
                    if step:
                        fields = {"version": version.group(1), "reason": "Load test: documents incomplete."}
                        status, _headers, _t = client.form(f"/claims/{case}/steps/{step}/", fields)
                        if status != 302:
                            error = f"claim step {step} {status}"
        except Exception as failure:  # every failure of a request is counted; none ends the client
            error = f"{kind}: {type(failure).__name__}: {failure}"
        recorder.add(kind, time.perf_counter() - began, error)


def _step_from_page(page: str) -> str:
    """The next step of the cycle among the forms the claim page offers."""
    offered = set(re.findall(r'action="/claims/[^"]+/steps/([a-z_]+)/"', page))
    for step in ("submit", "verify_documents", "return"):
        if step in offered:
            return step
    return ""


# --- Server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _h, _t = Client(port).request("GET", "/accounts/login/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def run(options: argparse.Namespace) -> int:
    bin_dir = Path(sys.executable).parent
    workdir = Path(tempfile.mkdtemp(prefix="yurd-bench-load-"))
    env = server_env(workdir)
    server: subprocess.Popen[bytes] | None = None
    try:
        log(f"# load test: {options.households:,} households, {options.clients} clients, {options.duration} s, "
            f"{options.workers} gunicorn workers x {options.threads} threads; "
            f"load average before {os.getloadavg()[0]:.1f}")  # fmt: skip
        create_database()
        loaded = subprocess.run(
            [sys.executable, "-m", "bench", "load", "--load-child", str(options.households), str(options.clients)],
            env=env,
            capture_output=True,
            text=True,
            timeout=options.load_timeout,
            check=False,
        )
        if loaded.returncode != 0:
            sys.stderr.write(loaded.stdout + loaded.stderr)
            return 2
        lines = loaded.stdout.strip().splitlines()
        for line in lines[:-1]:
            log(line)
        data = json.loads(lines[-1])
        log(f"data loaded in {data['seconds']:.0f} s; {len(data['cases'])} draft claims")
        collected = subprocess.run(
            [str(bin_dir / "yurd"), "collectstatic", "--noinput", "-v0"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if collected.returncode != 0:
            sys.stderr.write(collected.stderr)
            return 2
        port = free_port()
        server_log = (workdir / "gunicorn.log").open("wb")
        server = subprocess.Popen(
            [
                str(bin_dir / "gunicorn"),
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={options.workers}",
                f"--threads={options.threads}",
                "--forwarded-allow-ips=127.0.0.1",
                "--timeout=120",
                "--log-level=warning",
            ],
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_ready(port)
        recorder = Recorder()
        data["duration"] = options.duration
        start = threading.Barrier(options.clients + 1)
        threads = [
            threading.Thread(target=client_loop, args=(index, port, data, start, recorder), daemon=True)
            for index in range(options.clients)
        ]
        for thread in threads:
            thread.start()
        start.wait(timeout=600)
        started = time.monotonic()
        for thread in threads:
            thread.join(timeout=options.duration + 300)
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()
        total = sum(len(values) for kind, values in recorder.times.items() if kind != "login")
        errors = sum(len(values) for values in recorder.errors.values())
        log(f"\n{total:,} requests in {elapsed:.0f} s ({total / elapsed:.1f}/s), {errors} errors; "
            f"load average (1/5/15 min) {load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f}\n")  # fmt: skip
        log("| request | count | errors | p50 ms | p95 ms | max ms |")
        log("|---|---|---|---|---|---|")
        for kind in (*KINDS, "login"):  # logins happen before the clock starts
            values = recorder.times.get(kind)
            if not values:
                continue
            log(f"| {kind} | {len(values):,} | {len(recorder.errors.get(kind, []))} | "
                f"{statistics.median(values):.0f} | {percentile(values, 0.95):.0f} | {max(values):.0f} |")  # fmt: skip
        for kind, messages in recorder.errors.items():
            for message in messages[:5]:
                log(f"error ({kind}): {message}")
        if server.poll() is not None:
            log(f"gunicorn exited during the run ({server.returncode})")
            return 1
        return 1 if errors else 0
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
        if options.keep:
            log(f"kept: database {POSTGRES_URL}, files {workdir}")
        else:
            drop_database()
            shutil.rmtree(workdir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=300, help="Seconds of load (default 300).")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="gunicorn workers (one per core).")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (as docs/deployment.md).")
    parser.add_argument("--load-timeout", type=int, default=1800, help="Hard limit for loading the data (s).")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database and files.")
    parser.add_argument("--load-child", nargs=2, type=int, help=argparse.SUPPRESS)
    options = parser.parse_args(sys.argv[1:])
    if options.load_child:
        load_child(*options.load_child)
        return 0
    # The whole run stops by itself even if something hangs.
    signal.signal(signal.SIGALRM, lambda *_args: (_ for _ in ()).throw(TimeoutError("bench load: hard timeout")))
    signal.alarm(options.load_timeout + options.duration + 900)
    return run(options)
