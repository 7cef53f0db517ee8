"""Lazily exported names stay the exported values, whatever was imported before them."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import types

import pytest

LAZY_PACKAGES = ["synq_jupyter.quantum", "synq_jupyter.quantum.synthesis"]


@pytest.mark.parametrize("name", LAZY_PACKAGES)
def test_no_exported_name_is_also_a_submodule(name):
    package = importlib.import_module(name)
    submodules = {info.name for info in pkgutil.iter_modules(package.__path__)}
    assert not submodules & set(package.__all__)


@pytest.mark.parametrize("name", LAZY_PACKAGES)
def test_exports_survive_importing_every_submodule_first(name):
    # In a fresh process: a worker that imported submodules directly (as job code does)
    # must still get functions, not modules, from the package.
    script = f"""
import importlib, pkgutil, types
package = importlib.import_module({name!r})
for info in pkgutil.iter_modules(package.__path__):
    importlib.import_module(f"{name}.{{info.name}}")
bad = [n for n in package.__all__ if isinstance(getattr(package, n), types.ModuleType)]
assert not bad, bad
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_module_type_is_what_the_check_looks_for():
    assert isinstance(importlib.import_module("synq_jupyter.quantum.targets"), types.ModuleType)
