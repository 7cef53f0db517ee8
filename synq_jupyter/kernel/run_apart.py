"""Long local runs in a helper process of the kernel, so that Interrupt stops them.

Qiskit Aer holds the interpreter lock for the whole of a simulation: while it runs, the
kernel cannot take an Interrupt, update a progress bar or answer a widget. A 23-qubit
circuit of a few hundred gates kept the kernel deaf for 30 seconds. A run that is long by
``work`` therefore runs in a helper process (started on the first long run, kept for the
next ones): the kernel waits for it in short steps, shows its progress, and on Interrupt
ends it at once. The helper's counts are the kernel's: the same ``run_local``, seed and
all. Short runs stay in the kernel, where they cost no round trip.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from synq_jupyter.errors import SynqError, picklable

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from qiskit import QuantumCircuit

    from synq_jupyter.quantum import SampleResult
    from synq_jupyter.quantum.targets import SynqTarget
    from synq_jupyter.quantum.transpile import Progress

LONG_WORK = 2**29
"""Amplitude updates (see ``work``) from which a run goes to the helper: a few seconds of
Aer on one core. Starting the helper takes about as long (it imports Qiskit), so shorter
runs would wait longer for it than they save."""
POLL_SECONDS = 0.1
"""How often the kernel looks up from waiting, to take an Interrupt."""


def work(circuit: QuantumCircuit, target: SynqTarget, shots: int) -> int:
    """About how many amplitude updates Aer will make: each operation touches the state's
    ``2**qubits`` amplitudes, once for the run, or once a shot where shots are simulated
    one by one (a noisy target's trajectories, measurements that steer later gates)."""
    from synq_jupyter.quantum.noise import has_noise
    from synq_jupyter.quantum.transpile import control_flow

    per_shot = has_noise(target) or bool(control_flow(circuit))
    return 2**circuit.num_qubits * max(1, circuit.size()) * (shots if per_shot else 1)


class RunApart:
    """The helper process and the kernel's end of its pipe."""

    def __init__(self) -> None:
        self._process: BaseProcess | None = None
        self._pipe: Connection | None = None

    def run(
        self, circuit: QuantumCircuit, progress: Progress | None = None, **options: Any
    ) -> SampleResult:
        """``run_local(circuit, **options)`` in the helper.

        Raises:
            KeyboardInterrupt: The user interrupted the kernel; the helper is ended (the
                next long run starts a new one).
            SynqError: The helper died (the system ran out of memory, most likely).
        """
        pipe = self._connect()
        try:
            pipe.send((circuit, options))
            while True:
                if not pipe.poll(POLL_SECONDS):
                    continue
                kind, *rest = pipe.recv()
                if kind == "progress" and progress is not None:
                    progress(*rest)
                elif kind == "result":
                    result: SampleResult = rest[0]
                    return result
                elif kind == "error":
                    raise rest[0]
        except (EOFError, ConnectionError):
            code = None
            if self._process is not None:
                self._process.join(timeout=5)
                code = self._process.exitcode
            self.stop()
            raise SynqError(
                f"the helper process running the simulation ended (exit code {code}); the "
                "system may have run out of memory for this circuit"
            ) from None
        except KeyboardInterrupt:
            self.stop()
            raise

    def stop(self) -> None:
        """Ends the helper, if there is one."""
        process, pipe, self._process, self._pipe = self._process, self._pipe, None, None
        if pipe is not None:
            pipe.close()
        if process is not None:
            process.kill()
            process.join()

    def _connect(self) -> Connection:
        if self._pipe is None or self._process is None or not self._process.is_alive():
            self.stop()
            context = multiprocessing.get_context("spawn")
            self._pipe, theirs = context.Pipe()
            self._process = context.Process(
                target=_serve, args=(theirs,), name="synq-run-apart", daemon=True
            )
            self._process.start()
            theirs.close()
        return self._pipe


def _serve(pipe: Connection) -> None:
    """The helper: runs what the kernel sends until the kernel closes the pipe."""
    from synq_jupyter.quantum import run_local

    _die_with_the_kernel()

    def progress(fraction: float, message: str) -> None:
        pipe.send(("progress", fraction, message))

    while True:
        try:
            circuit, options = pipe.recv()
        except EOFError:
            return
        try:
            pipe.send(("result", run_local(circuit, progress=progress, **options)))
        except Exception as exc:
            pipe.send(("error", picklable(exc)))


def _die_with_the_kernel() -> None:
    """Has Linux end the helper when the kernel dies (a restart is a kill). Watching for it
    from a thread would not do: while Aer runs, no thread of the helper runs either."""
    if sys.platform != "linux":
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    kernel = multiprocessing.parent_process()
    if kernel is not None and os.getppid() != kernel.pid:  # it died before that took hold
        os._exit(1)


def _fits(circuit: QuantumCircuit, target: SynqTarget) -> bool:
    from synq_jupyter.quantum.transpile import check_fits

    try:
        check_fits(circuit, target)
    except SynqError:
        return False
    return True


_runner = RunApart()


def run_interruptibly(
    circuit: QuantumCircuit,
    *,
    target: str | SynqTarget = "aer_simulator",
    shots: int = 1024,
    progress: Progress | None = None,
    **options: Any,
) -> SampleResult:
    """``run_local``, in the helper process when the run is long (``LONG_WORK``)."""
    from synq_jupyter.quantum import get_target, run_local
    from synq_jupyter.quantum.local_sampling import MAX_SHOTS
    from synq_jupyter.quantum.transpile import whole

    spec = get_target(target) if isinstance(target, str) else target
    checked = whole(shots, 1, MAX_SHOTS)
    # A run that run_local refuses is refused in the kernel: a quick error needs no helper
    # (a circuit too wide for the simulator would otherwise start one to be told so).
    if checked is None or work(circuit, spec, checked) < LONG_WORK or not _fits(circuit, spec):
        return run_local(circuit, target=target, shots=shots, progress=progress, **options)
    # The target by name when named: a device's Qiskit target is large to send.
    return _runner.run(circuit, progress, target=target, shots=checked, **options)
