"""Long local runs go to a helper process: Interrupt stops them, and they count as the
kernel would."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator

import pytest
from qiskit import QuantumCircuit

from synq_jupyter.errors import SynqError, SynqInputError, TargetError
from synq_jupyter.kernel import run_apart
from synq_jupyter.kernel.run_apart import RunApart, run_interruptibly, work
from synq_jupyter.quantum import get_target, load_circuit, run_local

BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"


def endless() -> QuantumCircuit:
    """22 qubits, 3,000 layers of rotations and CNOTs: Aer takes many minutes (a third of a
    second a layer on this machine), in 64 MB."""
    circuit = QuantumCircuit(22)
    for layer in range(3000):
        for qubit in range(22):
            circuit.rx(0.1 * (layer + qubit), qubit)
        for qubit in range(layer % 2, 21, 2):
            circuit.cx(qubit, qubit + 1)
    circuit.measure_all()
    return circuit


@pytest.fixture(scope="module")
def helper() -> Iterator[RunApart]:
    runner = RunApart()
    yield runner
    runner.stop()


def test_a_run_in_the_helper_counts_as_the_kernel_would(helper: RunApart) -> None:
    circuit = load_circuit(BELL)
    seen: list[tuple[float, str]] = []

    apart = helper.run(circuit, lambda *update: seen.append(update), shots=300, seed=7)

    assert apart.counts == run_local(circuit, shots=300, seed=7).counts
    assert seen[-1] == (1.0, "done")


def test_a_refusal_in_the_helper_names_its_field_as_in_the_kernel(helper: RunApart) -> None:
    with pytest.raises(SynqInputError) as refused:
        helper.run(load_circuit(BELL), optimization_level=7)
    assert refused.value.field == "optimization_level"


def test_only_long_runs_go_to_the_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    bell, long = load_circuit(BELL), endless()
    ideal = get_target("aer_simulator")
    assert work(bell, ideal, 1000) < run_apart.LONG_WORK
    assert work(long, ideal, 10) > run_apart.LONG_WORK
    # A device's noise is simulated shot by shot too.
    assert work(bell, get_target("ibm_torino"), 1000) == 1000 * work(bell, ideal, 1000)

    runs: list[str] = []
    monkeypatch.setattr(run_apart._runner, "run", lambda *a, **k: runs.append("apart"))
    run_interruptibly(bell, shots=100)
    assert runs == []
    monkeypatch.setattr(run_apart, "LONG_WORK", 0)
    run_interruptibly(bell, shots=100)
    assert runs == ["apart"]
    # Refused in the kernel, without starting a helper to be told so.
    with pytest.raises(TargetError, match="40 qubits"):
        run_interruptibly(load_circuit("qubit q[40]\nquantum h q[39]\n"), shots=100)
    assert runs == ["apart"]


def test_an_interrupt_ends_a_long_run_and_its_helper_at_once() -> None:
    """The Interrupt comes a second into Aer's simulation, which holds the interpreter lock
    for minutes: in the kernel's own process it could not be taken until the end."""
    runner = RunApart()
    interrupt = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))

    def progress(fraction: float, message: str) -> None:
        if "on Aer" in message:
            interrupt.start()

    try:
        with pytest.raises(KeyboardInterrupt):
            runner.run(endless(), progress, shots=10, seed=1)
    finally:
        interrupt.cancel()
    assert interrupt.finished.is_set()  # it was Aer that was interrupted
    assert runner._process is None  # ended, not left simulating for minutes
    assert run_local(load_circuit(BELL), shots=10).shots == 10  # the kernel goes on


def test_a_helper_that_dies_is_reported_and_replaced() -> None:
    runner, circuit = RunApart(), endless()
    try:
        runner._connect()
        process = runner._process
        assert process is not None
        kill = threading.Timer(1.0, process.kill)

        def progress(fraction: float, message: str) -> None:
            if "on Aer" in message:
                kill.start()

        with pytest.raises(SynqError, match=r"ended \(exit code -9\).*out of memory"):
            runner.run(circuit, progress, shots=10, seed=1)
        assert runner.run(load_circuit(BELL), shots=20, seed=3).shots == 20
    finally:
        runner.stop()


def test_a_long_synq_cell_runs_in_the_helper(ipython, tmp_path, monkeypatch) -> None:
    """The cell magic goes through ``run_interruptibly``: made "long" here by lowering the
    bar, a Bell cell runs in the helper and shows the same counts."""
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path))
    monkeypatch.setattr(run_apart, "LONG_WORK", 0)
    try:
        ipython.run_cell_magic("synq", "--shots 300 --seed 7 --name apart", BELL)
        assert run_apart._runner._process is not None
    finally:
        run_apart._runner.stop()
    counts = ipython.user_ns["apart"].result.counts
    assert counts == run_local(load_circuit(BELL), shots=300, seed=7).counts
