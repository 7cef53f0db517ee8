"""Paths under ``/synq/api`` that no route matches."""

from __future__ import annotations

from jupyter_server.utils import url_path_join
from tornado import web

from synq_jupyter_server.handlers.base import API_PREFIX, RequestError, SynqHandler
from synq_jupyter_server.schemas.base import FieldError


class NoRouteHandler(SynqHandler):
    """Any path under ``/synq/api`` that no route matches: a 404 naming the path, as
    problem+json (Jupyter's own 404 is an HTML page). Nobody signed in gets the sign-in
    refusal any route gives them, so it tells them nothing about which paths exist."""

    # Not @authorized: there is nothing to authorize, and a role refused here would say
    # "forbidden" about a path that does not exist.
    @web.authenticated
    def get(self) -> None:
        message = f"no such route: {self.request.method} {self.request.path}"
        spec = url_path_join(self.base_url, API_PREFIX, "openapi.json")
        errors = [FieldError(field="path", message=message)]
        raise RequestError(404, f"{message}; the routes are listed in {spec}", errors)

    head = post = put = patch = delete = get
