"""The WSGI entry point gunicorn loads (docs/deployment.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_worker_freezes_what_it_loaded_so_full_collections_skip_it() -> None:
    # A fresh interpreter, as a gunicorn worker: importing the application freezes the
    # objects loaded with it (gc.freeze), so a full collection during a request scans
    # only that request's garbage rather than every module and model.
    script = "import gc, config.wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    frozen = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    assert int(frozen.stdout.strip().splitlines()[-1]) > 10_000
