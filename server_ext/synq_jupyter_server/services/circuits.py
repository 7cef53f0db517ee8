"""Parse, transpile and analyse circuits; transpiles are recorded and reused."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from synq_jupyter.quantum.versions import library_versions
from synq_jupyter_server.db import Database
from synq_jupyter_server.db.models import TranspileRecord
from synq_jupyter_server.executor import LocalExecutor
from synq_jupyter_server.services.catalogue import CatalogueService
from synq_jupyter_server.tasks import analyze_task, parse_task, transpile_task


class CircuitService:
    """The circuit routes' behaviour; quantum work runs on the executor."""

    def __init__(
        self, database: Database, executor: LocalExecutor, catalogue: CatalogueService
    ) -> None:
        self._database = database
        self._executor = executor
        self._catalogue = catalogue

    async def parse(self, source: str, format: str | None) -> dict[str, Any]:
        return await self._executor.run(parse_task, source, format)

    async def transpile(
        self,
        owner: str,
        source: str,
        format: str | None,
        target: str,
        optimization_level: int,
        seed: int | None,
    ) -> dict[str, Any]:
        """Transpiles, or returns the record of an identical earlier transpile.

        Only seeded requests are reused: without a seed each call draws a new one.
        """
        await self._catalogue.require(target)
        key = None
        if seed is not None:
            key = _cache_key(source, format, target, optimization_level, seed)
            cached = await asyncio.to_thread(self._lookup, key)
            if cached is not None:
                return {**cached, "cached": True}
        result = await self._executor.run(
            transpile_task, source, format, target, optimization_level, seed
        )
        if key is None:
            key = _cache_key(source, format, target, optimization_level, result["report"]["seed"])
        await asyncio.to_thread(self._store, key, owner, source, result)
        return {**result, "cached": False}

    async def analyze(
        self, source: str, format: str | None, targets: list[str] | None
    ) -> dict[str, Any]:
        for name in targets or []:
            await self._catalogue.require(name, field="targets")
        return await self._executor.run(analyze_task, source, format, targets)

    def _lookup(self, key: str) -> dict[str, Any] | None:
        with self._database.session() as session:
            record = session.scalars(
                select(TranspileRecord).where(TranspileRecord.cache_key == key)
            ).one_or_none()
            if record is None:
                return None
            session.execute(
                update(TranspileRecord)
                .where(TranspileRecord.id == record.id)
                .values(hits=TranspileRecord.hits + 1)
            )
            return {"qasm3": record.qasm3, "report": record.report}

    def _store(self, key: str, owner: str, source: str, result: dict[str, Any]) -> None:
        report = result["report"]
        record = TranspileRecord(
            cache_key=key,
            owner=owner,
            target=report["target"],
            optimization_level=report["optimization_level"],
            seed=report["seed"],
            source_sha256=hashlib.sha256(source.encode()).hexdigest(),
            fingerprint=report["fingerprint"],
            qasm3=result["qasm3"],
            report=report,
        )
        try:
            with self._database.session() as session:
                session.add(record)
        except IntegrityError:
            pass  # an identical request stored the same result first


def _cache_key(
    source: str, format: str | None, target: str, optimization_level: int, seed: int
) -> str:
    material = {
        "source": source,
        "format": format,
        "target": target,
        "optimization_level": optimization_level,
        "seed": seed,
        "versions": library_versions(),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()
