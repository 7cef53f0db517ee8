"""Package attributes imported from their submodule on first use."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``name`` from ``package.exports[name]``.

    The value is then stored in the package's namespace, so later lookups are plain.
    No exported name may also name a submodule: importing that submodule directly would
    put the module where the exported value belongs (``tests/quantum/test_lazy_exports.py``).

    Args:
        package: The package's ``__name__``.
        exports: Each exported name and the submodule that defines it.
    """

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = import_module(package)
        value = getattr(import_module(f"{package}.{exports[name]}"), name)
        setattr(module, name, value)
        return value

    return __getattr__
