"""The set of services one server (or Hub service) runs with."""

from __future__ import annotations

from dataclasses import dataclass

from synq_jupyter_server.db import Database
from synq_jupyter_server.executor import LocalExecutor
from synq_jupyter_server.services.catalogue import CatalogueService
from synq_jupyter_server.services.circuits import CircuitService
from synq_jupyter_server.services.health import HealthService


@dataclass
class Services:
    """Everything the handlers need, built once at start-up."""

    database: Database
    executor: LocalExecutor
    catalogue: CatalogueService
    circuits: CircuitService
    health: HealthService

    @classmethod
    def create(cls, database: Database, executor: LocalExecutor) -> Services:
        catalogue = CatalogueService(executor)
        return cls(
            database=database,
            executor=executor,
            catalogue=catalogue,
            circuits=CircuitService(database, executor, catalogue),
            health=HealthService(database, executor),
        )

    def close(self) -> None:
        self.executor.shutdown()
        self.database.dispose()
