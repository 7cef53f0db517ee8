"""Services: the API's behaviour, free of tornado. Handlers call exactly one method each."""

from synq_jupyter_server.services.catalogue import CatalogueService
from synq_jupyter_server.services.circuits import CircuitService
from synq_jupyter_server.services.health import HealthService
from synq_jupyter_server.services.registry import Services

__all__ = ["CatalogueService", "CircuitService", "HealthService", "Services"]
