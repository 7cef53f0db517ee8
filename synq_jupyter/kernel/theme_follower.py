"""Plots drawn before a theme switch follow it: the job widgets' histograms and live lines.

A plot takes the template of the JupyterLab theme when it is drawn (``plot_template``).
Widgets can be drawn again from the kernel, so those still shown are told when the theme
changes: one daemon thread reads the theme setting every ``INTERVAL`` seconds while a
widget is alive, and calls ``retheme(template)`` on each.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import Protocol

from synq_jupyter.kernel.lab_settings import plot_template

log = logging.getLogger(__name__)

INTERVAL = 1.0
"""Seconds between two reads of the theme setting (a small file)."""


class Rethemable(Protocol):
    def retheme(self, template: str) -> None: ...


class ThemeFollower:
    """Tells the plots it follows when the template the theme asks for changes.

    Args:
        read: The template the theme asks for now.
    """

    def __init__(self, read: Callable[[], str] = plot_template) -> None:
        self._read = read
        self._template: str | None = None
        self._plots: weakref.WeakSet[Rethemable] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def follow(self, plot: Rethemable) -> None:
        """Tells ``plot`` of every theme change from now on, while it is alive."""
        with self._lock:
            if self._template is None:
                self._template = self._read()
            self._plots.add(plot)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="synq-theme", daemon=True)
                self._thread.start()

    def check(self) -> None:
        """Reads the theme once and, when its template changed, redraws every plot."""
        template = self._read()
        with self._lock:
            if template == self._template:
                return
            self._template = template
            plots = list(self._plots)
        for plot in plots:
            try:
                plot.retheme(template)
            except Exception:  # one plot's failure must not keep the others in the old theme
                log.exception("SynQ could not redraw a plot in %s", template)

    def _run(self) -> None:
        while True:
            time.sleep(INTERVAL)
            with self._lock:
                if not self._plots:  # every widget is gone: stop reading until the next
                    self._thread = None
                    return
            self.check()


_follower: ThemeFollower | None = None
_follower_lock = threading.Lock()


def theme_follower() -> ThemeFollower:
    """The kernel's one follower."""
    global _follower
    with _follower_lock:
        if _follower is None:
            _follower = ThemeFollower()
        return _follower
