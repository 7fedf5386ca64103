"""`yurd link dedupe|link`: record linkage on CSV files. Works on files and touches no database."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yurd.linkage.files import (
    DEFAULT_MAX_ROWS,
    InputError,
    read_gazetteer,
    read_normalised,
    read_records,
    write_csv,
)
from yurd.linkage.matching.linker import DEFAULT_THRESHOLD, LinkageResult, dedupe_records, link
from yurd.names.places import Gazetteer

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Find the same person across lists in any script: dedupe one CSV, or link two."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="action", required=True)
        dedupe_parser = subcommands.add_parser("dedupe", help="Cluster the records of one file into persons.")
        dedupe_parser.add_argument("input", help="CSV with record_id and name, date and place columns.")
        dedupe_parser.add_argument("--output", required=True, help="Write record_id,cluster_id here.")
        dedupe_parser.add_argument("--pairs", help="Also write scored pairs with their explanation here.")
        link_parser = subcommands.add_parser("link", help="Find records of file A that are persons in file B.")
        link_parser.add_argument("input_a")
        link_parser.add_argument("input_b")
        link_parser.add_argument("--output", required=True, help="Write the accepted links here.")
        link_parser.add_argument("--pairs", help="Also write every candidate pair with its explanation here.")
        for sub in (dedupe_parser, link_parser):
            sub.add_argument(
                "--threshold",
                type=float,
                default=DEFAULT_THRESHOLD,
                help=f"Match probability from which two records are the same person (default {DEFAULT_THRESHOLD}).",
            )
            sub.add_argument("--places", help="Gazetteer CSV: place_id and one column per name of the place.")
            sub.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS, help="Refuse larger files.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold must be a probability between 0 and 1.", returncode=BAD_INPUT)
        started = time.monotonic()
        try:
            gazetteer = read_gazetteer(options["places"]) if options["places"] else None
            if options["action"] == "dedupe":
                self._dedupe(options, gazetteer)
            else:
                self._link(options, gazetteer)
        except InputError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
        except OSError as error:
            raise CommandError(f"Cannot write the output: {error}", returncode=BAD_INPUT) from None
        self.stderr.write(f"Done in {time.monotonic() - started:.1f} s.")

    def _dedupe(self, options: dict[str, Any], gazetteer: Gazetteer | None) -> None:
        # Normalised as read: the raw rows of a 50k-household run held 530 MB at the peak.
        normalised, encoding = read_normalised(options["input"], gazetteer, max_rows=options["max_rows"])
        self._report_encoding(options["input"], encoding)
        record_ids = [record.record_id for record in normalised]
        result = dedupe_records(normalised, threshold=options["threshold"], with_pairs=bool(options["pairs"]))
        del normalised
        write_csv(
            options["output"],
            ["record_id", "cluster_id"],
            ([record_id, result.clusters[record_id]] for record_id in record_ids),
        )
        clusters = len(set(result.clusters.values()))
        self.stdout.write(f"{len(record_ids)} records, {clusters} persons: written to {options['output']}.")
        if options["pairs"]:
            self._write_pairs(options["pairs"], result, ("record_id_1", "record_id_2"))

    def _link(self, options: dict[str, Any], gazetteer: Gazetteer | None) -> None:
        table_a = read_records(options["input_a"], max_rows=options["max_rows"])
        table_b = read_records(options["input_b"], max_rows=options["max_rows"])
        self._report_encoding(options["input_a"], table_a.encoding)
        self._report_encoding(options["input_b"], table_b.encoding)
        result = link(table_a.rows, table_b.rows, gazetteer=gazetteer, threshold=options["threshold"])
        accepted = [pair for pair in result.pairs if pair.same_cluster]
        write_csv(
            options["output"],
            ["record_id_a", "record_id_b", "match_probability", "explanation"],
            ([pair.left[2:], pair.right[2:], pair.probability, pair.explanation] for pair in accepted),
        )
        self.stdout.write(f"{len(accepted)} links: written to {options['output']}.")
        if options["pairs"]:
            self._write_pairs(options["pairs"], result, ("record_id_a", "record_id_b"), strip=2)

    def _write_pairs(self, path: str, result: LinkageResult, names: tuple[str, str], strip: int = 0) -> None:
        write_csv(
            path,
            [*names, "match_probability", "same_person", "explanation"],
            (
                [
                    pair.left[strip:],
                    pair.right[strip:],
                    pair.probability,
                    "yes" if pair.same_cluster else "review",
                    pair.explanation,
                ]
                for pair in result.pairs
            ),
        )
        self.stdout.write(f"{len(result.pairs)} scored pairs: written to {path}.")

    def _report_encoding(self, path: str, encoding: str) -> None:
        if encoding != "UTF-8":
            self.stderr.write(f"{path} was read as {encoding}.")
