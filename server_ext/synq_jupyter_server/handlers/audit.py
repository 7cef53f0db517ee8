"""``/synq/api/security/audit``: read, export and verify the organisation's audit log."""

from __future__ import annotations

import asyncio

from jupyter_server.auth.decorator import authorized
from tornado import web

from synq_jupyter_server.handlers.base import Operation, SynqHandler
from synq_jupyter_server.schemas.audit import AuditEntry, AuditPage, AuditQuery, AuditVerification
from synq_jupyter_server.security.audit import ExportFormat
from synq_jupyter_server.security.audit_records import AuditFilter

MEDIA_TYPES: dict[ExportFormat, str] = {"jsonl": "application/x-ndjson", "csv": "text/csv"}


class AuditHandler(SynqHandler):
    auth_resource = "synq:security"
    operations = {
        "get": Operation(
            query=AuditQuery,
            summary="My organisation's audit log, newest first; filter, page or export",
            description="Query parameters: actor, action, outcome (exact matches), since "
            "(inclusive) and until (exclusive) as ISO 8601 (write UTC as `Z`), limit (1-500), "
            "cursor (from `next_cursor`). `format=jsonl` (`application/x-ndjson`) or "
            "`format=csv` (`text/csv`) streams every matching entry instead, oldest first, "
            "as a download; it refuses limit and cursor (422). A JSON line holds the fields its "
            "`hash` was taken over, so an export can be checked offline. API keys need "
            "`org:admin`.",
            response=AuditPage,
            downloads=tuple(MEDIA_TYPES.values()),
            errors=(401, 403, 422),
            tags=("security",),
        ),
    }

    @web.authenticated
    @authorized
    async def get(self) -> None:
        query = self.parse_query(AuditQuery)
        org_id = self.actor.org_id
        if query.format != "json":
            await self._export(org_id, query.filters(), query.format)
            return
        records, cursor = await asyncio.to_thread(
            self.services.audit.query, org_id, query.filters(), query.cursor, query.limit
        )
        entries = [AuditEntry.model_validate(r, from_attributes=True) for r in records]
        self.write_model(AuditPage(entries=entries, next_cursor=cursor))

    async def _export(self, org_id: str, filters: AuditFilter, fmt: ExportFormat) -> None:
        media_type = MEDIA_TYPES[fmt]
        self.set_header("Content-Type", media_type)
        self.set_header("Content-Disposition", f'attachment; filename="synq-audit.{fmt}"')
        chunks = self.services.audit.export(org_id, filters, fmt)
        while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
            self.write(chunk)
            await self.flush()
        self.finish(set_content_type=media_type)


class AuditVerifyHandler(SynqHandler):
    auth_resource = "synq:security"
    operations = {
        "get": Operation(
            summary="Check my organisation's audit chain for edited or deleted entries",
            description="Walks the chain from its first entry. `ok` is false when an entry "
            "was edited, deleted (in the middle or at the end) or added outside the log; "
            "`broken` names the first such entry. Record `head_seq` and `head_hash` elsewhere "
            "now and then: if that entry later has another hash (exports show it), the log "
            "was rewritten. API keys need `org:admin`.",
            response=AuditVerification,
            tags=("security",),
        ),
    }

    @web.authenticated
    @authorized
    async def get(self) -> None:
        org_id = self.actor.org_id
        report = await asyncio.to_thread(self.services.audit.verify, org_id)
        self.write_model(AuditVerification.of(report))
