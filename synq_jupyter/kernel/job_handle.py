"""A handle on a submitted job: status, result, cancel, wait."""

from __future__ import annotations

import math
import numbers
import string
import time
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqError, SynqInputError, SynqTypeError
from synq_jupyter.kernel.client import ApiError, SynqClient
from synq_jupyter.kernel.request_values import exportable, observables_json, plain
from synq_jupyter.quantum.circuit_loading import require_bound

if TYPE_CHECKING:
    from qiskit import QuantumCircuit

    from synq_jupyter.kernel.widgets.job_widget import JobWidget

TERMINAL = ("succeeded", "failed", "cancelled")
JOB_ID_LENGTH = 32
"""A job id is a UUID's 32 hex digits; the job widget shows the first 12."""
MIN_ANSWER_S = 0.5
"""Seconds a status request may take, however close the deadline."""
MAX_JOBS_PAGE = 200
"""The most jobs the server lists in one page (``GET jobs?limit=``)."""


class JobFailed(SynqError):
    """The job ended failed or cancelled, so it has no result."""


class JobTimeout(TimeoutError, SynqError):
    """The job did not end within the time given (it goes on running)."""


class JobHandle:
    """A job on the SynQ server, by id. Survives kernel restarts: ``attach(id)``.

    Args:
        job_id: The job's id.
        client: The REST client (one from the environment when omitted).
    """

    def __init__(self, job_id: str, client: SynqClient | None = None) -> None:
        # Checked here too: the id goes into every request's path (``attach`` also finds
        # a job by the start of its id and checks that it exists).
        self.id = job_id_text(job_id, "job_id")
        if not self.id:
            raise SynqInputError("a job handle needs a job id", field="job_id")
        self.client = client or SynqClient()

    def __repr__(self) -> str:
        return f"<JobHandle {self.id}>"

    def info(self, timeout: float | None = None) -> dict[str, Any]:
        """The job as the server reports it (status, progress, timestamps, attempts ...),
        waiting at most ``timeout`` seconds for the answer (the client's default when
        ``None``)."""
        return dict(self.client.request("GET", f"jobs/{self.id}", timeout=timeout))

    def status(self) -> str:
        return str(self.info()["status"])

    def cancel(self) -> dict[str, Any]:
        """Cancels the job: a queued one never starts, a running one is stopped."""
        return dict(self.client.request("POST", f"jobs/{self.id}/cancel"))

    def retry(self) -> dict[str, Any]:
        return dict(self.client.request("POST", f"jobs/{self.id}/retry"))

    def result(self, timeout: float | None = None) -> dict[str, Any]:
        """Waits for the job (up to ``timeout`` seconds; ``None`` or ``inf``: as long as it
        takes) and returns its result.

        Raises:
            JobFailed: The job failed or was cancelled.
            JobTimeout: It did not finish in time (a ``TimeoutError``).
            SynqInputError: ``timeout`` is not a number of seconds, 0 or more.
        """
        info = self._wait(timeout)
        if info["status"] != "succeeded":
            raise JobFailed(f"job {self.id} {info['status']}: {info.get('error') or 'no result'}")
        return dict(self.client.request("GET", f"jobs/{self.id}/result"))

    def wait(self, timeout: float | None = None, progress: bool = True) -> dict[str, Any]:
        """Blocks until the job ends; in a notebook shows its live widget meanwhile. The
        ``timeout`` counts from the call: building the widget is part of it."""
        deadline = _deadline(checked_timeout(timeout))
        if progress and in_notebook():
            from IPython.display import display

            from synq_jupyter.kernel.widgets.job_widget import JobWidget

            widget = JobWidget(self, timeout=_left(deadline, self.client.timeout))
            display(widget)
            widget.kernel_waiting(True)
            try:
                return self._wait_until(deadline)
            finally:
                widget.kernel_waiting(False)
        return self._wait_until(deadline)

    def widget(self) -> JobWidget:
        """A live widget: status, progress bar, elapsed time, Cancel, and the histogram."""
        from synq_jupyter.kernel.widgets.job_widget import JobWidget

        return JobWidget(self)

    def _wait(self, timeout: float | None) -> dict[str, Any]:
        return self._wait_until(_deadline(checked_timeout(timeout)))

    def _wait_until(self, deadline: float | None) -> dict[str, Any]:
        delay = 0.1
        while True:
            # A server that does not answer is given no longer than the caller's deadline.
            info = self.info(_left(deadline, self.client.timeout))
            if info["status"] in TERMINAL:
                return info
            pause = delay
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise JobTimeout(f"job {self.id} is still {info['status']}")
                pause = min(pause, left)  # a last look at the deadline, not a second after
            time.sleep(pause)
            delay = min(delay * 1.5, 1.0)


def _deadline(timeout: float | None) -> float | None:
    return None if timeout is None else time.monotonic() + timeout


def _left(deadline: float | None, longest: float) -> float | None:
    """Seconds a request may wait for its answer before ``deadline`` (at least
    ``MIN_ANSWER_S``, at most ``longest``); ``None`` without a deadline."""
    if deadline is None:
        return None
    return min(longest, max(MIN_ANSWER_S, deadline - time.monotonic()))


def checked_timeout(timeout: object) -> float | None:
    """``timeout`` as seconds (numpy numbers too); ``None`` and ``inf`` wait for ever.

    Raises:
        SynqTypeError: It is not a number.
        SynqInputError: It is NaN, which no clock ever passes (the wait would never end,
            as if ``None`` were meant), or negative.
    """
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real):
        raise SynqTypeError(
            f"timeout is a number of seconds, not {type(timeout).__name__}", field="timeout"
        )
    seconds = float(timeout)
    if math.isnan(seconds) or seconds < 0:
        raise SynqInputError(
            f"{timeout} is not a number of seconds, 0 or more (None waits for ever)",
            field="timeout",
        )
    return seconds


def submit(
    circuit: QuantumCircuit | str,
    *,
    target: str = "aer_simulator",
    shots: int | None = None,
    seed: int | None = None,
    kind: str = "sample",
    observables: list[Any] | None = None,
    optimization_level: int = 2,
    tags: list[str] | None = None,
    priority: int = 0,
    format: str | None = None,
    client: SynqClient | None = None,
) -> JobHandle:
    """Submits a circuit as a durable job on the SynQ server and returns at once.

    Args:
        circuit: A ``QuantumCircuit`` or SynQ / OpenQASM source text.
        target: Catalogue target.
        shots: Samples (sample jobs; 1024 by default).
        seed: Seed for transpiler and simulator; the server draws one when omitted.
        kind: ``"sample"`` or ``"estimate"``.
        observables: Pauli labels or ``{"paulis": [...], "coeffs": [...]}`` (estimate).
        optimization_level: Transpiler level for hardware targets.
        tags: Labels to filter jobs by.
        priority: Higher runs first (-10 to 10).
        format: ``synq``, ``qasm2`` or ``qasm3`` when ``circuit`` is text; detected otherwise.
        client: REST client; one from the environment by default.
    """
    from synq_jupyter.quantum.transpile import check_level  # qiskit: imported when used

    client = client or SynqClient()
    # Checked here, as a local run checks it, so the refusal reads the same either way.
    level = check_level(plain(optimization_level, "optimization_level"))
    if not isinstance(circuit, str):
        circuit = _bound(circuit)
    body: dict[str, Any] = {
        "kind": kind,
        **circuit_source(circuit, format),
        "target": target,
        **_settings(shots=shots, seed=seed, tags=tags, priority=priority),
        "optimization_level": level,
    }
    if observables is not None:
        body["observables"] = plain(observables_json(observables), "observables")
    job = client.request("POST", "jobs", json=body)
    return JobHandle(job["id"], client)


def circuit_source(circuit: QuantumCircuit | str, format: str | None = None) -> dict[str, Any]:
    """The ``source`` and ``format`` fields of a request: text as given, a circuit as
    OpenQASM 3."""
    if isinstance(circuit, str):
        return {"source": circuit, "format": format}
    from qiskit import qasm3

    return {"source": qasm3.dumps(exportable(_quantum_circuit(circuit))), "format": "qasm3"}


def _quantum_circuit(circuit: object, name: str = "circuit") -> QuantumCircuit:
    """``circuit`` itself if it is a ``QuantumCircuit``.

    Raises:
        SynqTypeError: It is neither source text nor a ``QuantumCircuit``.
    """
    from qiskit import QuantumCircuit

    if isinstance(circuit, QuantumCircuit):
        return circuit
    raise SynqTypeError(
        f"{name} must be SynQ or OpenQASM source text (a str) or a qiskit QuantumCircuit, "
        f"not {type(circuit).__name__}",
        field=name,
    )


def _bound(given: object, name: str = "circuit") -> QuantumCircuit:
    """``given`` itself if it is a ``QuantumCircuit`` whose every parameter has a value.

    Checked before the export to OpenQASM 3, which renames parameters named like its gates
    and constants (``t``, ``x``, ``pi`` become ``t_0`` ...): the server's refusal would name
    parameters the user never wrote.

    Raises:
        SynqTypeError: It is not a ``QuantumCircuit``.
        SynqInputError: Some parameters have no value; the first five are named.
    """
    circuit = _quantum_circuit(given, name)
    require_bound(circuit, name, name)
    return circuit


def submit_batch(
    circuits: list[QuantumCircuit | str],
    *,
    target: str = "aer_simulator",
    shots: int = 1024,
    seed: int | None = None,
    tags: list[str] | None = None,
    priority: int = 0,
    client: SynqClient | None = None,
) -> JobHandle:
    """Submits up to 10,000 circuits as ONE batched sampler job.

    Its result holds ``counts``: one dict per circuit, in order.
    """
    if isinstance(circuits, str) or not isinstance(circuits, list | tuple):
        raise SynqTypeError(
            "circuits must be a list of circuits (source texts or QuantumCircuits), "
            f"not {type(circuits).__name__}",
            field="circuits",
        )
    client = client or SynqClient()
    sources = [
        c if isinstance(c, str) else _batch_source(_bound(c, f"circuits[{i}]"))
        for i, c in enumerate(circuits)
    ]
    settings = _settings(shots=shots, seed=seed, tags=tags, priority=priority)
    body = {"sources": sources, "target": target, **settings}
    job = client.request("POST", "jobs/batch", json=body)
    return JobHandle(job["id"], client)


def _settings(**values: Any) -> dict[str, Any]:
    """Shots, seed, tags and priority as JSON: numpy numbers are fine, a tag set is sorted."""
    values["tags"] = values["tags"] or []
    return {name: plain(value, name) for name, value in values.items()}


def _batch_source(circuit: QuantumCircuit) -> str:
    """OpenQASM 2 where it can express the circuit (its parser is far faster), else 3."""
    from qiskit import qasm2, qasm3

    circuit = exportable(circuit)
    try:
        return str(qasm2.dumps(circuit))
    except qasm2.QASM2Error:
        return str(qasm3.dumps(circuit))


def attach(job_id: str | JobHandle, client: SynqClient | None = None) -> JobHandle:
    """A handle on an existing job, e.g. after a kernel restart.

    Args:
        job_id: The job's id, or its start as the job widget shows it (12 characters):
            that is looked up among my jobs, newest first.
        client: REST client; one from the environment by default.

    Raises:
        SynqInputError: The id is not hex digits, no job has it, or more than one starts
            with it.
    """
    if isinstance(job_id, JobHandle):
        job_id = job_id.id
    job_id = job_id_text(job_id, "job_id")
    if not job_id:
        raise SynqInputError("attach needs a job id", field="job_id")
    client = client or SynqClient()
    full_id = job_id if len(job_id) >= JOB_ID_LENGTH else _full_id(job_id, client)
    handle = JobHandle(full_id, client)
    try:
        handle.info()  # fail now if the id is unknown
    except ApiError as exc:
        if exc.status == 404:
            raise SynqInputError(f"no job {_quoted(job_id)}", field="job_id") from None
        raise
    return handle


def job_id_text(job_id: object, field: str) -> str:
    """``job_id`` as the server writes ids: lower case, without a UUID's dashes.

    Raises:
        SynqTypeError: It is not text.
        SynqInputError: It holds anything but hex digits. The id goes into the request's
            path, where ``../health?`` would reach another route than the job's.
    """
    if not isinstance(job_id, str):
        raise SynqTypeError(
            f"a job id is text (as the job widget shows it), not {type(job_id).__name__}",
            field=field,
        )
    # As it may be written: upper case, or a UUID with its dashes.
    normal = job_id.strip().lower().replace("-", "")
    if not set(normal) <= set(string.hexdigits):
        raise SynqInputError(
            f"{_quoted(job_id.strip())!r} is not a job id: an id is hex digits (0-9, a-f), "
            "as the job widget shows it",
            field=field,
        )
    return normal


def _full_id(prefix: str, client: SynqClient) -> str:
    """The id of my one job that starts with ``prefix``.

    Pages through my jobs newest first and stops at the first page with a match, so a
    recent job is found in one request.
    """
    wanted = prefix.lower()
    cursor = None
    while True:
        page = client.request("GET", "jobs", limit=MAX_JOBS_PAGE, cursor=cursor)
        matches = [job["id"] for job in page["jobs"] if job["id"].startswith(wanted)]
        if len(matches) == 1:
            return str(matches[0])
        if matches:
            shown = ", ".join(matches[:3]) + (", …" if len(matches) > 3 else "")
            raise SynqInputError(
                f"job id {prefix} is ambiguous: {len(matches)} jobs start with it "
                f"({shown}); give more of it",
                field="job_id",
            )
        cursor = page.get("next_cursor")
        if not cursor:
            raise SynqInputError(f"no job {_quoted(prefix)}", field="job_id")


def _quoted(job_id: str) -> str:
    return job_id if len(job_id) <= 40 else job_id[:40] + "…"


def in_notebook() -> bool:
    """Whether this runs in a notebook kernel (where widgets display)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell"
