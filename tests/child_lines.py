"""Waiting for what a child process says, instead of sleeping and hoping it got there.

The kill-9 and concurrency tests start real processes and act when a child reaches a
point: it prints a line there (and flushes), and the test waits for that line, with a
timeout that only a stuck child reaches.
"""

from __future__ import annotations

import queue
import subprocess
import threading
import time

_END = None


class ChildLines:
    """Each line ``child`` prints on its stdout (a text pipe), in order, as it comes.

    A thread reads the pipe to its end, so the child never blocks on a full pipe and
    the test never blocks on a child that says nothing: every wait has a timeout.
    """

    def __init__(self, child: subprocess.Popen, name: str = "the child") -> None:
        if child.stdout is None:
            raise ValueError("start the child with stdout=subprocess.PIPE, text=True")
        self.child = child
        self.name = name
        self.seen: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._ended = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.child.stdout:  # type: ignore[union-attr]
            self._lines.put(line.rstrip("\n"))
        self._lines.put(_END)

    def next(self, timeout: float) -> str | None:
        """The next line, or ``None`` once the child's output has ended.

        Raises
        ------
        AssertionError
            when the child says nothing within ``timeout`` seconds.
        """
        if self._ended:
            return None
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(
                f"{self.name} said nothing for {timeout:g} s; it had said {self.seen}"
            ) from None
        if line is _END:
            self._ended = True
            return None
        self.seen.append(line)
        return line

    def wait_for(self, wanted: str, timeout: float) -> str:
        """Read lines until one equals (or, ending with ``*``, starts with) ``wanted``.

        Raises
        ------
        AssertionError
            naming what the child said, when it ends or times out first.
        """
        deadline = time.monotonic() + timeout
        while True:
            line = self.next(max(deadline - time.monotonic(), 0.0))
            if line is None:
                raise AssertionError(
                    f"{self.name} ended (exit {self.child.wait()}) before {wanted!r}; "
                    f"it said {self.seen}"
                )
            if line == wanted or (wanted.endswith("*") and line.startswith(wanted[:-1])):
                return line

    def rest(self, timeout: float) -> list[str]:
        """Every line until the child's output ends (the lines read before excluded)."""
        deadline = time.monotonic() + timeout
        lines = []
        while (line := self.next(max(deadline - time.monotonic(), 0.0))) is not None:
            lines.append(line)
        return lines
