"""Faults too slow or too disruptive for CI (the fast ones are yurd/core/tests/test_faults.py
and yurd/evidence/tests/test_disk_full.py):

    flock /tmp/bench.lock python -m bench faults                   # all three
    flock /tmp/bench.lock python -m bench faults --only postgres   # one of postgres, worker, disk

  postgres  PostgreSQL restarted (`pg_ctlcluster --skip-systemctl-redirect VERSION NAME
            restart`, the cluster on BENCH_PG_URL's port) while gunicorn takes registrations from 10 clients and a `yurd
            worker` runs jobs. Every registration answered 201 is in the database with all
            its members; none is there in part; requests succeed again after the restart;
            the worker outlives the restart and runs the next job; verify passes.
            It restarts the server every database on it shares: never run it beside tests,
            or point BENCH_PG_URL at a cluster of its own, e.g.
              pg_createcluster 15 faults --port 5499 --start   (trust for 127.0.0.1 in its pg_hba.conf)
              BENCH_PG_URL=postgres://postgres@127.0.0.1:5499/yurd_bench_faults python -m bench faults
  worker    `yurd worker` SIGKILLed at random moments of a 10,000-household import commit,
            three times, then left to finish: the registry holds the whole import once.
  disk      evidence ingested onto a 16 MiB tmpfs until it is full: every refused file is
            refused with the message, every stored one verifies, no partial file is left.

Scratch database `yurd_bench_faults` and a temporary directory, removed at the end;
every subprocess under a hard timeout. All data is synthetic.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

from bench import require_setup

POSTGRES_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/yurd_bench_faults")
HOST = "yurd.example.org"
SECRET = "bench-faults-" + "S3cr3t-k3y-" * 6
BIN = Path(sys.executable).parent


def log(message: str) -> None:
    print(message, flush=True)


def _admin():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=10)


def _database():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=10)


def drop_database() -> None:
    name = POSTGRES_URL.rsplit("/", 1)[1]
    with _admin() as conn:
        conn.execute("SET statement_timeout = 60000")
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def wait_for(condition: Any, what: str, timeout: float = 300) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception:  # the database may be restarting
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError(f"timed out waiting for {what}")


class Installation:
    """A scratch database, media directory and the processes started on them."""

    def __init__(self, workdir: Path, media: Path | None = None) -> None:
        self.workdir = workdir
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": SECRET,
            "DATABASE_URL": POSTGRES_URL,
            "ALLOWED_HOSTS": HOST,
            "STATIC_ROOT": str(workdir / "static"),
            "YURD_MEDIA_ROOT": str(media or workdir / "media"),
            "YURD_VAR_DIR": str(workdir / "var"),
            "YURD_STATIC_COMPRESS": "false",
            "PGOPTIONS": "-c statement_timeout=120000 -c lock_timeout=60000",
        }
        self.processes: list[subprocess.Popen[bytes]] = []

    def yurd(self, *args: str, timeout: float = 900, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(BIN / "yurd"), *args], env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"yurd {' '.join(args)}: {result.stdout}\n{result.stderr}")
        return result

    def python(self, code: str, timeout: float = 900) -> str:
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        return result.stdout

    def setup(self, households: int) -> None:
        drop_database()
        with _admin() as conn:
            conn.execute(f'CREATE DATABASE "{POSTGRES_URL.rsplit("/", 1)[1]}"')
        self.yurd("migrate", "--noinput")
        loaded = self.python(
            "import os\nfrom yurd.places import demo as p\nfrom yurd.registry import demo as r\n"
            "from yurd.accounts.roles import sync_role_groups\nsync_role_groups()\n"
            "out = open(os.devnull, 'w')\n"
            f"p.load(households=0, stdout=out)\nr.load(households={households}, stdout=out)\n"
            "from yurd.places.models import Place\nfrom yurd.registry.models import Household\n"
            "print(Place.objects.count(), Household.objects.count())\n"
        )
        places, loaded_households = (int(number) for number in loaded.split()[-2:])
        require_setup(places, "places in the demo gazetteer")
        if households:
            require_setup(loaded_households, "households", expected=households)

    def start(self, *command: str) -> subprocess.Popen[bytes]:
        log_file = (self.workdir / f"process-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen(
            list(command), env=self.env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def worker(self) -> subprocess.Popen[bytes]:
        return self.start(
            str(BIN / "yurd"), "worker", "--interval=0.2", "--no-startup-delay", "--heartbeat=0.5", "--lease=5"
        )

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


def verify(installation: Installation) -> None:
    result = installation.yurd("evidence", "verify", check=False)
    assert result.returncode == 0 and result.stdout.startswith("OK"), result.stdout + result.stderr
    log(f"  yurd evidence verify: {result.stdout.strip().splitlines()[0]}")


# --- PostgreSQL restart during writes ------------------------------------------------


def cluster() -> tuple[str, str]:
    """The Debian cluster (version, name) serving the benchmark's database port."""
    port = str(urllib.parse.urlsplit(POSTGRES_URL).port or 5432)
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True, timeout=30)
    for line in listed.stdout.splitlines():
        version, name, cluster_port, *_rest = line.split()
        if cluster_port == port:
            return version, name
    raise RuntimeError(f"no PostgreSQL cluster listens on port {port}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fault_postgres(installation: Installation) -> None:
    import http.client

    log("## PostgreSQL restarted during writes")
    installation.setup(households=2000)
    installation.python(
        "from yurd.accounts.models import ApiToken\n"
        "from yurd.accounts.roles import Role\nfrom yurd.testing.personas import make_user\n"
        "user = make_user('bench-faults-registrar', Role.REGISTRAR)\n"
        "ApiToken.objects.create(user=user, name='bench', key_digest=ApiToken.digest('f' * 40), prefix='ffffff',\n"
        "                        password_stamp=user.get_session_auth_hash())\n"
    )
    deed = installation.workdir / "deed.txt"
    deed.write_bytes(b"synthetic deed, faults benchmark\n")
    installation.yurd("evidence", "add", str(deed))
    installation.yurd("collectstatic", "--noinput", "-v0")
    port = free_port()
    installation.start(
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        "--workers=3",
        "--forwarded-allow-ips=127.0.0.1",
        "--timeout=60",
    )
    installation.worker()
    origins = json.loads(
        installation.python(
            "import json\nfrom yurd.places.models import Place\n"
            "print(json.dumps(list(Place.objects.filter(kind='settlement').values_list('code', flat=True)[:20])))"
        )
    )
    require_setup(len(origins), "settlements to register households in")

    def register(ref: str, members: int) -> int:
        body = {
            "origin_place": origins[hash(ref) % len(origins)],
            "source": "bench-faults",
            "source_ref": ref,
            "members": [
                {"surname": "Quliyev", "given_name": f"Rauf{number}", "sex": "m",
                 "household_role": "child" if number else "head"}
                for number in range(members)
            ],
        }  # fmt: skip
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request(
                "POST",
                "/api/households/",
                body=json.dumps(body),
                headers={"Host": HOST, "X-Forwarded-Proto": "https", "Content-Type": "application/json",
                         "Authorization": "Token " + "f" * 40},
            )  # fmt: skip
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    wait_for(lambda: register("warm-up", 1) == 201, "gunicorn to take a registration")
    sent: dict[str, tuple[int, int, float]] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def client(index: int) -> None:
        rng = random.Random(index)
        number = 0
        while not stop.is_set():
            number += 1
            ref, members = f"c{index}-{number}", rng.randint(1, 4)
            try:
                status = register(ref, members)
            except OSError:
                status = 0
            with lock:
                sent[ref] = (status, members, time.monotonic())

    threads = [threading.Thread(target=client, args=(index,), daemon=True) for index in range(10)]
    for thread in threads:
        thread.start()
    time.sleep(5)
    version, name = cluster()
    restart_began = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
        check=True,
        timeout=120,
    )
    restarted = time.monotonic()
    log(f"  restarted PostgreSQL {version}/{name} in {restarted - restart_began:.1f} s")
    time.sleep(15)
    stop.set()
    for thread in threads:
        thread.join(timeout=90)

    with _database() as conn:
        rows = conn.execute(
            "SELECT h.source_ref, count(p.id) FROM registry_household h LEFT JOIN registry_person p "
            "ON p.household_id = h.id WHERE h.source = 'bench-faults' GROUP BY h.source_ref"
        ).fetchall()
    stored = dict(rows)
    answered = {ref: facts for ref, facts in sent.items() if facts[0] == 201}
    failed = {ref: facts for ref, facts in sent.items() if facts[0] != 201}
    missing = [ref for ref in answered if ref not in stored]
    partial = [ref for ref, count in stored.items() if ref in sent and count != sent[ref][1]]
    late_failures = [ref for ref, facts in failed.items() if facts[2] > restarted + 5]
    log(f"  {len(sent)} registrations sent: {len(answered)} answered 201, {len(failed)} refused or cut "
        f"({len([ref for ref in failed if ref in stored])} of those committed whole anyway)")  # fmt: skip
    log(f"  answered but missing: {len(missing)}; stored in part: {len(partial)}; "
        f"failures later than 5 s after the restart: {len(late_failures)}")  # fmt: skip
    assert not missing and not partial and not late_failures, (missing[:5], partial[:5], late_failures[:5])

    # The worker outlived the restart: a job queued now runs.
    queued = installation.yurd("integrity_check", "--background")
    job = re.search(r"Queued job ([0-9a-f-]{36})", queued.stdout)
    assert job, queued.stdout
    wait_for(
        lambda: (
            _database()
            .execute("SELECT 1 FROM core_job WHERE id = %s AND status = 'succeeded'", [job.group(1)])
            .fetchone()
        ),
        "the worker to run a job queued after the restart",
        timeout=120,
    )
    log("  the worker, started before the restart, ran a job queued after it")
    verify(installation)


# --- Worker killed at random moments of a large import --------------------------------


def fault_worker(installation: Installation) -> None:
    log("## Worker killed at random moments of a 10,000-household import commit")
    installation.setup(households=0)
    rows = 10_000
    # The demo gazetteer has two villages called Qarabulaq: the district in parentheses picks one.
    code = f"""
import csv, io, json
from bench import staged_problem
from yurd.core.actors import system_actor
from yurd.registry.imports import import_create, import_validate
from yurd.registry.tasks import import_commit_start
buffer = io.StringIO()
writer = csv.writer(buffer)
writer.writerow(["household_ref", "person_ref", "surname", "given_name", "sex", "birth_date", "role", "origin_place"])
for number in range({rows}):
    household, year = f"F{{number}}", 1930 + number % 60
    writer.writerow([household, household + "-1", "Quliyev", "Əli", "m", year, "head", "Qarabulaq (Vedi)"])
    writer.writerow([household, household + "-2", "Quliyeva", "Leyla", "f", year + 2, "spouse", "Qarabulaq (Vedi)"])
data = buffer.getvalue().encode()
batch = import_validate(batch=import_create(actor=system_actor(), data=data, file_name="big.csv", source="faults"))
problem = staged_problem(batch) if batch.valid_rows < batch.total_rows else ""
if batch.valid_rows == batch.total_rows:
    import_commit_start(batch=batch)
print(json.dumps({{"batch": batch.pk, "valid": batch.valid_rows, "problem": problem}}))
"""
    staged = json.loads(installation.python(code, timeout=1800).strip().splitlines()[-1])
    batch = staged["batch"]
    # Nothing to kill the worker during if nothing was staged: say so now, not after a timeout.
    require_setup(staged["valid"], "valid rows staged", expected=2 * rows, detail=staged["problem"])
    log(f"  batch {batch}: {staged['valid']} valid rows staged")
    rng = random.Random(9)
    for attempt in range(3):
        worker = installation.worker()
        wait_for(
            lambda: (
                _database()
                .execute("SELECT 1 FROM registry_importbatch WHERE id = %s AND status = 'committing'", [batch])
                .fetchone()
            ),
            "the commit to start",
        )
        time.sleep(rng.uniform(0.5, 6))
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        with _database() as conn:
            status = conn.execute("SELECT status FROM registry_importbatch WHERE id = %s", [batch]).fetchone()[0]
            people = conn.execute("SELECT count(*) FROM registry_person WHERE source = 'faults'").fetchone()[0]
        log(f"  kill {attempt + 1}: batch {status}, {people} people visible")
        assert people in (0, 2 * rows), "half an import is visible"
        if status == "committed":
            break
        # Two lost runs exhaust the retry: the batch then says so, and is committed again by hand.
        if status == "validated":
            installation.python(
                "from yurd.registry.models import ImportBatch\n"
                "from yurd.registry.tasks import import_commit_start\n"
                f"import_commit_start(batch=ImportBatch.objects.get(pk={batch}))"
            )
    installation.worker()
    wait_for(
        lambda: (
            _database()
            .execute("SELECT 1 FROM registry_importbatch WHERE id = %s AND status = 'committed'", [batch])
            .fetchone()
        ),
        "the import to be committed",
        timeout=1800,
    )
    with _database() as conn:
        people = conn.execute("SELECT count(*) FROM registry_person WHERE source = 'faults'").fetchone()[0]
    log(f"  committed: {people} people (expected {2 * rows})")
    assert people == 2 * rows
    verify(installation)


# --- Disk full during evidence ingest --------------------------------------------------


def fault_disk(workdir: Path) -> None:
    log("## Disk full during evidence ingest (16 MiB tmpfs)")
    media = workdir / "tiny"
    media.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(media)],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    if mounted.returncode != 0:
        log(f"  skipped: cannot mount a tmpfs ({mounted.stderr.strip()})")
        return
    try:
        installation = Installation(workdir, media=media)
        installation.setup(households=0)
        stored = refused = 0
        for number in range(24):
            path = workdir / f"scan-{number}.bin"
            path.write_bytes(os.urandom(1024 * 1024 + number))
            result = installation.yurd("evidence", "add", str(path), check=False)
            if result.returncode == 0:
                stored += 1
            else:
                assert "no room left" in result.stderr, result.stderr
                refused += 1
            path.unlink()
        staging = list((media / "evidence-staging").glob("*")) if (media / "evidence-staging").exists() else []
        log(f"  {stored} files stored, {refused} refused with the message; staging files left: {len(staging)}")
        assert refused and not staging
        with _database() as conn:
            items = conn.execute("SELECT count(*) FROM evidence_evidenceitem").fetchone()[0]
        assert items == stored, (items, stored)
        verify(installation)
    finally:
        subprocess.run(["umount", "-l", str(media)], check=False, timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["postgres", "worker", "disk"])
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database and files.")
    options = parser.parse_args(sys.argv[1:])
    signal.signal(signal.SIGALRM, lambda *_args: (_ for _ in ()).throw(TimeoutError("bench faults: hard timeout")))
    signal.alarm(3600)
    log(f"# faults; load average {os.getloadavg()[0]:.1f}")
    failures = 0
    for name in ("postgres", "worker", "disk"):
        if options.only and name != options.only:
            continue
        workdir = Path(tempfile.mkdtemp(prefix=f"yurd-bench-faults-{name}-"))
        installation = Installation(workdir)
        started = time.perf_counter()
        try:
            if name == "postgres":
                fault_postgres(installation)
            elif name == "worker":
                fault_worker(installation)
            else:
                fault_disk(workdir)
            log(f"  ok ({time.perf_counter() - started:.0f} s, load average {os.getloadavg()[0]:.1f})")
        except Exception as error:  # report and go on with the next fault
            failures += 1
            log(f"  FAILED: {type(error).__name__}: {error}")
        finally:
            installation.stop_all()
            if not options.keep:
                drop_database()
                shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
