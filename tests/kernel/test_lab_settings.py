"""The magics follow the user's JupyterLab settings for SynQ (*Settings → SynQ*)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from synq_jupyter.kernel import lab_settings
from synq_jupyter.kernel.lab_settings import SETTINGS_FILE, MagicDefaults, magic_defaults

BELL = "qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n"


def write(directory: Path, text: str) -> None:
    path = directory / SETTINGS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_without_a_settings_file_the_schema_defaults_apply(tmp_path):
    assert magic_defaults(tmp_path) == MagicDefaults("aer_simulator", 1024, 2)


def test_settings_are_read_as_json5_with_comments(tmp_path):
    write(
        tmp_path,
        """{
          // written by JupyterLab's settings editor
          "defaultTarget": "ibm_torino",
          "shots": 300,
          "optimizationLevel": 1,
        }""",
    )
    assert magic_defaults(tmp_path) == MagicDefaults("ibm_torino", 300, 1)


@pytest.fixture(autouse=True)
def nothing_reported_yet(monkeypatch):
    monkeypatch.setattr(lab_settings, "_reported", set())


def test_a_bad_value_falls_back_to_its_default_alone(tmp_path):
    write(tmp_path, json.dumps({"defaultTarget": "", "shots": -5, "optimizationLevel": 1}))
    assert magic_defaults(tmp_path) == MagicDefaults("aer_simulator", 1024, 1)
    write(tmp_path, "{not json")
    assert magic_defaults(tmp_path) == MagicDefaults()


@pytest.fixture
def shell(ipython, tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path))
    return ipython


def test_a_cell_without_options_uses_the_settings(shell, tmp_path):
    write(tmp_path, json.dumps({"shots": 300, "optimizationLevel": 0}))
    shell.run_cell_magic("synq", "--seed 7 --name run", BELL)
    result = shell.user_ns["run"].result
    assert result.shots == 300
    assert sum(result.counts.values()) == 300
    # An option on the line still wins.
    shell.run_cell_magic("synq", "--seed 7 --shots 50 --name run", BELL)
    assert sum(shell.user_ns["run"].result.counts.values()) == 50


def test_plots_follow_the_jupyterlab_theme(tmp_path, monkeypatch):
    from synq_jupyter.kernel.histogram import counts_figure
    from synq_jupyter.kernel.lab_settings import THEME_FILE, plot_template

    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path))
    assert plot_template(tmp_path) == "plotly_white"  # no theme chosen: JupyterLab Light
    theme = tmp_path / THEME_FILE
    theme.parent.mkdir(parents=True)
    theme.write_text('{\n  // the theme menu writes this\n  "theme": "JupyterLab Dark"\n}')
    assert plot_template(tmp_path) == "plotly_dark"
    dark = counts_figure({"00": 5, "11": 3}, "Bell")
    assert dark.layout.template.layout.paper_bgcolor == "rgb(17,17,17)"  # plotly_dark's
    theme.write_text('{"theme": "JupyterLab Light"}')
    assert plot_template(tmp_path) == "plotly_white"
    assert counts_figure({"00": 5}, "Bell").layout.template.layout.paper_bgcolor == "white"


def test_a_setting_no_cell_could_run_with_is_replaced_and_named_once(shell, tmp_path, caplog):
    """lab_settings' promise: a cell never fails for its settings."""
    write(tmp_path, json.dumps({"defaultTarget": "nope_target", "shots": 5_000_000}))
    with caplog.at_level(logging.WARNING, logger=lab_settings.__name__):
        shell.run_cell_magic("synq", "--seed 7 --name run", BELL)
        shell.run_cell_magic("synq", "--seed 7 --name run", BELL)
    result = shell.user_ns["run"].result
    assert (result.target, result.shots) == ("aer_simulator", 1024)
    assert [r.getMessage() for r in caplog.records] == [
        "SynQ: ignoring the setting defaultTarget (Settings → SynQ): 'nope_target' is not a "
        "known target; using 'aer_simulator'",
        "SynQ: ignoring the setting shots (Settings → SynQ): 5000000 is not a number from 1 "
        "to 1,000,000; using 1024",
    ]


@pytest.mark.parametrize(
    ("settings", "setting"),
    [
        ({"optimizationLevel": 1.0}, "optimizationLevel"),
        ({"optimizationLevel": True}, "optimizationLevel"),
        ({"shots": 10.5}, "shots"),
        ({"defaultTarget": 42}, "defaultTarget"),
    ],
)
def test_a_value_of_the_wrong_kind_is_named_too(tmp_path, caplog, settings, setting):
    write(tmp_path, json.dumps(settings))
    with caplog.at_level(logging.WARNING, logger=lab_settings.__name__):
        assert magic_defaults(tmp_path) == MagicDefaults()
    [record] = caplog.records
    assert record.getMessage().startswith(f"SynQ: ignoring the setting {setting} ")
