"""Stopping a build on SIGINT (Ctrl-C) or SIGTERM (how cron, systemd and CI stop a job).

Outside the part that runs briefs a signal stops the build at once (`Interrupted`, a BaseException
so that no `except Exception` swallows it): the lock is released on the way out and nothing was
published. While briefs run, and while status.json and the index are written, the signal is only
recorded and its callback stops the running kernels; the build then removes its staging folder,
records the briefs already published in status.json and the index, releases the lock and exits
128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The build was stopped by a signal; `code` is 128 + its number."""

    def __init__(self, signum: int, message: str = ""):
        self.signum = signum
        self.code = 128 + signum
        self.name = signal.Signals(signum).name
        super().__init__(message or f"interrupted by {self.name}")


class Stopper:
    """Signal handlers for the duration of a build (installed only in the main thread)."""

    def __init__(self):
        self.signum: int | None = None
        self._deferred = 0
        self._on_signal: Callable[[], None] | None = None
        self._previous: dict[int, object] = {}
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> Stopper:
        if threading.current_thread() is threading.main_thread():
            for s in SIGNALS:
                self._previous[s] = signal.signal(s, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for s, handler in self._previous.items():
            signal.signal(s, handler)
        self._previous.clear()

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum else ""

    def _handle(self, signum: int, frame) -> None:
        first = self.signum is None
        if first:
            self.signum = signum
        if not self._deferred:
            raise Interrupted(signum)
        if first and self._on_signal is not None:
            # Never block in a signal handler: stopping kernels waits on their processes.
            t = threading.Thread(target=self._on_signal, name="stop-kernels", daemon=True)
            self._threads.append(t)
            t.start()

    @contextlib.contextmanager
    def deferred(self, on_signal: Callable[[], None] | None = None):
        """Within this block a signal is only recorded (and `on_signal` run once, in a thread)."""
        self._deferred += 1
        previous, self._on_signal = self._on_signal, on_signal
        try:
            if self.signum is not None and on_signal is not None:
                on_signal()
            yield self
        finally:
            self._deferred -= 1
            self._on_signal = previous

    def wait(self, timeout: float = 90) -> None:
        """Wait for the work a signal started (stopping kernels) to finish."""
        for t in self._threads:
            t.join(timeout)

    def check(self) -> None:
        """Raise Interrupted if a signal arrived (during a deferred block)."""
        if self.signum is not None:
            raise Interrupted(self.signum)

    @property
    def stopping(self) -> bool:
        return self.signum is not None
