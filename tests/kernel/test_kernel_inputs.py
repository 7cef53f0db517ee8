"""What users pass from a notebook that JSON cannot carry as is, and servers that do not
answer: each becomes a one-line message naming the problem, not a traceback."""

from __future__ import annotations

import socket

import numpy as np
import pytest
from qiskit.quantum_info import SparsePauliOp

from synq_jupyter.errors import SynqInputError
from synq_jupyter.kernel.client import ServerUnavailable, SynqClient
from synq_jupyter.kernel.job_handle import JobTimeout, attach
from synq_jupyter.kernel.request_values import observables_json, plain


def test_numpy_numbers_and_tag_sets_become_json_values():
    assert plain(np.int64(10), "shots") == 10
    assert type(plain(np.int64(10), "shots")) is int
    assert plain({"b", "a"}, "tags") == ["a", "b"]
    assert plain(np.array([0.5, 1.0]), "coeffs") == [0.5, 1.0]


@pytest.mark.parametrize(
    ("value", "field", "phrase"),
    [
        (float("nan"), "observables[0].coeffs[0]", "not a finite number"),
        (np.float64("inf"), "seed", "not a finite number"),
        (1j, "observables[0].coeffs[1]", "complex values cannot be sent"),
    ],
)
def test_what_json_cannot_carry_is_refused_naming_the_argument(value, field, phrase):
    with pytest.raises(SynqInputError) as refused:
        plain(value, field)
    [line] = refused.value._render_traceback_()
    assert line.startswith(f"SynqInputError: {field}: ")
    assert phrase in line


def test_sparse_pauli_ops_are_sent_as_pauli_sums():
    one = SparsePauliOp(["ZZ", "XI"], [0.5, -1.0])
    assert observables_json(one) == [{"paulis": ["ZZ", "XI"], "coeffs": [0.5, -1.0]}]
    assert observables_json([SparsePauliOp("ZZ"), "XX"]) == [
        {"paulis": ["ZZ"], "coeffs": [1.0]},
        "XX",
    ]
    with pytest.raises(SynqInputError, match="complex") as refused:
        observables_json([SparsePauliOp(["ZZ"], [1j])])
    assert refused.value.field == "observables[0].coeffs[0]"


def test_a_server_that_never_answers_is_a_one_line_error_after_the_timeout():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()  # accepts connections, never answers them
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/synq/api/"
        with pytest.raises(ServerUnavailable) as down:
            SynqClient(url, token="t", timeout=0.5).request("GET", "jobs")
    [line] = down.value._render_traceback_()
    assert line == f"ServerUnavailable: the SynQ server at {url} did not answer within 0.5 s"


def test_a_server_that_is_down_says_so_in_words():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once closed
    with pytest.raises(ServerUnavailable) as down:
        SynqClient(f"http://127.0.0.1:{port}/synq/api/", token="t").request("GET", "jobs")
    assert str(down.value).endswith(
        ": 127.0.0.1 refused the connection (is JupyterLab still running?)"
    )
    assert "HTTPConnectionPool" not in str(down.value)


@pytest.mark.parametrize("job_id", [None, 12345])
def test_attach_refuses_what_is_not_a_job_id_in_one_line(job_id):
    with pytest.raises(TypeError) as refused:
        attach(job_id, client=SynqClient("http://127.0.0.1:9/synq/api/", token="t"))
    assert refused.value._render_traceback_() == [
        f"SynqTypeError: job_id: a job id is text (as the job widget shows it), not "
        f"{type(job_id).__name__}"
    ]


def test_a_job_timeout_is_a_timeout_error_shown_in_one_line():
    error = JobTimeout("job j1 is still queued")
    assert isinstance(error, TimeoutError)
    assert error._render_traceback_() == ["JobTimeout: job j1 is still queued"]


def test_gates_outside_the_standard_library_are_sent_as_their_definitions():
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import Operator, random_unitary

    from synq_jupyter.kernel.request_values import exportable

    circuit = QuantumCircuit(2)
    circuit.unitary(random_unitary(4, seed=3), [0, 1])
    circuit.initialize([0, 1], 0)
    sent = exportable(circuit)
    assert {i.operation.name for i in sent.data} <= {"u", "cx", "reset"}
    without_reset = QuantumCircuit(2)
    without_reset.unitary(random_unitary(4, seed=3), [0, 1])
    assert Operator(exportable(without_reset)).equiv(Operator(without_reset))


def test_wait_in_a_notebook_gives_a_silent_server_no_longer_than_its_timeout(monkeypatch):
    """Building the live widget reads the job: those reads are bounded by ``wait``'s
    timeout too, not by the client's own minute."""
    from synq_jupyter.kernel import job_handle

    monkeypatch.setattr(job_handle, "in_notebook", lambda: True)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()  # accepts connections, never answers them
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/synq/api/"
        handle = job_handle.JobHandle("0" * 32, SynqClient(url, token="t", timeout=60))
        with pytest.raises(ServerUnavailable, match=r"did not answer within 0\.5 s$"):
            handle.wait(timeout=0.5)
