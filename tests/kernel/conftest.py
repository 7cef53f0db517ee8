"""Fixtures of the notebook tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from IPython.testing import globalipapp

from tests.fixtures.notebooks import start_server
from tests.kernel.scripted_api import Api


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One SynQ server per test module, on its own SQLite file."""
    process = start_server(tmp_path_factory.mktemp("server"))
    yield process
    process.stop()


@pytest.fixture
def api() -> Iterator[Api]:
    """A scripted stand-in for the SynQ API, on a free local port."""
    api = Api()
    thread = threading.Thread(target=api.server.serve_forever, daemon=True)
    thread.start()
    yield api
    api.server.shutdown()
    api.server.server_close()


@pytest.fixture
def ipython():
    """The test suite's one IPython shell, with SynQ's magics loaded."""
    # Looked up on the module each time: starting the shell replaces ``get_ipython`` there,
    # and the function it replaces returns None once the shell is up.
    shell = globalipapp.get_ipython()
    shell.run_line_magic("load_ext", "synq_jupyter")
    return shell
