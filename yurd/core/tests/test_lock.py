"""requirements/requirements.lock, which `make setup` installs, stays in step with pyproject.toml.

A dependency added to pyproject.toml without `make lock` would be missing from every
fresh install; a range narrowed below the pin would install what pyproject refuses.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^ ;\\]+)")


def locked() -> tuple[dict[str, str], list[str]]:
    """(name → pinned version, names of pins without a hash)."""
    pins: dict[str, str] = {}
    unhashed: list[str] = []
    current = ""
    for line in (ROOT / "requirements" / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match.group(1))
            pins[current] = match.group(2)
            if not line.rstrip().endswith("\\"):
                unhashed.append(current)
    return pins, unhashed


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    tools = (ROOT / "requirements" / "tools.in").read_text(encoding="utf-8").splitlines()
    lines += [line for line in tools if line.strip() and not line.startswith("#")]
    return [Requirement(line) for line in lines]


def test_every_declared_dependency_is_locked_within_its_range() -> None:
    pins, _unhashed = locked()
    problems = []
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement}: not in the lock")
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{requirement}: locked at {pins[name]}")
    assert problems == [], "run make lock: " + "; ".join(problems)


def test_every_locked_package_carries_a_hash() -> None:
    pins, unhashed = locked()
    assert len(pins) > 100
    assert unhashed == []
