"""Fixtures shared by the whole suite."""

pytest_plugins = ["pytest_jupyter.jupyter_server", "tests.fixtures.databases"]
