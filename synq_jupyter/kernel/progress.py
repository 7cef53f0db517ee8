"""A one-line progress display that disappears when the work is done."""

from __future__ import annotations

from types import TracebackType

from IPython.display import display

CLEARED = {"text/html": "", "text/plain": ""}
"""What is left once the work is done: nothing, in HTML or as text (an ``HTML`` object's
text would be ``<IPython.core.display.HTML object>``)."""


class ProgressLine:
    """Shows ``message (NN%)`` under the cell while work runs, then clears itself."""

    def __init__(self) -> None:
        self._handle = display(CLEARED, raw=True, display_id=True)

    def update(self, fraction: float, message: str) -> None:
        if self._handle is not None:
            percent = round(100 * fraction)
            html = (
                f"<progress value='{percent}' max='100' style='width:160px'></progress> "
                f"<span style='font-size:12px'>{message}</span>"
            )
            self._handle.update(
                {"text/html": html, "text/plain": f"{message} ({percent}%)"}, raw=True
            )

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            self._handle.update(CLEARED, raw=True)
