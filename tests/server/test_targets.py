"""GET /synq/api/targets and /synq/api/targets/{name}."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError

EXPECTED = {
    "aer_simulator",
    "aer_noisy_torino",
    "ibm_brisbane",
    "ibm_torino",
    "ionq_aria_1",
    "ionq_forte_1",
    "rigetti_ankaa_3",
}


async def test_catalogue_lists_every_target_with_its_width(api):
    body = json.loads((await api("targets")).body)
    by_name = {t["name"]: t for t in body["targets"]}
    assert set(by_name) == EXPECTED
    assert by_name["ibm_torino"]["num_qubits"] == 133
    assert by_name["ibm_brisbane"]["num_qubits"] == 127
    assert by_name["ionq_aria_1"]["num_qubits"] == 25
    assert by_name["ionq_forte_1"]["num_qubits"] == 36
    assert by_name["rigetti_ankaa_3"]["num_qubits"] == 84
    assert by_name["aer_simulator"]["simulator"] is True
    assert by_name["ionq_aria_1"]["all_to_all"] is True


async def test_target_detail_has_basis_connectivity_errors_region_and_price(api):
    detail = json.loads((await api("targets", "ibm_torino")).body)
    assert detail["provider"] == "ibm"
    assert detail["basis_gates"] == ["cz", "id", "rz", "sx", "x"]
    assert [0, 1] in detail["coupling_map"]
    assert all(0 <= a < 133 and 0 <= b < 133 for a, b in detail["coupling_map"])
    assert 0 < detail["calibration"]["median_2q_error"] < 0.05
    assert detail["region"] == "us-east"
    assert detail["pricing"]["model"] == "per_second"
    assert detail["pricing"]["source"]
    assert detail["pricing"]["as_of"]
    drawing = detail["connectivity"]
    assert drawing["layout"] == "lattice"
    assert len(drawing["positions"]) == len(drawing["qubit_errors"]) == 133
    assert len(drawing["links"]) == len(drawing["link_errors"]) == len(detail["coupling_map"]) // 2


async def test_all_to_all_device_has_null_coupling_map(api):
    detail = json.loads((await api("targets", "ionq_forte_1")).body)
    assert detail["coupling_map"] is None
    assert detail["basis_gates"] == ["gpi", "gpi2", "zz"]
    assert detail["pricing"]["per_shot"] > 0


async def test_rigetti_lattice_is_a_square_grid(api):
    detail = json.loads((await api("targets", "rigetti_ankaa_3")).body)
    degrees: dict[int, int] = {}
    for a, _ in detail["coupling_map"]:
        degrees[a] = degrees.get(a, 0) + 1
    assert max(degrees.values()) == 4  # inner qubits of a square lattice
    assert min(degrees.values()) == 2  # corners
    assert detail["basis_gates"] == ["iswap", "rz", "sx", "x"]


async def test_unknown_target_is_404_naming_the_field(api, problem):
    with pytest.raises(HTTPClientError) as info:
        await api("targets", "ibm_nowhere")
    body = problem(info.value)
    assert info.value.code == 404
    assert body["errors"][0]["field"] == "name"
    assert "ibm_torino" in body["detail"]


async def test_targets_need_authentication(api):
    with pytest.raises(HTTPClientError) as info:
        await api("targets", headers={"Authorization": ""})
    assert info.value.code == 403
