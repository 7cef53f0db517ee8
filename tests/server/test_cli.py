"""The ``jupyter synq`` command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from synq_jupyter_server.db import Database
from synq_jupyter_server.db.migrate import current_revision, head_revision


def synq(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "synq_jupyter_server.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_db_upgrade_migrates_a_fresh_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    result = synq("db", "upgrade", f"--db-url={url}")
    assert result.returncode == 0, result.stderr
    database = Database(url)
    head = head_revision(database)
    assert f"empty -> {head}" in result.stdout
    assert current_revision(database) == head
    database.dispose()


def test_db_upgrade_reports_an_unreachable_server():
    result = synq("db", "upgrade", "--db-url=postgresql://nobody@127.0.0.1:1/none")
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot upgrade")
    assert "Traceback" not in result.stderr


def test_targets_lists_the_catalogue_as_json():
    result = synq("targets", "--json")
    names = {t["name"] for t in json.loads(result.stdout)}
    assert {"ibm_torino", "ionq_forte_1", "rigetti_ankaa_3"} <= names


def test_transpile_file_for_a_target(tmp_path):
    source = tmp_path / "ghz.synq"
    source.write_text("qubit q[3]\nquantum h q[0]\nquantum cx q[0], q[1]\nquantum cx q[1], q[2]\n")
    result = synq("transpile", str(source), "--target", "ibm_torino", "-O", "3", "--seed", "9")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OPENQASM 3.0;")
    assert "cz $" in result.stdout
    assert "ibm_torino: depth=" in result.stderr
    assert "seed=9" in result.stderr


def test_transpile_json_output_has_the_report(tmp_path):
    source = tmp_path / "bell.qasm"
    source.write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\ncx q[0],q[1];\n')
    result = synq("transpile", str(source), "--target", "rigetti_ankaa_3", "--seed", "1", "--json")
    body = json.loads(result.stdout)
    assert body["report"]["two_qubit_count"] >= 1
    assert set(body["report"]["ops"]) <= {"rz", "sx", "x", "iswap"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("transpile", "MISSING.synq", "--target", "ibm_torino"), "cannot read MISSING.synq"),
        (("transpile", "{file}"), "--target is required"),
        (("transpile", "{file}", "--target", "nowhere"), "unknown target 'nowhere'"),
    ],
)
def test_transpile_mistakes_are_one_line_errors(tmp_path, args, message):
    source = tmp_path / "c.synq"
    source.write_text("qubit q[1]\nquantum h q[0]\n")
    result = synq(*(a.format(file=source) for a in args))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_transpile_syntax_error_names_the_line(tmp_path):
    source = tmp_path / "bad.synq"
    source.write_text("qubit q[1]\nquantum hh q[0]\n")
    result = synq("transpile", str(source), "--target", "ibm_torino")
    assert result.returncode == 2
    assert "line 2, column 9" in result.stderr
