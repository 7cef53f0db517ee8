"""Fixtures of the notebook tests."""

from __future__ import annotations

import pytest

from tests.fixtures.notebooks import start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One SynQ server per test module, on its own SQLite file."""
    process = start_server(tmp_path_factory.mktemp("server"))
    yield process
    process.stop()
