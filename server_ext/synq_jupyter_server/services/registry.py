"""The set of services one server (or Hub service) runs with."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from synq_jupyter_server.db import Database
from synq_jupyter_server.executor import LocalExecutor
from synq_jupyter_server.jobs.event_bus import EventBus
from synq_jupyter_server.jobs.queue import JobQueue
from synq_jupyter_server.jobs.scheduler import JobExecutor, Scheduler, SchedulerSettings
from synq_jupyter_server.security.api_keys import ApiKeyService
from synq_jupyter_server.security.audit import AuditService
from synq_jupyter_server.security.keyring import Keyring
from synq_jupyter_server.security.mfa import MfaService
from synq_jupyter_server.security.threat_store import ThreatStore
from synq_jupyter_server.security.threats import ThreatService, ThreatSettings
from synq_jupyter_server.security.tokens import TokenService
from synq_jupyter_server.services.catalogue import CatalogueService
from synq_jupyter_server.services.circuits import CircuitService
from synq_jupyter_server.services.credentials import (
    CredentialService,
    credentials_for_target,
    device_access,
)
from synq_jupyter_server.services.health import HealthService
from synq_jupyter_server.services.jobs import JobService
from synq_jupyter_server.services.orgs import OrgService
from synq_jupyter_server.services.qml import QmlService
from synq_jupyter_server.services.quotas import QuotaService


@dataclass
class Services:
    """Everything the handlers need, built once at start-up.

    ``requests`` runs the work of circuit calls (parse, transpile, analysis); ``checks``
    validates submissions and builds the target catalogue (large sources have a worker of
    their own, ``jobs.large_checks``, started when the first arrives); ``executor`` runs
    jobs. They are separate so a queue of long jobs never delays a request, and a long
    transpile never holds up a job submission.
    """

    database: Database
    requests: LocalExecutor
    checks: LocalExecutor
    executor: JobExecutor
    catalogue: CatalogueService
    circuits: CircuitService
    health: HealthService
    jobs: JobService
    scheduler: Scheduler
    credentials: CredentialService
    qml: QmlService
    api_keys: ApiKeyService
    audit: AuditService
    tokens: TokenService
    mfa: MfaService
    orgs: OrgService
    quotas: QuotaService
    threats: ThreatService

    @classmethod
    def create(
        cls,
        database: Database,
        requests: LocalExecutor,
        executor: JobExecutor,
        settings: SchedulerSettings,
        keyring: Keyring,
        orgs: OrgService | None = None,
        threats: ThreatSettings | None = None,
        checks: LocalExecutor | None = None,
    ) -> Services:
        """``orgs`` carries the plans new organisations start on (free, and enterprise for
        personal ones, by default); ``checks`` defaults to one worker process."""
        checks = checks or LocalExecutor(1)
        bus = EventBus()
        orgs = orgs or OrgService(database)
        quotas = QuotaService(database, orgs)
        credentials = CredentialService(database, keyring)
        queue = JobQueue(database)
        catalogue = CatalogueService(checks)
        scheduler = Scheduler(
            queue,
            executor,
            bus,
            settings,
            credentials_for_target(credentials, catalogue),
            meter=quotas.spend_shots,
        )
        jobs = JobService(
            scheduler, checks, catalogue, quotas, device_access(credentials, catalogue)
        )
        audit = AuditService(database)
        return cls(
            database=database,
            requests=requests,
            checks=checks,
            executor=executor,
            catalogue=catalogue,
            circuits=CircuitService(database, requests, catalogue),
            health=HealthService(database, executor),
            jobs=jobs,
            scheduler=scheduler,
            credentials=credentials,
            qml=QmlService(jobs, checks, catalogue, database),
            api_keys=ApiKeyService(database),
            audit=audit,
            tokens=TokenService(database, keyring),
            mfa=MfaService(database, keyring),
            orgs=orgs,
            quotas=quotas,
            threats=ThreatService(ThreatStore(database), audit, threats),
        )

    def start(self) -> None:
        self.scheduler.start()
        self.catalogue.warm()

    async def close(self) -> None:
        await self.catalogue.close()
        await self.scheduler.stop()
        await self.executor.close()
        self.requests.shutdown()
        self.checks.shutdown()
        self.jobs.large_checks.shutdown()
        # Queued security events and audit entries (which they add to) are written before
        # the database goes.
        await asyncio.to_thread(self.threats.close)
        await asyncio.to_thread(self.audit.close)
        self.database.dispose()
