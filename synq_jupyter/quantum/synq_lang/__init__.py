"""The SynQ language front end: SynQ source in, OpenQASM 3 text out."""

from synq_jupyter.quantum.synq_lang.compiler import compile_synq
from synq_jupyter.quantum.synq_lang.program import SynqProgram, SynqWarning

__all__ = ["SynqProgram", "SynqWarning", "compile_synq"]
