"""The SynQ server extension: configuration, handlers, start and stop."""

from __future__ import annotations

import os

from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Int, Unicode, default


class SynqApp(ExtensionApp):
    """Mounts the SynQ API under ``{base_url}synq/api/`` in a Jupyter server."""

    name = "synq_jupyter_server"
    load_other_extensions = True

    db_url = Unicode(
        "",
        config=True,
        help="SQLAlchemy URL of the SynQ database. Empty: $SYNQ_DATABASE_URL, else a SQLite "
        "file at {jupyter_data_dir}/synq/synq.sqlite. PostgreSQL: postgresql://user@host/db.",
    )
    auto_migrate = Bool(
        None,
        allow_none=True,
        config=True,
        help="Apply database migrations at start. Defaults to true for SQLite and false for "
        "PostgreSQL, where `jupyter synq db upgrade` is run by the operator.",
    )
    executor_workers = Int(
        config=True,
        help="Worker processes for quantum work (transpiling, analysis, simulation).",
    )

    @default("executor_workers")
    def _default_workers(self) -> int:
        return max(1, min(4, (os.cpu_count() or 2) - 1))

    def initialize_settings(self) -> None:
        from synq_jupyter_server.db import Database
        from synq_jupyter_server.db.migrate import upgrade
        from synq_jupyter_server.executor import LocalExecutor
        from synq_jupyter_server.services import Services

        database = Database.from_env(self.db_url or None)
        migrate = database.is_sqlite if self.auto_migrate is None else self.auto_migrate
        if migrate:
            upgrade(database)
        self.services = Services.create(database, LocalExecutor(self.executor_workers))
        self.settings["synq_services"] = self.services
        self.log.info(
            "SynQ API at %ssynq/api/ (database %s, %d workers)",
            self.serverapp.base_url if self.serverapp else "/",
            database.safe_url,
            self.executor_workers,
        )

    def initialize_handlers(self) -> None:
        from synq_jupyter_server.routes import tornado_handlers

        self.handlers.extend(tornado_handlers())

    async def stop_extension(self) -> None:
        services = getattr(self, "services", None)
        if services is not None:
            services.close()


main = launch_new_instance = SynqApp.launch_instance
