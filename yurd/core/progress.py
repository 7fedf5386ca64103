"""A progress bar for `yurd …` commands, written to stderr so stdout stays clean.

    with ProgressBar(total=len(rows), label="Importing") as bar:
        for row in rows:
            ...
            bar.advance()

On a terminal the bar redraws in place; in a log or a pipe it writes a line at every
tenth, so a CI log is not flooded. It can also be given to a job as its progress
listener: `bar(done, total, message)` is the same as `bar.update(...)`.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO


class ProgressBar:
    def __init__(
        self,
        total: int | None = None,
        *,
        label: str = "",
        stream: TextIO | None = None,
        width: int = 30,
        min_interval: float = 0.1,
    ) -> None:
        self.total = total
        self.label = label
        self.done = 0
        self.message = ""
        self.width = width
        self.min_interval = min_interval
        self._stream = stream
        self._last_draw = 0.0
        self._last_tenth = -1
        self._finished = False

    @property
    def stream(self) -> TextIO:
        # Looked up at use, so a test capturing sys.stderr sees the output.
        return self._stream if self._stream is not None else sys.stderr

    @property
    def interactive(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def __enter__(self) -> ProgressBar:
        self._draw(force=True)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.finish()

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        self.update(done, total, message)

    def advance(self, step: int = 1) -> None:
        self.update(self.done + step)

    def update(self, done: int, total: int | None = None, message: str = "") -> None:
        self.done = max(0, done)
        if total is not None:
            self.total = total
        if message:
            self.message = message
        self._draw()

    def finish(self, message: str = "") -> None:
        if self._finished:
            return
        if message:
            self.message = message
        if self.total is not None:
            self.done = max(self.done, self.total) if self.total else self.done
        self._draw(force=True)
        if self.interactive:
            self.stream.write("\n")
        self.stream.flush()
        self._finished = True

    def render(self) -> str:
        """The bar as text: `Label [#######.......]  45% 450/1000 message`."""
        parts = [self.label] if self.label else []
        if self.total:
            fraction = min(1.0, self.done / self.total)
            filled = int(fraction * self.width)
            parts.append(f"[{'#' * filled}{'.' * (self.width - filled)}] {int(fraction * 100):3d}%")
            parts.append(f"{self.done}/{self.total}")
        else:
            parts.append(str(self.done))
        if self.message:
            parts.append(self.message)
        return " ".join(parts)

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.interactive:
            if not force and now - self._last_draw < self.min_interval:
                return
            self.stream.write("\r\x1b[2K" + self.render())
            self.stream.flush()
        else:
            tenth = int(self.done * 10 / self.total) if self.total else -1
            if not force and tenth == self._last_tenth:
                return
            self._last_tenth = tenth
            self.stream.write(self.render() + "\n")
        self._last_draw = now
