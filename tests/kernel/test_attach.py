"""``attach`` takes a job's full id or the 12-character start the job widget shows."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from synq_jupyter.errors import SynqInputError
from synq_jupyter.kernel.client import SynqClient
from synq_jupyter.kernel.job_handle import attach
from tests.kernel.scripted_api import Api

WANTED = "5ef9a63ee3914a68973bb28f2afacf37"
OTHER = "0b1c2d3e4f5a4b6c8d9e0f1a2b3c4d5e"
TWIN = "5ef9a63ee391ffffffffffffffffffff"


def page(ids: list[str], next_cursor: str | None) -> tuple[int, dict[str, str], dict]:
    return 200, {}, {"jobs": [{"id": i} for i in ids], "next_cursor": next_cursor}


def the_job(job_id: str) -> tuple[int, dict[str, str], dict]:
    return 200, {}, {"id": job_id, "status": "succeeded"}


def query(request: tuple[str, str, bytes]) -> dict[str, Any]:
    return {k: v[0] for k, v in parse_qs(urlsplit(request[1]).query).items()}


def test_a_short_id_is_found_on_a_later_page_of_my_jobs(api: Api) -> None:
    api.answers = [page([OTHER], "c1"), page([WANTED], "c2"), the_job(WANTED)]
    handle = attach(WANTED[:12], SynqClient(api.url, token="t"))
    assert handle.id == WANTED
    first, second, read = api.requests
    assert "cursor" not in query(first)
    assert query(second)["cursor"] == "c1"
    assert urlsplit(read[1]).path.endswith(f"/jobs/{WANTED}")


def test_a_short_id_of_two_jobs_is_ambiguous(api: Api) -> None:
    api.answers = [page([WANTED, OTHER, TWIN], "c1")]
    with pytest.raises(SynqInputError, match="job id 5ef9a63ee391 is ambiguous: 2 jobs"):
        attach(WANTED[:12], SynqClient(api.url, token="t"))
    assert len(api.requests) == 1  # the first page with a match ends the search


def test_a_short_id_of_no_job_says_so(api: Api) -> None:
    api.answers = [page([OTHER], "c1"), page([], None)]
    with pytest.raises(SynqInputError) as refused:
        attach("abcdef123456", SynqClient(api.url, token="t"))
    assert str(refused.value) == "no job abcdef123456"


def test_an_unknown_full_id_says_so(api: Api) -> None:
    problem = {"status": 404, "detail": f"no job {OTHER}", "errors": []}
    api.answers = [(404, {}, problem)]
    with pytest.raises(SynqInputError) as refused:
        attach(OTHER, SynqClient(api.url, token="t"))
    assert str(refused.value) == f"no job {OTHER}"


@pytest.mark.parametrize(
    "job_id",
    ["../targets/aer_simulator?pad=xxxxxxxxxxxx", "../health?" + "a" * 32, "5ef9a63e/../x"],
)
def test_an_id_that_is_not_hex_is_refused_without_a_request(api: Api, job_id: str) -> None:
    """The id goes into the request's path: ``../`` would reach another route."""
    with pytest.raises(SynqInputError, match="is not a job id: an id is hex digits") as refused:
        attach(job_id, SynqClient(api.url, token="t"))
    assert refused.value.field == "job_id"
    assert api.requests == []
