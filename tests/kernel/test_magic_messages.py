"""What the magics and ``submit`` tell a user, in an IPython shell against a real server."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

import synq_jupyter
from synq_jupyter.errors import SynqInputError
from synq_jupyter.kernel.widgets.job_widget import JobWidget

BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"
AT_LEAST_1 = "Input should be greater than or equal to 1"


@pytest.fixture
def shell(ipython, server, tmp_path, monkeypatch):
    """The test IPython shell with SynQ loaded, talking to ``server``."""
    monkeypatch.setenv("SYNQ_API_URL", f"{server.url}synq/api/")
    monkeypatch.setenv("SYNQ_API_TOKEN", server.token)
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path))
    return ipython


def shown(run: Any) -> list[dict[str, Any]]:
    """The MIME bundles ``run()`` displayed."""
    with capture_output() as captured:
        run()
    return [output.data for output in captured.outputs]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("--shots -5", f"shots: {AT_LEAST_1}"),
        ("--shots 0", f"shots: {AT_LEAST_1}"),
        ("-O 7", "optimization level must be 0, 1, 2 or 3, not 7"),  # as a local run says
        ("--seed -1", "seed: Input should be greater than or equal to 0"),
    ],
)
def test_a_refused_submit_cell_names_the_field_and_why(shell, options, message):
    with pytest.raises(UsageError) as refused:
        shell.run_cell_magic("synq", f"--submit --target aer_simulator {options}", BELL)
    assert str(refused.value) == f"SynQ: {message}"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: synq_jupyter.submit(BELL, shots=-1), f"shots: {AT_LEAST_1}"),
        (lambda: synq_jupyter.submit(BELL, target=None), "target: Input should be a valid string"),
        (
            lambda: synq_jupyter.submit_batch([]),
            "sources: List should have at least 1 item after validation, not 0",
        ),
    ],
)
def test_a_refused_python_submit_names_the_field_and_why(shell, call, message):
    with pytest.raises(SynqInputError) as refused:
        call()
    assert str(refused.value) == message


def test_a_refused_python_submit_shows_as_one_line_not_a_traceback(shell):
    with capture_output() as captured:
        shell.run_cell(f"import synq_jupyter\nsynq_jupyter.submit({BELL!r}, shots=-1)")
        shell.run_cell(f"synq_jupyter.submit({BELL!r}, target='aer_simulatr')")
    lines = captured.stdout.splitlines() + captured.stderr.splitlines()
    assert lines[0] == f"SynqInputError: shots: {AT_LEAST_1}"
    assert lines[1].startswith("SynqInputError: target: unknown target 'aer_simulatr'; known")
    assert len(lines) == 2


@pytest.mark.parametrize("count", ["-1", "0", "201", "abc", "1.5"])
def test_a_job_count_out_of_range_or_not_a_number_says_the_range(ipython, count):
    """-1 said "limit: a whole number, written in the digits 0-9", 0 "limit: Input should
    be greater than or equal to 1": both are refused here, in the same words."""
    with pytest.raises(UsageError) as refused:
        ipython.run_line_magic("synq", f"jobs {count}")
    assert str(refused.value) == f"SynQ: %synq jobs takes a number of jobs (1-200), not {count!r}"


def test_the_largest_job_count_is_asked_of_the_server(shell):
    (table,) = shown(lambda: shell.run_line_magic("synq", "jobs 200"))
    assert "text/plain" in table


def test_submitting_something_that_is_not_a_circuit_says_what_is_accepted(shell):
    with pytest.raises(TypeError) as refused:
        synq_jupyter.submit(42)
    assert str(refused.value) == (
        "circuit must be SynQ or OpenQASM source text (a str) or a qiskit QuantumCircuit, not int"
    )


def test_submit_with_draw_shows_the_circuit_above_the_job_widget(shell):
    outputs = shown(lambda: shell.run_cell_magic("synq", "--submit --draw --name drawn", BELL))
    drawing, widget = outputs
    assert "┤ H ├" in drawing["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in widget
    assert shell.user_ns["drawn"].wait(timeout=60)["status"] == "succeeded"


def test_the_jobs_table_reads_as_plain_text(shell):
    job = synq_jupyter.submit(BELL, shots=10)
    (table,) = shown(lambda: shell.run_line_magic("synq", "jobs 5"))
    header, rule, *rows = table["text/plain"].splitlines()
    assert " ".join(header.split()) == (
        "id kind status target shots created (local time) attempts progress"
    )
    assert set(rule) == {"-", " "}
    assert rows[0].split()[:2] == [job.id, "sample"]
    assert job.id in table["text/html"]


def test_the_jobs_table_shows_progress_only_while_a_job_runs():
    from synq_jupyter.kernel.views import jobs_bundle

    job = {"id": "j", "kind": "vqe", "target": "aer_simulator", "shots": None}
    job |= {"created_at": "2026-11-29T06:00:00", "attempts": 1}
    running = jobs_bundle([{**job, "status": "running", "progress": 0.25}])["text/plain"]
    failed = jobs_bundle([{**job, "status": "failed", "progress": 0.1}])["text/plain"]
    assert running.splitlines()[2].split()[-1] == "25%"
    assert "%" not in failed.splitlines()[2]


def test_the_jobs_table_shows_the_server_s_utc_times_in_the_kernel_s_time_zone(monkeypatch):
    from synq_jupyter.kernel.views import jobs_bundle

    job = {"id": "j", "kind": "sample", "status": "queued", "target": "aer_simulator"}
    job |= {"shots": 10, "attempts": 0}
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        winter = jobs_bundle([{**job, "created_at": "2026-11-29T09:54:30.123456Z"}])
        summer = jobs_bundle([{**job, "created_at": "2026-06-29T09:54:30+00:00"}])
        naive = jobs_bundle([{**job, "created_at": "2026-11-29T09:54:30"}])  # the server's: UTC
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert "2026-11-29 10:54:30 CET" in winter["text/plain"].splitlines()[2]
    assert "2026-06-29 11:54:30 CEST" in summer["text/plain"].splitlines()[2]
    assert "2026-11-29 10:54:30 CET" in naive["text/plain"].splitlines()[2]
    assert "2026-11-29 10:54:30 CET" in winter["text/html"]


def test_a_line_magic_it_does_not_know_is_a_synq_usage_message(ipython):
    with pytest.raises(UsageError) as refused:
        ipython.run_line_magic("synq", "job")
    assert str(refused.value) == (
        "SynQ: usage: %synq targets | %synq target NAME | %synq jobs [N] | %synq attach JOB_ID"
    )


@pytest.mark.parametrize("option", ["--help", "-h"])
def test_line_magic_help_lists_each_subcommand_on_a_line(ipython, option):
    with capture_output() as captured:
        ipython.run_line_magic("synq", option)
    starts = [line.split()[:2] for line in captured.stdout.splitlines() if "  %synq " in line]
    assert starts == [
        ["%synq", "targets"],
        ["%synq", "target"],
        ["%synq", "jobs"],
        ["%synq", "attach"],
    ]
    # What %synq? shows is the same text.
    assert "%synq target NAME " in ipython.find_line_magic("synq").__doc__


def test_the_target_catalogue_and_a_target_read_as_plain_text(shell):
    (catalogue,) = shown(lambda: shell.run_line_magic("synq", "targets"))
    header, _, *rows = catalogue["text/plain"].splitlines()
    assert header.split()[:3] == ["name", "provider", "qubits"]
    assert rows[0].split()[:3] == ["aer_simulator", "aer", "30"]
    assert "aer_simulator" in catalogue["text/html"]
    (torino,) = shown(lambda: shell.run_line_magic("synq", "target ibm_torino"))
    assert torino["text/plain"].splitlines()[0] == "ibm_torino"
    assert "  num_qubits: 133" in torino["text/plain"].splitlines()
    assert "  connectivity: 150 coupled pairs" in torino["text/plain"].splitlines()
    assert len(torino["text/plain"]) < 2000  # not every qubit's drawing position
    (ionq,) = shown(lambda: shell.run_line_magic("synq", "target ionq_aria_1"))
    assert "  connectivity: all to all" in ionq["text/plain"].splitlines()


def test_attach_takes_the_short_id_the_widget_shows(shell, monkeypatch):
    job = synq_jupyter.submit(BELL, shots=10)
    short = job.id[:12]
    attached: list[JobWidget] = []
    monkeypatch.setattr("synq_jupyter.kernel.magics.display", attached.append)
    shell.run_line_magic("synq", f"attach {short}")
    (widget,) = attached
    assert widget.handle.id == job.id
    assert f"<code>{short}</code>" in widget.header.value


def test_attach_takes_the_id_in_upper_case_or_as_a_dashed_uuid(shell):
    job = synq_jupyter.submit(BELL, shots=10)
    dashed = str(uuid.UUID(job.id))
    assert synq_jupyter.attach(job.id.upper()).id == job.id
    assert synq_jupyter.attach(dashed.upper()).id == job.id
    assert synq_jupyter.attach(job).id == job.id  # a handle, too


def test_attach_of_an_unknown_id_says_there_is_no_such_job(shell):
    with pytest.raises(UsageError) as refused:
        shell.run_line_magic("synq", "attach 000000000000")
    assert str(refused.value) == "SynQ: no job 000000000000"


def test_attach_refuses_an_id_that_is_not_hex_before_asking_the_server(shell):
    with pytest.raises(UsageError) as refused:
        shell.run_line_magic("synq", "attach ../health?" + "a" * 40)
    assert str(refused.value) == (
        "SynQ: '../health?aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' is not a job id: an id is hex "
        "digits (0-9, a-f), as the job widget shows it"
    )


def test_an_unclosed_quote_in_the_options_is_a_usage_message(shell):
    with pytest.raises(UsageError) as refused:
        shell.run_line_magic("synq", "jobs '")
    assert str(refused.value) == "SynQ: no closing quotation in the magic's options: jobs '"
    with pytest.raises(UsageError, match="no closing quotation"):
        shell.run_cell_magic("synq", "--submit --target 'aer_simulator", BELL)


def test_a_python_keyword_is_not_a_name_for_the_job(shell):
    with pytest.raises(UsageError) as refused:
        shell.run_cell_magic("synq", "--submit --name class", BELL)
    assert str(refused.value) == "SynQ: --name needs a Python identifier, not 'class'"


def test_the_caret_lines_up_under_a_line_indented_with_tabs():
    from synq_jupyter.kernel.magics import _short_message

    cell = "qubit q[2]\n\tquantum\tcnot q[0], q[1]\n"
    error = SynqInputError("unknown gate 'cnot'", line=2, column=10)
    *_, source, caret = _short_message(error, cell).splitlines()
    assert source == "    \tquantum\tcnot q[0], q[1]"
    assert caret == "    \t       \t^"
    assert source.expandtabs()[caret.expandtabs().index("^") :].startswith("cnot")
