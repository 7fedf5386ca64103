"""`yurd estimate COUNTS.csv`: multiple systems estimation of how many people no list names.

Reads a capture table (one 0/1 column per list, a `count` column), chooses a model
(fixed, stepwise or BIC), and prints the estimate with its interval, or with --json
one object. Works on files and touches no database. `--register` takes the capture
histories from the linked register instead, once an app has registered them as a
source (yurd.estimation.sources); `--registry` takes them from the registry's own
registration lists (families, yurd.registry.capture), over the lists named by `--list`
or all of them. Counts only: no name is printed.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yurd.estimation import (
    INTERVALS,
    METHODS,
    RESAMPLING,
    Estimate,
    NoEstimateError,
    TableError,
    estimate,
    estimate_strata,
    read_counts,
    sources,
)
from yurd.registry.capture import (
    column_labels,
    complete_lists,
    family_histories,
    family_tables,
    registration_lists,
)

BAD_INPUT = 2
NO_ESTIMATE = 1


class Command(BaseCommand):
    help = "Estimate how many people no list names from how the lists overlap (multiple systems estimation)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("counts", nargs="?", help="CSV with one 0/1 column per list and a count column.")
        parser.add_argument("--method", choices=METHODS, default="stepwise", help="How the model is chosen.")
        parser.add_argument("--interactions", default="", help="Two-list interactions of the fixed model, as A:B,C:D.")
        parser.add_argument(
            "--pthresh", type=float, default=0.02, help="Stepwise: p-value below which an interaction enters."
        )
        parser.add_argument(
            "--bootstrap", type=int, default=0, help="Bootstrap samples for an interval that repeats the selection."
        )
        parser.add_argument("--seed", type=int, help="Seed of the bootstrap, for a reproducible interval.")
        parser.add_argument(
            "--resample",
            choices=RESAMPLING,
            default="observed",
            help="What the bootstrap draws: the observed people (as the reference) or the estimated population.",
        )
        parser.add_argument(
            "--interval", choices=INTERVALS, default="bca", help="Bootstrap interval: bca or percentile."
        )
        parser.add_argument("--level", type=float, default=0.95, help="Coverage of the interval (default 0.95).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument(
            "--register", action="store_true", help="Use the capture histories of the linked register, not a file."
        )
        parser.add_argument(
            "--registry",
            action="store_true",
            help="Estimate the number of displaced families from the registry's registration lists.",
        )
        parser.add_argument(
            "--list",
            action="append",
            default=[],
            dest="lists",
            metavar="LIST",
            help="With --registry: a registration list (source) to use; repeat it. Default: every list.",
        )
        parser.add_argument(
            "--stratify", default="", help="With --register or --registry: fields to estimate by, as wave,district."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._check(options)
        self.list_names: dict[str, str] = {}
        interactions = [name.strip() for name in options["interactions"].split(",") if name.strip()]
        settings = {
            "method": options["method"],
            "interactions": interactions,
            "pthresh": options["pthresh"],
            "bootstrap": options["bootstrap"],
            "seed": options["seed"],
            "resample": options["resample"],
            "interval": options["interval"],
            "level": options["level"],
        }
        try:
            if options["registry"]:
                result = self._from_registry(options["lists"], options["stratify"], settings)
            elif options["register"]:
                result = self._from_register(options["stratify"], settings)
            else:
                result = estimate(self._read(options["counts"]), **settings)
        except TableError as error:
            raise CommandError(f"{options['counts'] or 'registry'}: {error}", returncode=BAD_INPUT) from None
        except NoEstimateError as refusal:
            raise CommandError(f"No estimate: {refusal}.", returncode=NO_ESTIMATE) from None
        except ValueError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
        if options["json"]:
            output = result.as_dict()
            if self.list_names:
                output["list_names"] = self.list_names
            self.stdout.write(json.dumps(output, ensure_ascii=False))
        else:
            self._print(result)

    @staticmethod
    def _check(options: dict[str, Any]) -> None:
        if [bool(options["counts"]), options["register"], options["registry"]].count(True) != 1:
            raise CommandError("Give either a COUNTS.csv file, --register or --registry.", returncode=BAD_INPUT)
        if options["stratify"] and not (options["register"] or options["registry"]):
            raise CommandError("--stratify goes with --register or --registry.", returncode=BAD_INPUT)
        if options["lists"] and not options["registry"]:
            raise CommandError("--list goes with --registry.", returncode=BAD_INPUT)
        if not 0 <= options["pthresh"] <= 1:
            raise CommandError("--pthresh must lie between 0 and 1.", returncode=BAD_INPUT)
        if options["bootstrap"] < 0:
            raise CommandError("--bootstrap cannot be negative.", returncode=BAD_INPUT)
        if not 0 < options["level"] < 1:
            raise CommandError("--level must lie between 0 and 1, as 0.95.", returncode=BAD_INPUT)

    def _read(self, path: str) -> Any:
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                return read_counts(handle)
        except UnicodeDecodeError:
            raise CommandError(f"{path}: not UTF-8 text.", returncode=BAD_INPUT) from None
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.", returncode=BAD_INPUT) from None

    def _from_register(self, stratify: str, settings: dict[str, Any]) -> Estimate:
        source = sources.registered_source()
        if source is None:
            raise CommandError("No register of capture histories is installed.", returncode=BAD_INPUT)
        fields = [name.strip() for name in stratify.split(",") if name.strip()]
        tables = source(fields)
        if not fields and len(tables) == 1:
            return estimate(next(iter(tables.values())), **settings)
        return estimate_strata(tables, **settings)

    def _from_registry(self, lists: list[str], stratify: str, settings: dict[str, Any]) -> Estimate:
        """Families by the registration lists that named them; columns L1..Lk stand for the lists."""
        found = family_histories()
        available = [name for name, _families in registration_lists(found)]
        chosen = list(dict.fromkeys(lists))
        unknown = [name for name in chosen if name not in available]
        if unknown:
            raise CommandError(
                f"No family is on the list {unknown[0]!r}; the registry's lists are: {'; '.join(available) or 'none'}.",
                returncode=BAD_INPUT,
            )
        if not chosen:
            # Without --list: every list but those that name everyone (they estimate nothing).
            left_out = complete_lists(available, found)
            chosen = [name for name in available if name not in left_out]
            for name in left_out:
                self.stderr.write(f"Left out {name!r}: it names every family the other lists name.")
        complete = complete_lists(chosen, found)
        if complete:
            raise CommandError(
                f"The list {complete[0]!r} names every family the other chosen lists name: it looks complete "
                "(or it is the register itself), so the overlaps cannot tell how many all the lists missed. "
                "Leave it out.",
                returncode=BAD_INPUT,
            )
        if len(chosen) < 2:
            raise CommandError(
                f"At least two registration lists are needed to estimate anything; the registry has {len(available)}.",
                returncode=BAD_INPUT,
            )
        fields = [name.strip() for name in stratify.split(",") if name.strip()]
        tables = family_tables(chosen, fields, found)
        self.list_names = dict(zip(column_labels(chosen), chosen, strict=True))
        for label, name in self.list_names.items():
            self.stderr.write(f"{label}: {name}")
        if not fields:
            return estimate(tables["all"], **settings)
        return estimate_strata(tables, **settings)

    def _print(self, result: Estimate, indent: str = "") -> None:
        write = self.stdout.write
        write(f"{indent}Observed: {result.observed} people on {len(result.lists)} lists ({', '.join(result.lists)})")
        line = f"{indent}Estimate: {result.estimate:.1f}"
        if result.interval:
            low, high = result.interval
            line += f" ({result.level:.0%} interval {low:.1f} to {high:.1f}, {result.interval_method}"
            if result.bootstrap_samples:
                line += f", {result.bootstrap_samples} bootstrap samples of the {result.resample}, seed {result.seed}"
            line += ")"
        write(line)
        method = result.method + (f" (p-value threshold {result.pthresh})" if result.method == "stepwise" else "")
        write(f"{indent}Method: {method}")
        if not result.strata:
            write(f"{indent}Model: {', '.join(result.model)}")
        for caveat in result.caveats:
            write(f"{indent}Caveat: {caveat.message}")
        for name, stratum in result.strata.items():
            write(f"{indent}Stratum {name}:")
            self._print(stratum, indent + "  ")
