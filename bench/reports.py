"""Reports and API benchmark: overview dashboard p95, full pseudonymised export of every
person, and API list p95 under 20 concurrent clients, on SQLite and PostgreSQL.

    python -m bench reports                                   # 50,000 households, both databases
    python -m bench reports --households 5000 --database sqlite
    python -m bench reports --skip-load                       # reuse the scratch databases

Each database gets a scratch database (SQLite file under /tmp, PostgreSQL database
`yurd_bench_reports`) loaded with synthetic households (about five people each) and
claims by bulk insert, on the demo gazetteer. Each phase runs in its own process, so the
export's peak memory is that process's maximum RSS. The API is served by gunicorn
(2 workers x 4 threads, gthread: one worker per core, kept-alive connections) and loaded
by wrk on loopback (a small threaded http.client loop without wrk), with the CPU per
request of the server's workers, of PostgreSQL's backends and of wrk. All data is synthetic.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = Path(tempfile.gettempdir()) / "yurd-bench-reports"
SQLITE_PATH = SCRATCH / "reports.sqlite3"
POSTGRES_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/yurd_bench_reports")
USERNAME = "bench-registrar"
PURPOSE = "Benchmark of the full pseudonymised export"
SURNAMES = ["Məmmədov", "Əliyev", "Hüseynov", "Həsənov", "Quliyev", "Cəfərov", "Rzayev", "Orucov"]
GIVEN = ["Əli", "Leyla", "Tamilla", "Rauf", "Nigar", "Həsən", "Aysel", "Kamran", "Səbinə", "Orxan"]


def environment(database: str) -> dict[str, str]:
    SCRATCH.mkdir(exist_ok=True)
    url = f"sqlite:///{SQLITE_PATH}" if database == "sqlite" else POSTGRES_URL
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "YURD_VAR_DIR": str(SCRATCH / database),
        "YURD_MEDIA_ROOT": str(SCRATCH / database / "media"),
        "YURD_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DEBUG": "false",
    }


def setup_django(database: str) -> None:
    os.environ.update(environment(database))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- phases (each in its own process) ---------------------------------------------


def phase_load(database: str, households: int) -> dict[str, Any]:
    if database == "postgres":
        import psycopg

        name = POSTGRES_URL.rsplit("/", 1)[1]
        with psycopg.connect(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}"')
            server.execute(f'CREATE DATABASE "{name}"')
    elif SQLITE_PATH.exists():
        SQLITE_PATH.unlink()
    setup_django(database)
    from django.core.management import call_command
    from django.db import transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from bench import require_setup
    from yurd.accounts.roles import Role
    from yurd.places import demo as places_demo
    from yurd.places.models import Place, PlaceKind
    from yurd.registry.models import Household, Person, Wave
    from yurd.testing.personas import make_user

    places_demo.load(households=households, stdout=sys.stdout)
    settlements = list(Place.objects.filter(kind=PlaceKind.SETTLEMENT).values_list("pk", flat=True))
    require_setup(len(settlements), "settlements in the demo gazetteer")
    waves = list(Wave.objects.order_by("year_from"))
    weights = [5, 15, 80][-len(waves) :]
    generator = random.Random(2026)
    with transaction.atomic():
        batch: list[Any] = []
        for number in range(1, households + 1):
            year = generator.choice([1948, 1949, 1950, 1988, 1988, 1989, 1989, 1990, 1991])
            batch.append(
                Household(
                    code=f"HH-{number:06d}",
                    origin_place_id=generator.choice(settlements),
                    current_place_id=generator.choice(settlements),
                    wave=generator.choices(waves, weights)[0],
                    displacement_date=f"{year}-{generator.randint(1, 12):02d}" if number % 3 else str(year),
                )
            )
            if len(batch) == 5000:
                Household.objects.bulk_create(batch)
                batch = []
        Household.objects.bulk_create(batch)
    household_ids = list(Household.objects.order_by("pk").values_list("pk", flat=True))
    people = 0
    with transaction.atomic():
        batch = []
        for household_id in household_ids:
            for member in range(5):
                people += 1
                batch.append(
                    Person(
                        code=f"P-{people:07d}",
                        household_id=household_id,
                        surname=generator.choice(SURNAMES),
                        given_name=generator.choice(GIVEN),
                        sex=generator.choice("fm"),
                        birth_date=str(generator.randint(1920, 2015)),
                        is_deceased=member == 0 and generator.random() < 0.3,
                    )
                )
                if len(batch) == 10000:
                    Person.objects.bulk_create(batch)
                    batch = []
        Person.objects.bulk_create(batch)
    require_setup(len(household_ids), "households", expected=households)
    require_setup(people, "people")
    claims = _load_claims(household_ids, generator)
    sites = _load_sites(settlements, generator)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # statistics and visibility map, as autovacuum leaves them
    user = make_user(USERNAME, Role.REGISTRAR)
    from yurd.testing.personas import api_token_key

    token = api_token_key(user)
    (SCRATCH / f"{database}.token").write_text(token)
    return {
        "households": len(household_ids),
        "people": people,
        "claims": claims,
        "heritage_sites": sites,
        "load_seconds": round(time.perf_counter() - started, 1),
    }


def _load_claims(household_ids: list[int], generator: random.Random) -> int:
    try:
        from yurd.claims.models import Claim, ClaimStatus
    except ImportError:
        return 0
    from django.db import transaction

    wanted = min(20000, len(household_ids) * 2 // 5)
    statuses = [status.value for status in ClaimStatus]
    with transaction.atomic():
        Claim.objects.bulk_create(
            [
                Claim(
                    case_number=f"CL-B-{number:06d}",
                    household_id=household_ids[number % len(household_ids)],
                    status=generator.choice(statuses),
                    secret_hash="0" * 64,
                )
                for number in range(wanted)
            ],
            batch_size=5000,
        )
    return wanted


def _load_sites(settlements: list[int], generator: random.Random, wanted: int = 5000) -> int:
    """Heritage sites with one to three published observations each, condition stored."""
    try:
        from yurd.heritage.defaults import ensure_site_types
        from yurd.heritage.geometry import point
        from yurd.heritage.models import Observation, Site, SiteType
        from yurd.heritage.services import site_condition_refresh
    except ImportError:
        return 0
    from django.db import transaction

    from yurd.testing.personas import make_user

    states = ["no_visible_change", "slightly_damaged", "moderately_damaged", "severely_damaged", "destroyed"]
    observer = make_user("bench-observer")
    with transaction.atomic():
        ensure_site_types()
        types = list(SiteType.objects.all())
        batch = []
        for number in range(wanted):
            longitude, latitude = 43.5 + generator.random() * 3, 39.0 + generator.random() * 2.2
            batch.append(
                Site(
                    code=f"HS-{number + 1:06d}",
                    name=f"Synthetic site {number + 1}",
                    site_type=types[number % len(types)],
                    settlement_id=generator.choice(settlements),
                    geometry=point(longitude, latitude),
                    longitude=longitude,
                    latitude=latitude,
                    is_published=True,
                )
            )
        Site.objects.bulk_create(batch, batch_size=1000)
        observations: list[Any] = []
        for site_id in Site.objects.values_list("pk", flat=True):
            for index in range(generator.randint(1, 3)):
                observations.append(
                    Observation(
                        code=f"OBS-{len(observations) + 1:07d}",
                        site_id=site_id,
                        physical_state=generator.choice(states),
                        certainty=generator.choice(["high", "medium", "low"]),
                        method="satellite",
                        observed_on=str(2015 + index * 3),
                        observer=observer,
                        status="published",
                    )
                )
        Observation.objects.bulk_create(observations, batch_size=2000)
        site_condition_refresh()
    return wanted


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def phase_dashboard(database: str, runs: int) -> dict[str, Any]:
    setup_django(database)
    from django.test import Client
    from django.test.utils import override_settings

    from yurd.accounts.models import User
    from yurd.reports.dashboard import build_dashboard

    user = User.objects.get(username=USERNAME)
    for _ in range(3):
        build_dashboard(user=user)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        build_dashboard(user=user)
        timings.append((time.perf_counter() - started) * 1000)
    page_timings = []
    with override_settings(YURD_DASHBOARD_CACHE_SECONDS=0):
        client = Client()
        client.force_login(user)
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get("/reports/")
            page_timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    cached = Client()
    cached.force_login(user)
    cached.get("/reports/")
    cached_timings = []
    for _ in range(runs):
        started = time.perf_counter()
        cached.get("/reports/")
        cached_timings.append((time.perf_counter() - started) * 1000)
    return {
        "figures_p50_ms": round(statistics.median(timings), 1),
        "figures_p95_ms": round(percentile(timings, 0.95), 1),
        "page_uncached_p95_ms": round(percentile(page_timings, 0.95), 1),
        "page_cached_p95_ms": round(percentile(cached_timings, 0.95), 1),
    }


def phase_export(database: str, file_format: str) -> dict[str, Any]:
    setup_django(database)
    from yurd.accounts.models import User
    from yurd.core.actors import Actor
    from yurd.reports.exports import export_path, export_request

    user = User.objects.get(username=USERNAME)
    started = time.perf_counter()
    export = export_request(actor=Actor(user=user), kind="people", file_format=file_format, purpose=PURPOSE)
    seconds = time.perf_counter() - started
    assert export.job is not None
    export.job.refresh_from_db()
    assert export.job.status == "succeeded", export.job.message
    return {
        f"export_{file_format}_rows": export.rows,
        f"export_{file_format}_seconds": round(seconds, 1),
        f"export_{file_format}_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        f"export_{file_format}_file_mb": round(export_path(export).stat().st_size / 1e6, 1),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


WRK_SCRIPT = """
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end
function init(args)
  math.randomseed(seed * 7919)
end
request = function()
  return wrk.format("GET", "%(path)s?page=" .. math.random(1, %(pages)d), {["Authorization"] = "Token %(token)s"})
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("WRK %.1f %.1f %.1f %d %.2f %d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.duration / 1e6,
    errors.connect + errors.read + errors.write + errors.timeout + errors.status))
end
"""


def phase_api(  # noqa: PLR0917 - one per command-line option
    database: str,
    clients: int,
    requests_per_client: int,
    workers: int,
    threads: int,
    seconds: int,
    worker_connections: int | None = None,
) -> dict[str, Any]:
    token = (SCRATCH / f"{database}.token").read_text().strip()
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            *(["--worker-connections", str(worker_connections)] if worker_connections else []),
        ],
        cwd=ROOT,
        env=environment(database),
    )
    results: dict[str, Any] = {"api_server": f"gunicorn {workers} workers x {threads} threads"}
    if worker_connections:
        results["api_server"] += f", at most {worker_connections} connections each"
    try:
        _wait_for(port)
        tool = "wrk" if shutil.which("wrk") else "python"
        results["api_load_tool"] = f"wrk -t2 -c{clients} -d{seconds}s" if tool == "wrk" else "threaded http.client"
        for name, path in [("households", "/api/households/"), ("people", "/api/people/"), ("claims", "/api/claims/")]:
            if tool == "wrk":
                measured = _wrk(port, token, path, clients, seconds, server=server.pid)
            else:
                measured = _api_load(port, token, path, clients, requests_per_client)
            if "cpu_ms" in measured:
                results[f"api_{name}_server_cpu_ms_per_request"] = measured["cpu_ms"]
                if database == "postgres":
                    results[f"api_{name}_database_cpu_ms_per_request"] = measured["database_cpu_ms"]
                results[f"api_{name}_wrk_cpu_ms_per_request"] = measured["wrk_cpu_ms"]
                results[f"api_{name}_worker_cpu_share"] = measured["worker_cpu_share"]
            results[f"api_{name}_p50_ms"] = measured["p50"]
            results[f"api_{name}_p95_ms"] = measured["p95"]
            results[f"api_{name}_errors"] = measured["errors"]
            results[f"api_{name}_per_second"] = round(measured["rate"], 1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def _pages(port: int, token: str, path: str) -> int:
    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    probe.request("GET", path, headers={"Authorization": f"Token {token}"})
    first = json.loads(probe.getresponse().read())
    probe.close()
    return max(1, min(200, -(-first["count"] // max(1, len(first["results"])))))


def _processes_cpu(wanted: Callable[[Path, list[str]], bool]) -> dict[int, float]:
    """User and system CPU seconds of each process that `wanted(proc_dir, stat_fields)` keeps."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if wanted(entry, fields):
                found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
        except OSError:
            continue
    return found


def _cpu_seconds(parent: int) -> dict[int, float]:
    """CPU of each process whose parent is `parent` (gunicorn's workers)."""
    return _processes_cpu(lambda _entry, fields: int(fields[1]) == parent)


def _database_backends() -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving the scratch database (its command
    line names it); none on SQLite, whose work is done inside the server's workers."""
    name = POSTGRES_URL.rsplit("/", 1)[-1].encode()

    def serves_scratch(entry: Path, _fields: list[str]) -> bool:
        command = (entry / "cmdline").read_bytes()
        return command.startswith(b"postgres:") and name in command.split()

    return _processes_cpu(serves_scratch)


def _database_cpu_since(before: dict[int, float]) -> float:
    """CPU of the scratch database's backends since `before` (a backend that ended in
    between is not counted: an undercount, never negative)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in _database_backends().items())


def _wrk(port: int, token: str, path: str, clients: int, seconds: int, *, server: int) -> dict[str, Any]:
    """wrk on loopback: two threads, `clients` keep-alive connections, random pages. Also
    the server's CPU per request, which depends far less on the machine's other load than
    the latencies do: 2 cores / CPU per request bounds the throughput."""
    script = SCRATCH / "wrk.lua"
    script.write_text(
        WRK_SCRIPT.replace("%(path)s", path)
        .replace("%(pages)d", str(_pages(port, token, path)))
        .replace("%(token)s", token)
    )
    url = f"http://127.0.0.1:{port}{path}"
    # Warm every worker (imports, connections, caches) before measuring.
    subprocess.run(["wrk", "-t2", f"-c{clients}", "-d3s", "-s", str(script), url], capture_output=True, check=True)
    cpu_before = _cpu_seconds(server)
    database_before = _database_backends()
    wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    line = next(line for line in completed.stdout.splitlines() if line.startswith("WRK "))
    cpu_after = _cpu_seconds(server)
    per_worker = sorted((cpu_after[pid] - cpu_before.get(pid, 0.0) for pid in cpu_after), reverse=True)
    cpu = sum(per_worker)
    database_cpu = _database_cpu_since(database_before)
    wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = (wrk_after.ru_utime + wrk_after.ru_stime) - (wrk_before.ru_utime + wrk_before.ru_stime)
    p50, p95, _p99, requests, elapsed, errors = (float(value) for value in line.split()[1:])
    return {
        "p50": p50,
        "p95": p95,
        "errors": int(errors),
        "rate": requests / elapsed,
        "cpu_ms": round(1000 * cpu / max(1, requests), 2),
        "database_cpu_ms": round(1000 * database_cpu / max(1, requests), 2),
        "wrk_cpu_ms": round(1000 * wrk_cpu / max(1, requests), 2),
        # How evenly the kept-alive connections ended up spread over the workers: a
        # worker runs Python on one core at a time, so the busiest one bounds the rate.
        "worker_cpu_share": [round(value / max(cpu, 1e-9), 2) for value in per_worker],
    }


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/schema/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the API server did not start")


def _api_load(port: int, token: str, path: str, clients: int, count: int) -> dict[str, float]:
    timings: list[float] = []
    errors = [0]
    lock = threading.Lock()
    headers = {"Authorization": f"Token {token}"}

    pages = _pages(port, token, path)

    def client(seed: int) -> None:
        generator = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(count):
            page = generator.randint(1, pages)
            started = time.perf_counter()
            connection.request("GET", f"{path}?page={page}", headers=headers)
            response = connection.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                timings.append(elapsed)
                if response.status != 200 or not json.loads(body).get("results"):
                    errors[0] += 1
        connection.close()

    # Warm both workers before measuring.
    client(-1)
    timings.clear()
    errors[0] = 0
    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "p50": round(statistics.median(timings), 1),
        "p95": round(percentile(timings, 0.95), 1),
        "errors": errors[0],
        "rate": len(timings) / elapsed,
    }


# --- driver ----------------------------------------------------------------------


def run_child(database: str, phase: str, extra: list[str]) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "reports", "--child", database, "--phase", phase, *extra],
        cwd=ROOT,
        env=environment(database),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-3000:] + completed.stderr[-5000:])
        raise RuntimeError(f"{phase} on {database} failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="requests per client and endpoint (without wrk)")
    parser.add_argument("--seconds", type=int, default=20, help="wrk run per endpoint")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (above 1: gthread)")
    parser.add_argument(
        "--worker-connections", type=int, default=0, help="gunicorn --worker-connections (0: gunicorn's default)"
    )
    parser.add_argument(
        "--phases", default="dashboard,export,api", help="comma-separated: dashboard, export, export-xlsx, api"
    )
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument(
        "--phase", choices=["load", "dashboard", "export", "export-xlsx", "api"], help=argparse.SUPPRESS
    )
    options = parser.parse_args()

    if options.child:
        if options.phase == "load":
            result = phase_load(options.child, options.households)
        elif options.phase == "dashboard":
            result = phase_dashboard(options.child, options.runs)
        elif options.phase == "export":
            result = phase_export(options.child, "csv")
        elif options.phase == "export-xlsx":
            result = phase_export(options.child, "xlsx")
        else:
            result = phase_api(
                options.child,
                options.clients,
                options.requests,
                options.workers,
                options.threads,
                options.seconds,
                options.worker_connections or None,
            )
        print(json.dumps(result))
        return 0

    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    failed = False
    for database in databases:
        results: dict[str, Any] = {"database": database}
        if not options.skip_load:
            results.update(run_child(database, "load", ["--households", str(options.households)]))
        phases = [phase.strip() for phase in options.phases.split(",") if phase.strip()]
        results["load_average"] = " ".join(f"{value:.2f}" for value in os.getloadavg())
        if "dashboard" in phases:
            results.update(run_child(database, "dashboard", ["--runs", str(options.runs)]))
        if "export" in phases:
            results.update(run_child(database, "export", []))
        if "export-xlsx" in phases:
            results.update(run_child(database, "export-xlsx", []))
        if "api" in phases:
            api_options = ["--clients", str(options.clients), "--requests", str(options.requests)]
            api_options += ["--workers", str(options.workers), "--threads", str(options.threads)]
            api_options += ["--worker-connections", str(options.worker_connections)]
            results.update(run_child(database, "api", [*api_options, "--seconds", str(options.seconds)]))
        results["load_average_after"] = " ".join(f"{value:.2f}" for value in os.getloadavg())
        verdicts = {}
        if "dashboard" in phases:
            verdicts["dashboard p95 <= 300 ms"] = (
                results["figures_p95_ms"] <= 300 and results["page_uncached_p95_ms"] <= 300
            )
        if "export" in phases:
            verdicts["export <= 60 s"] = results["export_csv_seconds"] <= 60
            verdicts["export peak <= 500 MB"] = results["export_csv_peak_mb"] <= 500
        if "api" in phases:
            worst = max(value for key, value in results.items() if key.startswith("api_") and key.endswith("_p95_ms"))
            verdicts["API list p95 <= 100 ms"] = worst <= 100
        failed = failed or not all(verdicts.values())
        print(json.dumps(results, indent=2, ensure_ascii=False))
        for verdict, passed in verdicts.items():
            print(f"  {'PASS' if passed else 'FAIL'}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
