"""``jupyter synq``: database upgrades, the target catalogue and transpiling from a terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from jupyter_core.application import JupyterApp
from traitlets import Bool, Int, Unicode

from synq_jupyter._version import __version__
from synq_jupyter.errors import SynqInputError


class _SynqSubcommand(JupyterApp):
    version = __version__

    def fail(self, message: str, code: int = 2) -> None:
        print(f"error: {message}", file=sys.stderr)
        self.exit(code)


class _CommandGroup(_SynqSubcommand):
    """A command made of subcommands: without one, it lists them."""

    def start(self) -> None:
        if self.subapp is None:
            self.print_subcommands()
            self.exit(1)
        super().start()


class DbUpgradeApp(_SynqSubcommand):
    name = "jupyter-synq-db-upgrade"
    description = "Apply every database migration (run this on PostgreSQL after upgrading)."
    db_url = Unicode(
        "", config=True, help="Database URL; default $SYNQ_DATABASE_URL, else the SQLite file."
    )
    aliases = {"db-url": "DbUpgradeApp.db_url"}

    def start(self) -> None:
        from synq_jupyter_server.db import Database
        from synq_jupyter_server.db.migrate import current_revision, upgrade

        database = Database.from_env(self.db_url or None)
        try:
            before = current_revision(database)
            upgrade(database)
            after = current_revision(database)
        except Exception as exc:  # driver errors: unreachable server, bad credentials ...
            self.fail(f"cannot upgrade {database.safe_url}: {getattr(exc, 'orig', exc)}")
            return
        finally:
            database.dispose()
        print(f"{database.safe_url}: {before or 'empty'} -> {after}")


class DbApp(_CommandGroup):
    name = "jupyter-synq-db"
    description = "Manage the SynQ database."
    subcommands = {"upgrade": (DbUpgradeApp, DbUpgradeApp.description)}


class TargetsApp(_SynqSubcommand):
    name = "jupyter-synq-targets"
    description = "List the target catalogue."
    as_json = Bool(False, config=True, help="Print JSON instead of a table.")
    flags = {"json": ({"TargetsApp": {"as_json": True}}, "Print JSON.")}

    def start(self) -> None:
        from synq_jupyter.quantum import list_targets

        rows = [t.summary() for t in list_targets()]
        if self.as_json:
            print(json.dumps(rows, indent=2))
            return
        columns = ("name", "provider", "num_qubits", "simulator", "region", "price_model")
        _print_table(rows, columns)


class TranspileApp(_SynqSubcommand):
    name = "jupyter-synq-transpile"
    description = "Transpile a circuit file (SynQ, OpenQASM 2 or 3) for a target."
    examples = "jupyter synq transpile bell.qasm --target ibm_torino -O 3 --seed 7"
    target = Unicode("", config=True, help="Catalogue target name (required).")
    optimization_level = Int(2, config=True, help="Transpiler level, 0 to 3.")
    seed = Int(-1, config=True, help="Transpiler seed; drawn when negative.")
    format = Unicode("", config=True, help="synq, qasm2 or qasm3; detected when empty.")
    output = Unicode("", config=True, help="Write the OpenQASM 3 here instead of stdout.")
    as_json = Bool(False, config=True, help="Print {qasm3, report} as JSON.")
    aliases = {
        "target": "TranspileApp.target",
        "O": "TranspileApp.optimization_level",
        "seed": "TranspileApp.seed",
        "format": "TranspileApp.format",
        "output": "TranspileApp.output",
    }
    flags = {"json": ({"TranspileApp": {"as_json": True}}, "Print JSON.")}

    def start(self) -> None:
        from synq_jupyter.quantum import load_circuit, transpile_circuit

        if len(self.extra_args) != 1:
            self.fail("give exactly one circuit file: jupyter synq transpile FILE --target T")
        if not self.target:
            self.fail("--target is required; see `jupyter synq targets`")
        path = Path(self.extra_args[0])
        try:
            source = path.read_text()
        except OSError as exc:
            self.fail(f"cannot read {path}: {exc.strerror}")
            return
        try:
            result = transpile_circuit(
                load_circuit(source, self.format or None),
                self.target,
                optimization_level=self.optimization_level,
                seed=None if self.seed < 0 else self.seed,
            )
        except SynqInputError as exc:
            self.fail(f"{path}: {exc}")
            return
        report = result.report.to_dict()
        if self.as_json:
            print(json.dumps({"qasm3": result.qasm3, "report": report}, indent=2))
            return
        if self.output:
            Path(self.output).write_text(result.qasm3)
        else:
            print(result.qasm3)
        summary = ", ".join(f"{k}={report[k]}" for k in _SUMMARY)
        print(f"{self.target}: {summary}", file=sys.stderr)


_SUMMARY = ("depth", "two_qubit_count", "estimated_success_probability", "seed", "fingerprint")


class KeysRotateApp(_SynqSubcommand):
    name = "jupyter-synq-keys-rotate"
    description = (
        "Add a new encryption key, re-seal every stored secret with it, and retire the old "
        "key; every secret stays readable throughout, also by a running server."
    )
    db_url = Unicode(
        "", config=True, help="Database URL; default $SYNQ_DATABASE_URL, else the SQLite file."
    )
    keyring = Unicode(
        "", config=True, help="Keyring file; default $SYNQ_KEYRING_FILE, else the data dir."
    )
    aliases = {"db-url": "KeysRotateApp.db_url", "keyring": "KeysRotateApp.keyring"}

    def start(self) -> None:
        from synq_jupyter_server.db import Database
        from synq_jupyter_server.security.keyring import default_keyring_path
        from synq_jupyter_server.security.rotation import rotate

        database = Database.from_env(self.db_url or None)
        path = Path(self.keyring) if self.keyring else default_keyring_path()
        try:
            done = rotate(database, path)
        except Exception as exc:  # an unreachable database, a key missing from the file ...
            self.fail(f"cannot rotate {path}: {getattr(exc, 'orig', exc)}")
            return
        finally:
            database.dispose()
        print(f"new key {done.new_key}: {done.resealed} secrets re-sealed")
        print(f"retired: {', '.join(done.retired) or 'none'}")
        if done.kept:
            print(f"still in use, kept: {', '.join(done.kept)} (run again to finish)")


class KeysApp(_CommandGroup):
    name = "jupyter-synq-keys"
    description = "Manage the encryption keys of stored secrets."
    subcommands = {"rotate": (KeysRotateApp, KeysRotateApp.description)}


class SynqCommand(_CommandGroup):
    name = "jupyter-synq"
    description = "SynQ for Jupyter: database, targets and transpiling from the command line."
    subcommands = {
        "db": (DbApp, DbApp.description),
        "keys": (KeysApp, KeysApp.description),
        "targets": (TargetsApp, TargetsApp.description),
        "transpile": (TranspileApp, TranspileApp.description),
    }


def _print_table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for row in rows:
        print("  ".join(str(row[c]).ljust(widths[c]) for c in columns))


main = SynqCommand.launch_instance

if __name__ == "__main__":
    main()
