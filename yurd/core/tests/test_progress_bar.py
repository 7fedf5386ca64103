"""The command-line progress bar: quiet in logs, redrawn in place on a terminal."""

import io

from yurd.core.progress import ProgressBar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_render_shows_bar_percent_count_and_message() -> None:
    bar = ProgressBar(total=200, label="Import", width=10, stream=io.StringIO())
    bar.update(50, message="Households")
    assert bar.render() == "Import [##........]  25% 50/200 Households"


def test_unknown_total_shows_a_count() -> None:
    bar = ProgressBar(label="Scan", stream=io.StringIO())
    bar.update(12)
    assert bar.render() == "Scan 12"


def test_in_a_log_it_writes_one_line_per_tenth() -> None:
    stream = io.StringIO()
    with ProgressBar(total=1000, label="Rows", stream=stream) as bar:
        for _ in range(1000):
            bar.advance()

    lines = stream.getvalue().splitlines()
    assert len(lines) == 12  # start, ten tenths, and the finish
    assert lines[-1].endswith("100% 1000/1000")
    assert "\r" not in stream.getvalue()


def test_on_a_terminal_it_redraws_in_place_and_ends_the_line() -> None:
    stream = _Terminal()
    bar = ProgressBar(total=3, label="Rows", stream=stream, min_interval=0)
    for done in range(1, 4):
        bar.update(done)
    bar.finish()

    output = stream.getvalue()
    assert output.count("\r") >= 4
    assert output.endswith("100% 3/3\n")


def test_finish_twice_writes_once() -> None:
    stream = io.StringIO()
    bar = ProgressBar(total=2, stream=stream)
    bar.finish()
    written = stream.getvalue()
    bar.finish()
    assert stream.getvalue() == written


def test_a_bar_is_a_job_progress_listener() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream=stream)
    bar(5, 10, "Halfway")
    assert (bar.done, bar.total, bar.message) == (5, 10, "Halfway")
