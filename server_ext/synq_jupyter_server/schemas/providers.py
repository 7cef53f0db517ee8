"""Schemas of the provider credential routes."""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

from synq_jupyter_server.schemas.base import Request, Response


def _unbroken(text: str) -> bool:
    """Whether ``text`` is one printable word: no spaces or control characters."""
    return not any(c.isspace() or not c.isprintable() for c in text)


def _key_like(token: str) -> str:
    if not _unbroken(token):
        raise ValueError("an API key has no spaces or control characters; paste it alone")
    return token


def _crn_like(instance: str) -> str:
    if not _unbroken(instance):
        raise ValueError("an instance's CRN has no spaces or control characters")
    return instance


LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


def _api_url(url: str) -> str:
    """A provider's API: https, or plain http to this machine only (a local proxy or test
    server), since the token travels with every request; never a link-local address
    (169.254.169.254 is a cloud's metadata service, not a quantum provider)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("give an https:// URL with a host name")
    if parts.username or parts.password:
        raise ValueError("the URL must not carry a user name or password; the token is enough")
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        address = None
    if address is not None and address.is_link_local:
        raise ValueError(f"{parts.hostname} is a link-local address, not a provider's API")
    loopback = parts.hostname in LOOPBACK_NAMES or (address is not None and address.is_loopback)
    if parts.scheme == "http" and not loopback:
        raise ValueError("plain http is allowed to this machine only; use https")
    return url


class CredentialsPut(Request):
    token: Annotated[str, AfterValidator(_key_like)] = Field(
        min_length=1, max_length=4096, description="The provider's API key."
    )
    url: Annotated[str, AfterValidator(_api_url)] | None = Field(
        default=None,
        max_length=2048,
        description="API base URL; the provider's by default. https, or http to this machine only.",
    )
    instance: Annotated[str, AfterValidator(_crn_like)] | None = Field(
        default=None,
        max_length=1024,
        description="IBM only: the instance's CRN; the client picks one when null.",
    )


class ProviderStatus(Response):
    name: str
    configured: bool
    updated_at: datetime | None


class ProviderList(Response):
    providers: list[ProviderStatus]
