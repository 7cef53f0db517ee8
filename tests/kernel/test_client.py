"""The kernel's REST client: it waits out the server's rate limit instead of failing the
cell, and says which fields a refused request got wrong."""

from __future__ import annotations

import pytest

from synq_jupyter.errors import SynqInputError
from synq_jupyter.kernel.client import ApiError, SynqClient
from tests.kernel.scripted_api import Api


def rate_limited(retry_after: str) -> tuple[int, dict[str, str], dict]:
    problem = {"status": 429, "detail": "rate limit exceeded (1000 requests per minute)"}
    return 429, {"Retry-After": retry_after}, problem


def test_a_rate_limited_submit_is_sent_again_after_retry_after(api: Api, capsys) -> None:
    api.answers = [rate_limited("7"), rate_limited("3"), (201, {}, {"id": "j1"})]
    waits: list[float] = []
    client = SynqClient(api.url, token="t", sleep=waits.append)
    assert client.request("POST", "jobs", json={"shots": 10}) == {"id": "j1"}
    assert waits == [7, 3]
    assert [r[2] for r in api.requests] == [b'{"shots": 10}'] * 3
    assert "rate limit is reached; retrying in 7 s" in capsys.readouterr().err


def test_a_plan_busy_with_running_jobs_is_sent_again_saying_so(api: Api, capsys) -> None:
    """The server's few seconds for a plan's jobs at once to free up: the line under the
    cell spoke of the rate limit."""
    detail = "2 jobs are queued or running; your plan allows 2 at once"
    errors = [{"field": "concurrent_jobs", "message": detail}]
    busy = (429, {"Retry-After": "5"}, {"status": 429, "detail": detail, "errors": errors})
    api.answers = [busy, (201, {}, {"id": "j1"})]
    waits: list[float] = []
    client = SynqClient(api.url, token="t", sleep=waits.append)
    assert client.request("POST", "jobs", json={}) == {"id": "j1"}
    assert waits == [5]
    assert f"SynQ: {detail}; retrying in 5 s" in capsys.readouterr().err


def test_it_gives_up_after_three_tries(api: Api) -> None:
    api.answers = [rate_limited("1")] * 3
    client = SynqClient(api.url, token="t", sleep=lambda _: None)
    with pytest.raises(ApiError) as refused:
        client.request("GET", "jobs")
    assert refused.value.status == 429
    assert len(api.requests) == 3


@pytest.mark.parametrize(
    "answer",
    [
        rate_limited("3600"),  # longer than the client will wait
        (429, {}, {"status": 429, "detail": "0 jobs at once"}),  # a quota no wait frees
    ],
)
def test_a_long_or_open_ended_refusal_is_raised_at_once(api: Api, answer) -> None:
    api.answers = [answer]
    client = SynqClient(api.url, token="t", sleep=lambda _: pytest.fail("it waited"))
    with pytest.raises(ApiError) as refused:
        client.request("POST", "jobs", json={})
    assert refused.value.status == 429
    assert len(api.requests) == 1


def invalid_fields(detail: str, *errors: tuple[str, str]) -> tuple[int, dict[str, str], dict]:
    problem = {
        "type": "urn:synq:problem:unprocessable-content",
        "title": "Unprocessable Content",
        "status": 422,
        "detail": detail,
        "errors": [{"field": field, "message": message} for field, message in errors],
    }
    return 422, {"Content-Type": "application/problem+json"}, problem


def test_a_refusal_names_every_invalid_field_and_why(api: Api) -> None:
    api.answers = [
        invalid_fields(
            "the request has invalid fields",
            ("shots", "Input should be greater than or equal to 1"),
            ("seed", "Input should be greater than or equal to 0"),
        )
    ]
    client = SynqClient(api.url, token="t")
    with pytest.raises(SynqInputError) as refused:
        client.request("POST", "jobs", json={"shots": -1, "seed": -1})
    assert str(refused.value) == (
        "shots: Input should be greater than or equal to 1; "
        "seed: Input should be greater than or equal to 0"
    )
    assert refused.value.field == "shots"


def test_a_refusal_whose_detail_says_it_all_keeps_its_detail(api: Api) -> None:
    where = "line 2, column 9: unknown gate 'cnot'"
    api.answers = [invalid_fields(where, ("source", where))]
    client = SynqClient(api.url, token="t")
    with pytest.raises(SynqInputError) as refused:
        client.request("POST", "jobs", json={"source": "..."})
    assert str(refused.value) == where


@pytest.mark.parametrize(
    "problem",
    [
        {"status": 403, "detail": "Forbidden", "errors": []},
        {
            "status": 403,
            "detail": "Forbidden",
            "errors": [{"field": "Authorization", "message": "sign in: ..."}],
        },
    ],
)
def test_the_servers_refusal_of_the_kernels_token_says_so(api: Api, problem: dict) -> None:
    api.answers = [(403, {}, problem)]
    with pytest.raises(ApiError) as info:
        SynqClient(api.url, token="t").request("GET", "jobs")
    assert "refused this kernel's token" in str(info.value)


def test_a_page_instead_of_the_api_says_the_url_may_be_wrong(api: Api) -> None:
    """Jupyter's HTML 404 page for a wrong base URL was quoted as the message."""
    api.answers = [(404, {}, "<!DOCTYPE HTML>\n<html><head><title>404</title></head></html>")]
    client = SynqClient(api.url, token="t")
    with pytest.raises(ApiError) as refused:
        client.request("GET", "jobs")
    message = str(refused.value)
    assert "<" not in message
    assert f"from {api.url}jobs, which did not answer as the SynQ API; is $SYNQ_API_URL" in message


def test_an_internal_error_shows_the_correlation_id_it_asks_to_quote(api: Api) -> None:
    problem = {
        "status": 500,
        "detail": "internal error; quote the correlation id",
        "correlation_id": "0306ec2d9f",
    }
    api.answers = [(500, {}, problem)]
    with pytest.raises(ApiError, match="quote the correlation id: 0306ec2d9f"):
        SynqClient(api.url, token="t").request("POST", "jobs", json={})


def test_a_refusal_of_one_item_of_a_list_names_the_item() -> None:
    from synq_jupyter.kernel.client import problem_message

    def refusal(field: str, message: str) -> str:
        problem = {"detail": message, "errors": [{"field": field, "message": message}]}
        return problem_message(422, problem)

    wrong = "'XYZ' must be 2 letters of I, X, Y, Z (the circuit has 2 qubits)"
    assert refusal("observables[0]", wrong) == f"observables[0]: {wrong}"
    # A message that names its field, or a circuit's (which names its line), is kept.
    assert refusal("target", "unknown target 'x'") == "unknown target 'x'"
    assert refusal("source", "line 2, column 9: unknown gate 'hx'").startswith("line 2")
