"""The SynQ language front end: SynQ source in, OpenQASM 3 text or a circuit out."""

from synq_jupyter.quantum.synq_lang.compiler import compile_synq, compile_synq_circuit
from synq_jupyter.quantum.synq_lang.program import SynqProgram, SynqWarning

__all__ = ["SynqProgram", "SynqWarning", "compile_synq", "compile_synq_circuit"]
