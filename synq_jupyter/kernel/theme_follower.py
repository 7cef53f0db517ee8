"""Plots drawn before a theme switch follow it: the job widgets' histograms and live lines.

A plot takes the template of the JupyterLab theme when it is drawn (``plot_template``).
Widgets can be drawn again from the kernel, so they are told the theme's template: one
daemon thread reads the theme setting every ``INTERVAL`` seconds once a job widget has been
made, and calls ``retheme(template)`` on each widget still open, which redraws only what is
in another template (a widget drawn while the theme changed catches up at the next read).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import Protocol

from synq_jupyter.kernel.lab_settings import plot_template_now

log = logging.getLogger(__name__)

INTERVAL = 1.0
"""Seconds between two reads of the theme setting (a small file)."""


class Rethemable(Protocol):
    def retheme(self, template: str) -> None: ...


class ThemeFollower:
    """Tells the plots it follows the template the theme asks for.

    Args:
        read: The template the theme asks for now (``None``: unknown this time).
    """

    def __init__(self, read: Callable[[], str | None] = plot_template_now) -> None:
        self._read = read
        self._plots: weakref.WeakSet[Rethemable] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._failed: weakref.WeakSet[Rethemable] = weakref.WeakSet()  # said once each

    def follow(self, plot: Rethemable) -> None:
        """Tells ``plot`` of every theme change from now on, while it is alive."""
        with self._lock:
            self._plots.add(plot)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="synq-theme", daemon=True)
                self._thread.start()

    def check(self) -> None:
        """Reads the theme once and tells every plot its template."""
        template = self._read()
        if template is None:
            return
        with self._lock:
            plots = list(self._plots)
        for plot in plots:
            try:
                plot.retheme(template)
            except Exception:  # one plot's failure must not keep the others in the old theme
                if plot not in self._failed:
                    self._failed.add(plot)
                    log.exception("SynQ could not redraw a plot in %s", template)

    def _run(self) -> None:
        try:
            while True:
                time.sleep(INTERVAL)
                with self._lock:
                    if not self._plots:  # every widget is closed: stop until the next
                        return
                try:
                    self.check()
                except Exception:
                    log.exception("SynQ could not read the JupyterLab theme")
        finally:
            with self._lock:
                self._thread = None


_follower: ThemeFollower | None = None
_follower_lock = threading.Lock()


def theme_follower() -> ThemeFollower:
    """The kernel's one follower."""
    global _follower
    with _follower_lock:
        if _follower is None:
            _follower = ThemeFollower()
        return _follower
