"""The SynQ server extension: configuration, handlers, start and stop."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from jupyter_server.extension.application import ExtensionApp
from jupyter_server.utils import url_path_join
from traitlets import Bool, Dict, Enum, Float, Int, List, Unicode, Union, default

if TYPE_CHECKING:
    from synq_jupyter_server.jobs.worker_pool import StartMethod
    from synq_jupyter_server.security.rate_limit import RateLimiter, RateLimitStore
    from synq_jupyter_server.security.roles import PlatformRole
    from synq_jupyter_server.security.threats import ThreatSettings


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
        help="Worker processes for circuit requests (parsing, transpiling, analysis).",
    )
    check_workers = Int(
        config=True,
        help="Worker processes that validate job submissions and build the target catalogue: "
        "a pool of their own, so a long transpile never holds up a submission.",
    )
    executor = Unicode(
        "local",
        config=True,
        help="Where jobs run: 'local' (a pool of worker processes) or 'dask'.",
    )
    job_workers = Int(config=True, help="Worker processes of the local job executor.")
    worker_start_method = Enum(
        ["spawn", "forkserver"],
        "spawn",
        config=True,
        help="How worker processes (jobs, checks, requests) start: 'spawn', each a fresh "
        "interpreter that imports Qiskit itself (seconds before its first task), or "
        "'forkserver', each forked from one clean process that imported Qiskit once, so a "
        "worker replacing a cancelled job's is ready in a fraction of that.",
    )
    dask_scheduler_address = Unicode(
        "",
        config=True,
        help="Dask scheduler to run jobs on (tcp://host:port). Empty with executor='dask': "
        "start a LocalCluster on this machine.",
    )
    max_running_jobs = Int(
        config=True, help="Jobs this server runs at once; defaults to the number of workers."
    )
    lease_seconds = Float(
        30.0, config=True, help="How long a running job's claim lasts without a heartbeat."
    )
    per_user_concurrency = Int(4, config=True, help="Running jobs one user may have at once.")
    keyring_file = Unicode(
        "",
        config=True,
        help="The AES-256-GCM keyring sealing provider credentials. Empty: "
        "$SYNQ_KEYRING_FILE, else {jupyter_data_dir}/synq/keyring.json (created, mode 0600). "
        "Keep it out of the database and its backups.",
    )
    rate_limit = Int(
        1000,
        config=True,
        help="Requests an authenticated principal may make per rate-limit window, counted "
        "over all its API keys and sessions; then 429 with Retry-After. 0 turns it off.",
    )
    anonymous_rate_limit = Int(
        100,
        config=True,
        help="Requests per rate-limit window from one client address without valid "
        "credentials (refused ones included); then 429 with Retry-After. 0 turns it off.",
    )
    rate_limit_window = Float(60.0, config=True, help="Length in seconds of a rate-limit window.")
    redis_url = Unicode(
        config=True,
        help="Redis that holds the rate-limit counters, so that several server processes "
        "share the limits (redis://host:6379/0). Empty: $SYNQ_REDIS_URL, else the counters "
        "live in this process.",
    )
    rate_limit_prefix = Unicode(
        "",
        config=True,
        help="Prefix of this deployment's rate-limit keys in Redis (after 'synq:rl:'): "
        "servers with the same prefix share their counters.",
    )
    brute_force_failures = Int(
        5,
        config=True,
        help="Failed authentications one address or principal may make within "
        "brute_force_window; the next one opens a brute-force incident and locks it out.",
    )
    brute_force_window = Float(
        900.0, config=True, help="Seconds over which failed authentications are counted."
    )
    lockout_seconds = Float(
        60.0,
        config=True,
        help="Length of a first lockout after brute force; each further lockout of the same "
        "address or principal doubles it, up to lockout_max_seconds.",
    )
    lockout_max_seconds = Float(3600.0, config=True, help="The longest lockout, in seconds.")
    exfiltration_bytes = Int(
        1 << 30,
        config=True,
        help="Response bytes (successful GETs: results, exports, lists) one principal may "
        "receive within exfiltration_window before a data-exfiltration incident opens.",
    )
    exfiltration_window = Float(
        3600.0, config=True, help="Seconds over which response bytes are summed."
    )
    travel_speed_kmh = Float(
        900.0,
        config=True,
        help="Speed (km/h) above which two requests of one principal from located addresses "
        "are impossible travel and open an incident.",
    )
    ip_locations = Union(
        [Dict(), Unicode()],
        default_value={},
        config=True,
        help="Where client addresses are, for impossible travel: {CIDR: [name, lat, lon]}, "
        "or the path of a JSON file holding that. Addresses in no range are not located.",
    )
    unusual_access_learning = Float(
        3600.0,
        config=True,
        help="Seconds after a principal is first seen during which new addresses and user "
        "agents join its baseline silently (a first session often spans a browser, a "
        "kernel and a script); later ones are unusual-access events.",
    )

    platform_admins = List(
        Unicode(),
        config=True,
        help="Users who are platform admins: they act as admin in every organisation, list "
        "every organisation and set plans.",
    )
    superadmins = List(
        Unicode(),
        config=True,
        help="Users who are platform superadmins: as admins, and owner in every organisation.",
    )
    owner_is_superadmin = Bool(
        True,
        config=True,
        help="On a single-user server (Jupyter's token or password), its owner is a "
        "superadmin: they run the server.",
    )
    default_plan = Enum(
        ["free", "pro", "enterprise"],
        "free",
        config=True,
        help="The plan new organisations start on.",
    )
    personal_plan = Enum(
        ["free", "pro", "enterprise"],
        "enterprise",
        config=True,
        help="The plan of each user's personal organisation. Enterprise (unmetered) suits a "
        "server of one's own; shared deployments usually set 'free'.",
    )

    @default("redis_url")
    def _default_redis_url(self) -> str:
        return os.environ.get("SYNQ_REDIS_URL", "")

    @default("executor_workers")
    def _default_workers(self) -> int:
        return max(1, min(4, (os.cpu_count() or 2) - 1))

    @default("check_workers")
    def _default_check_workers(self) -> int:
        return self.executor_workers

    @default("job_workers")
    def _default_job_workers(self) -> int:
        return max(1, min(8, os.cpu_count() or 2))

    @default("max_running_jobs")
    def _default_max_running(self) -> int:
        return self.job_workers

    def initialize_settings(self) -> None:
        from synq_jupyter_server.db import Database
        from synq_jupyter_server.db.migrate import upgrade
        from synq_jupyter_server.executor import LocalExecutor
        from synq_jupyter_server.jobs.scheduler import SchedulerSettings
        from synq_jupyter_server.security.keyring import Keyring, default_keyring_path
        from synq_jupyter_server.services import Services

        database = Database.from_env(self.db_url or None)
        migrate = database.is_sqlite if self.auto_migrate is None else self.auto_migrate
        if migrate:
            upgrade(database)
        settings = SchedulerSettings(
            max_running=self.max_running_jobs,
            lease_seconds=self.lease_seconds,
            per_user_limit=self.per_user_concurrency or None,
        )
        keyring = Keyring.load_or_create(
            Path(self.keyring_file) if self.keyring_file else default_keyring_path()
        )
        from synq_jupyter_server.services.orgs import OrgService

        orgs = OrgService(database, self.default_plan, self.personal_plan)
        self.services = Services.create(
            database,
            LocalExecutor(self.executor_workers, self._start_method),
            self._job_executor(),
            settings,
            keyring,
            orgs,
            threats=self._threat_settings(),
            checks=LocalExecutor(self.check_workers, self._start_method),
        )
        self.settings["synq_services"] = self.services
        self.rate_limiter = self._rate_limiter()
        self.settings["synq_rate_limiter"] = self.rate_limiter
        if self.serverapp is not None:
            from synq_jupyter_server.security.authorizer import accept_synq_authorizer
            from synq_jupyter_server.security.key_identity import accept_api_keys

            api_path = url_path_join(self.serverapp.base_url, "synq", "api") + "/"
            services = self.services
            provider = self.serverapp.identity_provider
            accept_api_keys(provider, services.api_keys, services.tokens, api_path)
            accept_synq_authorizer(
                self.serverapp.authorizer, services.orgs, services.mfa, self._platform_roles()
            )
        self.log.info(
            "SynQ API at %ssynq/api/ (database %s, %s job executor)",
            self.serverapp.base_url if self.serverapp else "/",
            database.safe_url,
            self.executor,
        )

    def _threat_settings(self) -> ThreatSettings:
        from synq_jupyter_server.security.threat_locations import LocationTable
        from synq_jupyter_server.security.threats import ThreatSettings

        return ThreatSettings(
            brute_force_failures=self.brute_force_failures,
            brute_force_window=self.brute_force_window,
            lockout=self.lockout_seconds,
            lockout_max=self.lockout_max_seconds,
            exfiltration_bytes=self.exfiltration_bytes,
            exfiltration_window=self.exfiltration_window,
            travel_kmh=self.travel_speed_kmh,
            locations=LocationTable.from_setting(self.ip_locations),
            learning=self.unusual_access_learning,
        )

    def _platform_roles(self) -> dict[str, PlatformRole]:
        from synq_jupyter_server.principal import local_owner, serves_one_owner

        roles: dict[str, PlatformRole] = dict.fromkeys(self.platform_admins, "admin")
        roles.update(dict.fromkeys(self.superadmins, "superadmin"))
        provider = self.serverapp.identity_provider if self.serverapp else None
        if self.owner_is_superadmin and provider is not None and serves_one_owner(provider):
            owner = str(self.settings.get("synq_owner") or local_owner())
            roles[owner] = "superadmin"
        return roles

    def _rate_limiter(self) -> RateLimiter:
        from synq_jupyter_server.security.rate_limit import MemoryStore, RateLimiter, RateLimits

        limits = RateLimits(self.rate_limit, self.anonymous_rate_limit, self.rate_limit_window)
        store: RateLimitStore = MemoryStore()
        if self.redis_url:
            from synq_jupyter_server.security.rate_limit_redis import RedisStore

            store = RedisStore.from_url(self.redis_url)
        return RateLimiter(store, limits, self.rate_limit_prefix)

    @property
    def _start_method(self) -> StartMethod:
        return cast("StartMethod", self.worker_start_method)  # the Enum checked it

    def _job_executor(self) -> Any:
        if self.executor == "dask":
            from synq_jupyter_server.jobs.dask_executor import DaskJobExecutor

            return DaskJobExecutor(self.dask_scheduler_address or None, self.job_workers)
        if self.executor != "local":
            raise ValueError(f"SynqApp.executor must be 'local' or 'dask', not {self.executor!r}")
        from synq_jupyter_server.jobs.local_executor import LocalJobExecutor

        return LocalJobExecutor(self.job_workers, self._start_method)

    async def _start_jupyter_server_extension(self, serverapp: Any) -> None:
        self.services.start()
        _freeze_startup_objects()
        # Kernels inherit the server's environment: this is how %%synq --submit and
        # synq_jupyter.submit() find the API (the port is known only once the server runs).
        os.environ["SYNQ_API_URL"] = url_path_join(serverapp.connection_url, "synq", "api", "")
        token = getattr(serverapp.identity_provider, "token", "")
        if token:
            os.environ["SYNQ_API_TOKEN"] = token

    def initialize_handlers(self) -> None:
        from synq_jupyter_server.routes import tornado_handlers

        self.handlers.extend(tornado_handlers())

    async def stop_extension(self) -> None:
        services = getattr(self, "services", None)
        if services is not None:
            await services.close()
        limiter = getattr(self, "rate_limiter", None)
        if limiter is not None:
            await limiter.close()


def _freeze_startup_objects() -> None:
    """Moves what starting the server made (modules, routes, services: it lives as long
    as the server) out of the cyclic collector's reach, once per process. A full collection
    then walks only what requests made: under load it paused the server for 156 ms, and 2 ms
    after this (``bench/submit_throughput.py``'s p99 follows it)."""
    if not gc.get_freeze_count():
        gc.collect()
        gc.freeze()


main = launch_new_instance = SynqApp.launch_instance
