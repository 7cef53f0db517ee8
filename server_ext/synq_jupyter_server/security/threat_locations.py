"""Where a client address is: a configured table of IP ranges and the places they serve."""

from __future__ import annotations

import functools
import ipaddress
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EARTH_RADIUS_KM = 6371.0088
"""The mean radius of the Earth (IUGG)."""

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Location:
    """A named place, in degrees."""

    name: str
    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            raise ValueError(f"{self.name}: latitude or longitude out of range")

    def km_to(self, other: Location) -> float:
        """Great-circle distance (haversine) in kilometres."""
        lat1, lon1, lat2, lon2 = map(math.radians, (self.lat, self.lon, other.lat, other.lon))
        a = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class LocationTable:
    """CIDR ranges and their locations; the most specific range containing an address wins.

    Args:
        ranges: ``{"203.0.113.0/24": ["Sydney", -33.87, 151.21], ...}``; a location may
            also be written ``{"name": ..., "lat": ..., "lon": ...}``.

    Raises:
        ValueError: A range is not a network, or a location is not a name and coordinates.
    """

    def __init__(self, ranges: Mapping[str, Any] | None = None) -> None:
        entries: list[tuple[Network, Location]] = []
        for cidr, place in (ranges or {}).items():
            try:
                network = ipaddress.ip_network(cidr, strict=False)
            except ValueError as exc:
                raise ValueError(f"{cidr!r} is not an IP range: {exc}") from None
            entries.append((network, _location(cidr, place)))
        entries.sort(key=lambda entry: entry[0].prefixlen, reverse=True)
        self._entries = tuple(entries)
        # Bound per table, so that a replaced table does not keep the old one's answers.
        self.locate = functools.lru_cache(maxsize=4096)(self._locate)

    @classmethod
    def from_setting(cls, setting: Mapping[str, Any] | str) -> LocationTable:
        """A table from a mapping, or from the path of a JSON file holding one ("": empty)."""
        if isinstance(setting, str):
            if not setting:
                return cls()
            ranges = json.loads(Path(setting).expanduser().read_text(encoding="utf-8"))
            if not isinstance(ranges, dict):
                raise ValueError(f"{setting} must hold a JSON object of CIDR -> location")
            return cls(ranges)
        return cls(setting)

    def __len__(self) -> int:
        return len(self._entries)

    def _locate(self, address: str) -> Location | None:
        """The location of ``address``, or ``None`` when no range holds it (or it is not an
        IP address)."""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return None
        for network, location in self._entries:
            if ip.version == network.version and ip in network:
                return location
        return None


def _location(cidr: str, place: Any) -> Location:
    try:
        if isinstance(place, Mapping):
            return Location(str(place["name"]), float(place["lat"]), float(place["lon"]))
        name, lat, lon = place
        return Location(str(name), float(lat), float(lon))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{cidr}: a location is [name, lat, lon]: {exc}") from None
