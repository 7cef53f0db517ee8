"""Versions of the libraries whose behaviour decides a transpile or a simulation."""

from __future__ import annotations

from functools import cache
from importlib import metadata

_DISTRIBUTIONS = ("synq-jupyter", "qiskit", "qiskit-aer", "qiskit-ibm-runtime", "qiskit-ionq")


@cache
def library_versions() -> dict[str, str]:
    """Installed versions of SynQ and the Qiskit packages it drives."""
    versions = {}
    for name in _DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
