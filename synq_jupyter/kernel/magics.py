"""``%%synq`` and ``%synq``: build, transpile and run circuits from notebook cells."""

from __future__ import annotations

import inspect
import shlex
import sys
from dataclasses import replace
from keyword import iskeyword
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display

from synq_jupyter.errors import SynqError, SynqInputError
from synq_jupyter.kernel.cell_result import CellResult
from synq_jupyter.kernel.histogram import shots_phrase
from synq_jupyter.kernel.job_handle import MAX_JOBS_PAGE
from synq_jupyter.kernel.progress import ProgressLine

SOURCE_WINDOW = 60
"""Characters of a long source line shown on each side of an error's column."""
LINE_USAGE = "usage: %synq targets | %synq target NAME | %synq jobs [N] | %synq attach JOB_ID"


class RunInterrupted(KeyboardInterrupt):
    """An Interrupt of a cell's run, shown as one line. The traceback would lead into the
    pipe to the helper process (``run_apart``), of no use to the user. It is still a
    ``KeyboardInterrupt``: the cell fails as an interrupted one does, and "Run All" stops."""

    def _render_traceback_(self) -> list[str]:
        return ["SynQ: interrupted; the run was stopped"]


@magics_class
class SynqMagics(Magics):
    """Magics registered by ``%load_ext synq_jupyter``."""

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell=shell, **kwargs)
        self._raw_cell = ""
        if shell is not None:
            shell.events.register("pre_run_cell", self._remember_cell)

    def _remember_cell(self, info: Any) -> None:
        """Keeps the cell as the notebook holds it: IPython drops its leading blank lines
        before the magic sees it, and messages count lines as the notebook shows them."""
        self._raw_cell = getattr(info, "raw_cell", None) or ""

    # prog "%synq": IPython's help puts one more "%" in front, for "%%synq".
    @magic_arguments(name="%synq")
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
        help="Transpiler level 0-3 for a device target (default: settings, else 2); "
        "aer_simulator runs the circuit as written.",
    )
    @argument("--format", "-f", choices=["synq", "qasm2", "qasm3"], help="Source format.")
    @argument("--draw", action="store_true", help="Show the circuit diagram.")
    @argument("--name", "-n", help="Store circuit, report and result in this variable.")
    @argument(
        "--submit",
        action="store_true",
        help="Run as a durable job on the server; returns at once with a live widget.",
    )
    @argument("--help", "-h", action="store_true", help="Show this help and run nothing.")
    @cell_magic
    def synq(self, line: str, cell: str) -> None:
        """Runs the cell's circuit (SynQ, OpenQASM 2 or 3) on Aer, or on a target's model.

        On the default ``aer_simulator`` the circuit runs ideally. With ``--target NAME`` it is
        transpiled for that device, the transpile report is shown, and the transpiled circuit
        is sampled with the device's noise.
        """
        words = _words(line)
        if "--help" in words or "-h" in words:
            print(_help(self.synq))
            return
        args = _parsed(self.synq, words)
        level_given = args.optimization_level is not None
        args = _with_defaults(args)
        if args.name is not None and (not args.name.isidentifier() or iskeyword(args.name)):
            raise UsageError(f"SynQ: --name needs a Python identifier, not {args.name!r}")
        above = lines_above(self._raw_cell, line, cell)
        try:
            circuit = _circuit(cell, args.format, above)
            if level_given:
                _say_if_level_unused(args.target, args.optimization_level)
            if args.draw:
                display(circuit.draw(output="text", fold=-1))
            if args.submit:
                self._submit_cell(args, cell)
            else:
                self._run_cell(args, circuit)
        except SynqInputError as exc:
            raise UsageError(_short_message(exc, cell, above)) from None
        except SynqError as exc:
            raise UsageError(f"SynQ: {exc}") from None

    def _submit_cell(self, args: Any, cell: str) -> None:
        from synq_jupyter.kernel.job_handle import submit

        handle = submit(cell, format=args.format, **_run_options(args))
        if args.name and self.shell is not None:
            self.shell.user_ns[args.name] = handle
        display(handle.widget())

    def _run_cell(self, args: Any, circuit: Any) -> None:
        from synq_jupyter.kernel.histogram import counts_figure, counts_text, figure_bundle
        from synq_jupyter.kernel.run_apart import run_interruptibly
        from synq_jupyter.kernel.views import report_bundle

        try:
            with ProgressLine() as progress:
                result = run_interruptibly(circuit, progress=progress.update, **_run_options(args))
        except KeyboardInterrupt:
            raise RunInterrupted from None
        transpiled = result.transpile
        if transpiled is not None:
            display(report_bundle(transpiled.report), raw=True)
        noise = "ideal" if result.noise == "none" else "with device noise"
        title = f"{result.target} · {shots_phrase(result.shots)} · seed {result.seed} · {noise}"
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
        """SynQ's catalogue and jobs, one subcommand a line::

          %synq targets          the catalogue of targets, one a row
          %synq target NAME      one target: qubits, gates, errors, connectivity, price
          %synq jobs [N]         my N most recent jobs (1-200, default 20), newest first
          %synq attach JOB_ID    a job's live widget (the full id or the 12 characters
                                 the widget shows), e.g. after a kernel restart

        ``%%synq`` (two %) runs a cell's circuit: see ``%%synq --help``.
        """
        from synq_jupyter.kernel.views import (
            jobs_bundle,
            table_bundle,
            target_rows,
            targets_bundle,
        )
        from synq_jupyter.quantum import get_target, list_targets

        words = _words(line)
        if words in (["--help"], ["-h"]):
            print(_help(self.synq_line))
            return
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
                raise UsageError(f"SynQ: {LINE_USAGE}")
        except (SynqError, ValueError) as exc:
            raise UsageError(f"SynQ: {exc}") from None


def _circuit(cell: str, format: str | None, above: int) -> Any:
    """The cell's circuit, after its SynQ warnings, one line each on stderr.

    Raises:
        SynqInputError: The cell does not parse, or leaves parameters without a value (the
            Python advice, ``circuit.assign_parameters``, would not help in a cell).
    """
    from synq_jupyter.quantum.circuit_loading import parse_circuit, require_bound

    parsed = parse_circuit(cell, format)
    for warning in parsed.warnings:
        shifted = replace(warning, line=_notebook_line(warning.line, above))
        print(f"SynQ warning: {shifted}", file=sys.stderr)
    circuit = parsed.circuit
    require_bound(circuit, "the circuit", "source", advice=_write_numbers)
    return circuit


def _say_if_level_unused(target: str, level: int) -> None:
    """Says, on stderr, that ``-O`` does nothing on the ideal simulator, which runs the
    circuit as written; a level out of range is refused instead, as a device refuses it."""
    from synq_jupyter.quantum import get_target
    from synq_jupyter.quantum.noise import has_noise
    from synq_jupyter.quantum.transpile import check_level

    check_level(level)
    if not has_noise(get_target(target)):
        print(
            f"SynQ: -O applies to device targets; {target} runs the circuit as written",
            file=sys.stderr,
        )


def _write_numbers(circuit: Any) -> str:
    """What to do about parameters without a value, in a cell: Qiskit's OpenQASM 3 reader
    takes no ``const`` or ``float`` declarations, so the value is written in the gate."""
    first = next(iter(circuit.parameters))
    gate = next(
        (
            inst.operation.name
            for inst in circuit.data
            if any(first in getattr(value, "parameters", ()) for value in inst.operation.params)
        ),
        "rx",
    )
    return (
        f"write a number in place of each ({gate}(0.5), not {gate}({first.name})) and "
        "remove its input declaration"
    )


def _notebook_line(line: int, above: int) -> int:
    """A line of the cell's body (as the magic gets it) as the notebook counts it: after the
    ``%%synq`` line and the ``above`` blank lines IPython dropped."""
    return line + 1 + above


def lines_above(raw_cell: str, line: str, cell: str) -> int:
    """How many blank lines the notebook cell has above its ``%%synq`` line, which IPython
    drops before calling the magic; 0 when ``raw_cell`` is not the cell the magic was given
    (a magic called from Python, or a cell IPython changed in other ways)."""
    lines = raw_cell.splitlines(keepends=True)
    above = 0
    while above < len(lines) and (not lines[above] or lines[above].isspace()):
        above += 1
    if above == len(lines):
        return 0
    name, _, options = lines[above][2:].rstrip().partition(" ")
    body = "".join(lines[above + 1 :])
    given = lines[above].startswith("%%") and name == "synq" and options == line
    return above if given and body.rstrip("\n") == cell.rstrip("\n") else 0


def _help(magic: Any) -> str:
    """A magic's help, as ``%%synq?`` shows it, without reStructuredText's ``::``."""
    lines = inspect.cleandoc(str(magic.__doc__)).splitlines()
    kept = (text[:-1] if text.endswith("::") else text for text in lines if text.strip() != "::")
    return "\n".join(kept).strip()


def _parsed(magic: Any, words: list[str]) -> Any:
    """The magic's options, split as a shell would (``--target "ibm_torino"`` is
    ``ibm_torino``, as in the line magic; IPython's own splitting keeps the quotes);
    argparse's refusal (an unknown option, ``--shots abc``) as a ``SynQ:`` usage message
    like every other."""
    try:
        return magic.parser.parse_args(words)
    except UsageError as exc:
        message = str(exc)
        raise UsageError(message if message.startswith("SynQ:") else f"SynQ: {message}") from None


def _jobs_limit(word: str) -> int:
    """The N of ``%synq jobs N``: refused here, with the range, unless it is a whole number
    in it (the server's words for ``-1`` and ``0`` differed)."""
    if word.isascii() and word.isdigit() and 1 <= int(word) <= MAX_JOBS_PAGE:
        return int(word)
    raise UsageError(f"SynQ: %synq jobs takes a number of jobs (1-{MAX_JOBS_PAGE}), not {word!r}")


def _run_options(args: Any) -> dict[str, Any]:
    """The options a run and a submitted job take alike."""
    return {
        "target": args.target,
        "shots": args.shots,
        "seed": args.seed,
        "optimization_level": args.optimization_level,
    }


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


def _short_message(exc: SynqInputError, cell: str, above: int = 0) -> str:
    """One line naming the problem and its place, then the source line with a caret.

    Lines are counted as the notebook shows them: the ``%%synq`` line is line 1, after the
    ``above`` blank lines IPython dropped. A long source line is shown ``SOURCE_WINDOW``
    characters either side of the column, with "…" where it is cut.
    """
    if exc.line is None:
        return f"SynQ: {exc}"
    where = f"line {_notebook_line(exc.line, above)}"
    where += f", column {exc.column}" if exc.column else ""
    message = f"SynQ: {where}: {exc.message}"
    lines = cell.splitlines()
    if 1 <= exc.line <= len(lines):
        line = lines[exc.line - 1]
        at = max(exc.column or 1, 1) - 1
        start, end = max(0, at - SOURCE_WINDOW), min(len(line), at + SOURCE_WINDOW)
        cut = "…" if start else ""
        shown = cut + line[start:end] + ("…" if end < len(line) else "")
        # Tabs before the column are kept, so the caret lines up however wide they show.
        before = cut + line[start:at]
        caret = "".join(c if c == "\t" else " " for c in before) + "^"
        message += f"\n    {shown}\n    {caret}"
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
