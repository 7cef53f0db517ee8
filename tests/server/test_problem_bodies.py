"""Refusals that Jupyter makes for SynQ (credentials, XSRF, unknown paths, the stream's
handshake) reach clients as problem+json naming what to fix, never as HTML."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError, HTTPResponse

from synq_jupyter_server.jobs.queue import NewJob
from synq_jupyter_server.principal import local_owner

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
pytestmark = sqlite_only

WRITES = ("POST", "PUT", "PATCH", "DELETE")
NO_CREDENTIALS: dict[str, str] = {}
WRONG_TOKEN = {"Authorization": "token wrong"}


@pytest.fixture
def raw(http_server_client, jp_base_url, started):
    """Requests ``/synq/api/...`` with exactly ``headers``: no token is added."""

    async def fetch(
        path: str, method: str = "GET", headers: dict[str, str] | None = None
    ) -> HTTPResponse:
        body = "{}" if method in ("POST", "PUT", "PATCH") else None
        return await http_server_client.fetch(
            f"{jp_base_url}synq/api/{path}",
            method=method,
            headers=headers or {},
            body=body,
            raise_error=False,
            follow_redirects=False,
        )

    return fetch


def problem_of(response: HTTPResponse) -> dict[str, Any]:
    assert response.headers["Content-Type"] == "application/problem+json", response.body
    return json.loads(response.body)


@pytest.mark.parametrize("method", WRITES)
@pytest.mark.parametrize("headers", [NO_CREDENTIALS, WRONG_TOKEN], ids=["none", "wrong-token"])
async def test_a_write_without_valid_credentials_is_told_to_sign_in_not_about_xsrf(
    raw, method, headers
):
    read = problem_of(await raw("jobs/1", headers=headers))
    response = await raw("jobs/1", method, headers)
    assert response.code == 403
    body = problem_of(response)
    assert body["errors"] == read["errors"]
    assert body["errors"][0]["field"] == "Authorization"
    assert body["detail"] == read["detail"]
    assert "xsrf" not in json.dumps(body).lower()


async def test_a_signed_in_browser_session_without_xsrf_is_told_about_xsrf(
    raw, jp_server_config, jp_serverapp
):
    # A token in the URL signs the browser in: the answer sets its login cookie.
    signed = await raw(f"auth/me?token={jp_serverapp.identity_provider.token}")
    assert signed.code == 200
    cookies = "; ".join(c.split(";", 1)[0] for c in signed.headers.get_list("Set-Cookie"))
    assert (await raw("auth/me", headers={"Cookie": cookies})).code == 200
    response = await raw("jobs", "POST", {"Cookie": cookies})
    assert response.code == 403
    assert "_xsrf" in problem_of(response)["detail"]


async def test_a_wrong_api_key_is_still_401_naming_the_header(raw):
    response = await raw("jobs", "POST", {"Authorization": "Bearer synq_wrong_key"})
    assert response.code == 401
    assert problem_of(response)["errors"][0]["field"] == "Authorization"


@pytest.mark.parametrize("method", ["GET", *WRITES])
async def test_an_unknown_path_under_the_api_is_a_404_naming_the_path(api, jp_serverapp, method):
    services = jp_serverapp.web_app.settings["synq_services"]
    job, _ = services.jobs.queue.submit(
        local_owner(), NewJob(kind="noop", target="aer_simulator", payload={"seconds": 0})
    )
    body = "{}" if method in ("POST", "PUT", "PATCH") else None
    with pytest.raises(HTTPClientError) as info:
        await api("jobs", job.id, "bogus", method=method, body=body)
    assert info.value.code == 404
    problem = problem_of(info.value.response)
    assert problem["errors"][0]["field"] == "path"
    assert f"{method} " in problem["errors"][0]["message"]
    assert problem["instance"].endswith(f"/synq/api/jobs/{job.id}/bogus")
    assert "openapi.json" in problem["detail"]


async def test_an_unknown_path_tells_nobody_signed_in_more_than_a_real_one(raw):
    unknown = await raw("no/such/route")
    real = await raw("jobs")
    assert unknown.code == real.code == 403
    assert problem_of(unknown)["errors"] == problem_of(real)["errors"]
    assert problem_of(unknown)["errors"][0]["field"] == "Authorization"


async def test_real_routes_still_answer_before_the_catch_all(api):
    assert (await api("jobs")).code == 200
    assert (await api("docs", "static", "swagger-ui.css")).code == 200


async def test_a_method_the_docs_page_does_not_take_is_a_problem(api):
    with pytest.raises(HTTPClientError) as info:
        await api("docs", method="POST", body="{}")
    assert problem_of(info.value.response)["status"] == info.value.code == 405
    assert info.value.response.headers["Allow"] == "GET"


@pytest.mark.parametrize(
    ("route", "method", "allowed"),
    [(("jobs",), "PUT", "GET, POST"), (("jobs", "batch"), "GET", "POST")],  # and OPTIONS
)
async def test_a_method_a_route_does_not_take_names_the_ones_it_does(api, route, method, allowed):
    """RFC 9110: a 405 carries Allow. It had neither the header nor a field."""
    body = "{}" if method == "PUT" else None
    with pytest.raises(HTTPClientError) as info:
        await api(*route, method=method, body=body)
    assert info.value.code == 405
    assert info.value.response.headers["Allow"] == f"{allowed}, OPTIONS"  # Jupyter's CORS
    want = f"{method} is not allowed here; use {allowed.replace(', ', ' or ')}"
    assert problem_of(info.value.response)["errors"] == [{"field": "method", "message": want}]


async def test_a_missing_docs_file_is_a_problem_not_an_html_page(api):
    with pytest.raises(HTTPClientError) as info:
        await api("docs", "static", "no-such-file.js")
    problem = problem_of(info.value.response)
    assert (info.value.code, problem["status"]) == (404, 404)
    assert problem["instance"].endswith("/synq/api/docs/static/no-such-file.js")


async def test_the_spec_does_not_list_the_catch_all(api):
    spec = json.loads((await api("openapi.json")).body)
    assert all("*" not in path and "(" not in path for path in spec["paths"])


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Authorization": ""}, 403),
        (WRONG_TOKEN, 403),
        ({"Authorization": "Bearer synq_wrong_key"}, 401),
    ],
    ids=["none", "wrong-token", "wrong-key"],
)
async def test_a_refused_stream_handshake_is_a_problem_naming_the_header(
    jp_ws_fetch, started, headers, status
):
    with pytest.raises(HTTPClientError) as info:
        await jp_ws_fetch("synq", "api", "jobs", "stream", headers=headers)
    assert info.value.code == status
    assert problem_of(info.value.response)["errors"][0]["field"] == "Authorization"


async def test_the_api_prefix_itself_is_a_404_naming_the_path(api):
    with pytest.raises(HTTPClientError) as info:
        await api()
    assert info.value.code == 404
    assert problem_of(info.value.response)["errors"][0]["field"] == "path"
