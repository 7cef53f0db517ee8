"""What a job reports from a worker process that has just started."""

from __future__ import annotations

import json
import subprocess
import sys

FIRST_REPORTS = """
import json
from synq_jupyter_server.jobs.runner import run_job

reports = []
payload = {"source": "qubit q[1]\\nquantum x q[0]\\n", "target": "aer_simulator", "shots": 10,
           "seed": 1}
for _ in range(2):  # a fresh worker, then the same worker again
    run_job("sample", payload, lambda name, data: reports.append(data[1]))
    reports.append("--")
print(json.dumps(reports))
"""


def test_a_fresh_worker_says_it_is_loading_qiskit_and_a_warm_one_does_not():
    """Seconds pass in a new worker (the first job, the one after a cancel) before the
    job itself can report anything: the bar must not sit at 0% with no word."""
    out = subprocess.run(
        [sys.executable, "-c", FIRST_REPORTS], capture_output=True, text=True, check=True
    ).stdout
    reports = json.loads(out.splitlines()[-1])
    first, second = " ".join(reports).split("--")[:2]
    assert reports[0] == "starting a worker: loading Qiskit"
    assert "loading Qiskit" not in second
    assert "sampling 10 shots on Aer" in first
    assert "sampling 10 shots on Aer" in second
