"""``%%synq`` and ``%synq``: build, transpile and run circuits from notebook cells."""

from __future__ import annotations

import shlex
from keyword import iskeyword
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display

from synq_jupyter.errors import SynqError, SynqInputError
from synq_jupyter.kernel.cell_result import CellResult
from synq_jupyter.kernel.job_handle import MAX_JOBS_PAGE
from synq_jupyter.kernel.progress import ProgressLine


@magics_class
class SynqMagics(Magics):
    """Magics registered by ``%load_ext synq_jupyter``."""

    @magic_arguments()
    @argument(
        "--target",
        "-t",
        default=None,
        help="Catalogue target to run on (default: Settings → SynQ, else aer_simulator).",
    )
    @argument(
        "--shots", "-s", type=int, default=None, help="Number of samples (default: settings, 1024)."
    )
    @argument("--seed", type=int, default=None, help="Seed for transpiler and simulator.")
    @argument(
        "-O",
        "--optimization-level",
        type=int,
        default=None,
        help="Transpiler level 0-3 (default: settings, else 2).",
    )
    @argument("--format", "-f", choices=["synq", "qasm2", "qasm3"], help="Source format.")
    @argument("--draw", action="store_true", help="Show the circuit diagram.")
    @argument("--name", "-n", help="Store circuit, report and result in this variable.")
    @argument(
        "--submit",
        action="store_true",
        help="Run as a durable job on the server; returns at once with a live widget.",
    )
    @cell_magic
    def synq(self, line: str, cell: str) -> None:
        """Runs the cell's circuit (SynQ, OpenQASM 2 or 3) on Aer, or on a target's model.

        On the default ``aer_simulator`` the circuit runs ideally. With ``--target NAME`` it is
        transpiled for that device, the transpile report is shown, and the transpiled circuit
        is sampled with the device's noise.
        """
        args = _with_defaults(_parsed(self.synq, line))
        if args.name is not None and (not args.name.isidentifier() or iskeyword(args.name)):
            raise UsageError(f"SynQ: --name needs a Python identifier, not {args.name!r}")
        try:
            if args.submit:
                self._submit_cell(args, cell)
            else:
                self._run_cell(args, cell)
        except SynqInputError as exc:
            raise UsageError(_short_message(exc, cell)) from None
        except SynqError as exc:
            raise UsageError(f"SynQ: {exc}") from None

    def _submit_cell(self, args: Any, cell: str) -> None:
        from synq_jupyter.kernel.job_handle import submit
        from synq_jupyter.quantum import load_circuit

        circuit = load_circuit(cell, args.format)  # a mistake is reported here, with its line
        if args.draw:
            display(circuit.draw(output="text", fold=-1))
        handle = submit(
            cell,
            format=args.format,
            target=args.target,
            shots=args.shots,
            seed=args.seed,
            optimization_level=args.optimization_level,
        )
        if args.name and self.shell is not None:
            self.shell.user_ns[args.name] = handle
        display(handle.widget())

    def _run_cell(self, args: Any, cell: str) -> None:
        from synq_jupyter.kernel.histogram import counts_figure, counts_text, figure_bundle
        from synq_jupyter.kernel.run_apart import run_interruptibly
        from synq_jupyter.kernel.views import report_bundle
        from synq_jupyter.quantum import load_circuit

        circuit = load_circuit(cell, args.format)
        if args.draw:
            display(circuit.draw(output="text", fold=-1))
        with ProgressLine() as progress:
            result = run_interruptibly(
                circuit,
                target=args.target,
                shots=args.shots,
                seed=args.seed,
                optimization_level=args.optimization_level,
                progress=progress.update,
            )
        transpiled = result.transpile
        if transpiled is not None:
            display(report_bundle(transpiled.report), raw=True)
        noise = "ideal" if result.noise == "none" else "with device noise"
        title = f"{result.target} · {result.shots:,} shots · seed {result.seed} · {noise}"
        figure = counts_figure(result.counts, title)
        display(figure_bundle(figure, counts_text(result.counts, title)), raw=True)
        if args.name and self.shell is not None:
            self.shell.user_ns[args.name] = CellResult(
                circuit=circuit,
                transpiled=transpiled.circuit if transpiled else None,
                report=transpiled.report if transpiled else None,
                result=result,
            )

    # The line magic shares the cell magic's name; IPython's stubs do not type that form.
    @line_magic("synq")  # type: ignore[arg-type]
    def synq_line(self, line: str) -> None:
        """``%synq targets`` lists the catalogue; ``%synq target NAME`` describes one target;
        ``%synq jobs`` lists my recent jobs; ``%synq attach JOB_ID`` brings a job's widget back.
        """
        from synq_jupyter.kernel.views import (
            jobs_bundle,
            table_bundle,
            target_rows,
            targets_bundle,
        )
        from synq_jupyter.quantum import get_target, list_targets

        words = _words(line)
        try:
            if words and words[0] == "jobs" and len(words) <= 2:
                from synq_jupyter.kernel.client import SynqClient

                limit = _jobs_limit(words[1]) if len(words) == 2 else 20
                page = SynqClient().request("GET", "jobs", limit=limit)
                display(jobs_bundle(page["jobs"]), raw=True)
            elif len(words) == 2 and words[0] == "attach":
                from synq_jupyter.kernel.job_handle import attach

                display(attach(words[1]).widget())
            elif words == ["targets"]:
                display(targets_bundle([t.summary() for t in list_targets()]), raw=True)
            elif len(words) == 2 and words[0] == "target":
                detail = get_target(words[1]).detail()
                display(table_bundle(target_rows(detail), detail["name"]), raw=True)
            else:
                raise UsageError(
                    "usage: %synq targets | %synq target NAME | %synq jobs [N] "
                    "| %synq attach JOB_ID"
                )
        except (SynqError, ValueError) as exc:
            raise UsageError(f"SynQ: {exc}") from None


def _parsed(magic: Any, line: str) -> Any:
    """The magic's options, split as a shell would (``--target "ibm_torino"`` is
    ``ibm_torino``, as in the line magic; IPython's own splitting keeps the quotes);
    argparse's refusal (an unknown option, ``--shots abc``) as a ``SynQ:`` usage message
    like every other."""
    try:
        return magic.parser.parse_args(_words(line))
    except UsageError as exc:
        message = str(exc)
        raise UsageError(message if message.startswith("SynQ:") else f"SynQ: {message}") from None


def _jobs_limit(word: str) -> int:
    """The N of ``%synq jobs N``; the server checks its range and names the field."""
    try:
        return int(word)
    except ValueError:
        raise UsageError(
            f"SynQ: %synq jobs takes a number of jobs (1-{MAX_JOBS_PAGE}), not {word!r}"
        ) from None


def _with_defaults(args: Any) -> Any:
    """Fills the options the line left out from the user's JupyterLab settings."""
    from synq_jupyter.kernel.lab_settings import magic_defaults

    defaults = magic_defaults()
    if args.target is None:
        args.target = defaults.target
    if args.shots is None:
        args.shots = defaults.shots
    if args.optimization_level is None:
        args.optimization_level = defaults.optimization_level
    return args


def _short_message(exc: SynqInputError, cell: str) -> str:
    """One line naming the problem and its place, then the source line with a caret.

    Lines are counted as the notebook shows them: the ``%%synq`` line is line 1.
    """
    if exc.line is None:
        return f"SynQ: {exc}"
    where = f"line {exc.line + 1}" + (f", column {exc.column}" if exc.column else "")
    message = f"SynQ: {where}: {exc.message}"
    lines = cell.splitlines()
    if 1 <= exc.line <= len(lines):
        line = lines[exc.line - 1]
        # Tabs before the column are kept, so the caret lines up however wide they show.
        before = line[: max(exc.column or 1, 1) - 1]
        caret = "".join(c if c == "\t" else " " for c in before) + "^"
        message += f"\n    {line}\n    {caret}"
    return message


def _words(line: str) -> list[str]:
    """The magic's options split as a shell splits them (quotes removed).

    Raises:
        UsageError: A quote is not closed (shlex's "No closing quotation").
    """
    try:
        return shlex.split(line)
    except ValueError as exc:
        raise UsageError(
            f"SynQ: {str(exc).lower()} in the magic's options: {line.strip()}"
        ) from None
