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


def test_an_interrupted_cell_ends_in_one_line_and_fails_as_an_interrupt(
    ipython, tmp_path, monkeypatch
) -> None:
    """Not the 12 frames into ``RunApart.run`` and multiprocessing that it showed; still a
    ``KeyboardInterrupt``, so the cell fails as an interrupted cell does."""
    from IPython.utils.capture import capture_output
    from qiskit import qasm2

    from synq_jupyter.kernel import magics

    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path))
    interrupt = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))

    class Interrupting(magics.ProgressLine):
        def update(self, fraction: float, message: str) -> None:
            super().update(fraction, message)
            if "on Aer" in message and not interrupt.is_alive():
                interrupt.start()

    monkeypatch.setattr(magics, "ProgressLine", Interrupting)
    try:
        with capture_output() as captured:
            result = ipython.run_cell(f"%%synq --shots 10 --seed 1\n{qasm2.dumps(endless())}")
    finally:
        interrupt.cancel()
        run_apart._runner.stop()
    assert interrupt.finished.is_set()
    assert isinstance(result.error_in_exec, KeyboardInterrupt)
    assert not result.success
    lines = (captured.stdout + captured.stderr).splitlines()
    assert [line for line in lines if line.strip()] == ["SynQ: interrupted; the run was stopped"]


def test_an_interrupted_cell_stops_the_cells_queued_after_it(tmp_path) -> None:
    """In a kernel, as in "Run All": the interrupted cell's reply is an error, and the cell
    queued after it is aborted, not run."""
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(tmp_path)}
    manager, client = start_new_kernel(kernel_name="python3", env=env)
    try:
        client.execute_interactive(
            "%load_ext synq_jupyter\n"
            "import time\n"
            "from synq_jupyter.kernel import run_apart\n"
            "def forever(*args, **options):\n"
            "    print('running', flush=True)\n"
            "    time.sleep(600)\n"
            "run_apart.run_interruptibly = forever\n",
            timeout=60,
        )
        cell = client.execute(f"%%synq --shots 10\n{BELL}")
        after = client.execute("print('after')")
        while True:
            message = client.get_iopub_msg(timeout=60)
            if message["msg_type"] == "stream" and "running" in message["content"]["text"]:
                break
        manager.interrupt_kernel()
        replies = {}
        while len(replies) < 2:
            reply = client.get_shell_msg(timeout=60)
            replies[reply["parent_header"]["msg_id"]] = reply["content"]
        errors = []
        while True:
            message = client.get_iopub_msg(timeout=10)
            if message["msg_type"] == "error":
                errors.append(message["content"])
            state = message["content"].get("execution_state")
            if state == "idle" and message["parent_header"].get("msg_id") == after:
                break
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert replies[cell]["status"] == "error"
    assert replies[cell]["ename"] == "RunInterrupted"
    assert replies[after]["status"] == "aborted"
    assert [error["traceback"] for error in errors] == [["SynQ: interrupted; the run was stopped"]]
