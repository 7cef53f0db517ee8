"""``/synq/api/auth/mfa``: TOTP enrolment, verification and removal."""

from __future__ import annotations

import asyncio

from jupyter_server.auth.decorator import authorized
from tornado import web

from synq_jupyter.errors import SynqInputError
from synq_jupyter_server.handlers.base import Operation, SynqHandler
from synq_jupyter_server.schemas.auth import MfaCode, MfaSetup, MfaVerify, RecoveryCodes

_SERVER_LOGIN = "Needs the server's own login (token, password or Hub), not an API key."


class MfaSetupHandler(SynqHandler):
    auth_resource = "synq:auth"
    operations = {
        "post": Operation(
            summary="Start TOTP enrolment: an otpauth URI and its QR code",
            description="MFA is on once `POST /synq/api/auth/mfa/verify` accepts a code. "
            + _SERVER_LOGIN,
            response=MfaSetup,
            status=201,
            errors=(400, 401, 403, 422),
            tags=("auth",),
        ),
    }

    @web.authenticated
    @authorized
    async def post(self) -> None:
        setup = await asyncio.to_thread(self.services.mfa.setup, self.username)
        self.write_model(MfaSetup.model_validate(setup, from_attributes=True), status=201)


class MfaVerifyHandler(SynqHandler):
    auth_resource = "synq:auth"
    operations = {
        "post": Operation(
            summary="Turn MFA on with a first code; returns 10 single-use recovery codes",
            description="The code is the authenticator app's current one (6 digits 0-9), "
            "after `POST /synq/api/auth/mfa/setup`. While MFA is on, a 422 names `mfa`.",
            request=MfaVerify,
            response=RecoveryCodes,
            errors=(400, 401, 403, 422),
            tags=("auth",),
        ),
    }

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.parse_body(MfaVerify)
        codes = await asyncio.to_thread(self.services.mfa.verify, self.username, body.code)
        self.write_model(RecoveryCodes(recovery_codes=codes))


class MfaDisableHandler(SynqHandler):
    auth_resource = "synq:auth"
    operations = {
        "post": Operation(
            summary="Turn MFA off (needs a current or recovery code)",
            request=MfaCode,
            status=204,
            errors=(400, 401, 403, 422),
            tags=("auth",),
        ),
    }

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.parse_body(MfaCode)
        try:
            await asyncio.to_thread(self.services.mfa.disable, self.username, body.code)
        except SynqInputError as wrong:
            if wrong.field == "code":  # a wrong second factor: a failed authentication
                self.synq_refusal = "mfa_code"
            raise
        self.set_status(204)
        self.finish()
