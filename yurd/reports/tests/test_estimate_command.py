"""`yurd estimate`: estimates from a counts file, JSON output, and clear refusals of bad input."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yurd.estimation import CaptureTable, sources

WESTERN = Path(__file__).resolve().parents[2] / "estimation" / "tests" / "data" / "Western.csv"


def run(*args):
    out = StringIO()
    call_command("estimate", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def fails(*args, returncode=2):
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert raised.value.returncode == returncode
    return str(raised.value)


def write(tmp_path, text):
    path = tmp_path / "counts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_json_gives_the_estimate_interval_method_and_model():
    result = json.loads(run(WESTERN, "--method", "stepwise", "--bootstrap", "50", "--seed", "5", "--json"))
    assert result["observed"] == 345
    assert result["estimate"] == 2483.38
    low, high = result["interval"]
    assert 345 <= low < 2483.38 < high
    assert (result["method"], result["pthresh"]) == ("stepwise", 0.02)
    assert result["model"] == ["A", "B", "C", "D", "E", "A:E"]
    assert (result["interval_method"], result["bootstrap_samples"], result["seed"]) == ("bca", 50, 5)
    assert result["resample"] == "observed"


def test_resampling_the_population_is_reported():
    text = run(WESTERN, "--method", "fixed", "--bootstrap", "30", "--seed", "1", "--resample", "population")
    assert "30 bootstrap samples of the population, seed 1" in text


def test_fixed_model_with_named_interactions_and_text_output():
    text = run(WESTERN, "--method", "fixed", "--interactions", "A:E")
    assert "Observed: 345 people on 5 lists" in text
    assert "Estimate: 2483.4" in text
    assert "Model: A, B, C, D, E, A:E" in text


def test_bic_in_json():
    result = json.loads(run(WESTERN, "--method", "bic", "--json"))
    assert (result["estimate"], result["interactions"]) == (2483.38, ["A:E"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A,B,count\n1,0,5\n0,3,2\n", "row 3, column B: '3' is not 0 or 1"),
        ("A,B,count\n1,0,-4\n", "row 2, column count: -4 is negative"),
        ("A,count\n1,4\n", "at least two lists"),
        ("A,B,count\n1,0,4\n0,0,6\n", "row 3: every list is 0"),
        ("A,B,total\n1,0,4\n", "no 'count' column"),
        ("A,B,count\n1,0,four\n", "row 2, column count: 'four' is not a whole number"),
    ],
)
def test_bad_input_is_refused_naming_row_and_column_with_exit_code_2(tmp_path, text, expected):
    assert expected in fails(write(tmp_path, text))


def test_bad_options_are_refused_with_exit_code_2(tmp_path):
    assert "no list named 'Z'" in fails(WESTERN, "--method", "fixed", "--interactions", "A:Z")
    assert "fixed method" in fails(WESTERN, "--method", "stepwise", "--interactions", "A:E")
    assert "--pthresh" in fails(WESTERN, "--pthresh", "2")
    assert "Cannot read" in fails(tmp_path / "missing.csv")
    assert "either" in fails()


def test_a_table_with_no_estimate_is_refused_with_the_reason(tmp_path):
    message = fails(write(tmp_path, "A,B,count\n1,0,10\n0,1,20\n"), "--method", "fixed", returncode=1)
    assert "does not exist" in message


def test_register_without_a_registered_source_is_refused():
    # The register of deaths and injuries registers its source when it loads.
    installed = sources.registered_source()
    sources.unregister_source("register")
    try:
        assert "No register" in fails("--register")
    finally:
        if installed is not None:
            sources.register_source("register", installed)


def test_register_estimates_each_stratum_a_registered_source_supplies():
    table = CaptureTable.from_patterns(
        ["A", "B", "C"],
        [((1, 0, 0), 60), ((0, 1, 0), 50), ((0, 0, 1), 40), ((1, 1, 0), 10), ((1, 0, 1), 8), ((0, 1, 1), 7)],
    )

    def source(fields):
        assert fields == ["wave"]
        return {"1988": table, "1990": table}

    installed = sources.registered_source()
    sources.register_source("register", source)
    try:
        result = json.loads(run("--register", "--stratify", "wave", "--method", "fixed", "--json"))
    finally:
        sources.unregister_source("register")
        if installed is not None:
            sources.register_source("register", installed)
    assert set(result["strata"]) == {"1988", "1990"}
    assert result["observed"] == 2 * table.observed
    assert result["estimate"] == pytest.approx(2 * result["strata"]["1988"]["estimate"], abs=0.02)
