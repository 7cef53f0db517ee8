"""The OpenAPI document and a browsable API page that works without internet."""

from __future__ import annotations

import html
import json
from pathlib import Path

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import AuthenticatedFileHandler
from jupyter_server.utils import url_path_join
from tornado import web

from synq_jupyter_server.handlers.base import Operation, ProblemErrors, SynqHandler


def swagger_static_path() -> str:
    """Swagger UI's files, shipped by the swagger-ui-py package."""
    import swagger_ui

    return str(Path(swagger_ui.__file__).parent / "static")


class OpenAPIHandler(SynqHandler):
    auth_resource = "synq:docs"
    operations = {
        "get": Operation(summary="This API's OpenAPI 3.1 document", tags=("meta",)),
    }

    @web.authenticated
    @authorized
    async def get(self) -> None:
        from synq_jupyter_server.openapi import build_spec
        from synq_jupyter_server.routes import api_routes

        server = url_path_join(self.base_url, "synq", "api")
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(build_spec(api_routes(), server_url=server)))


class DocsStaticHandler(ProblemErrors, AuthenticatedFileHandler):
    """Swagger UI's files; a missing one is a problem+json 404, as under every API path."""

    auth_resource = "synq:docs"


class DocsHandler(ProblemErrors):
    """Swagger UI over ``openapi.json``, from files served by this server."""

    auth_resource = "synq:docs"

    @web.authenticated
    @authorized
    def get(self) -> None:
        api = url_path_join(self.base_url, "synq", "api")
        static = url_path_join(api, "docs", "static")
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(
            _PAGE.format(
                static=html.escape(static),
                spec=json.dumps(url_path_join(api, "openapi.json")),
            )
        )


_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>SynQ API</title>
  <link rel="stylesheet" href="{static}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{static}/swagger-ui-bundle.js"></script>
  <script>
    function xsrf() {{
      const m = document.cookie.match(/(?:^|; )_xsrf=([^;]*)/);
      return m ? decodeURIComponent(m[1]) : "";
    }}
    window.ui = SwaggerUIBundle({{
      url: {spec},
      dom_id: "#swagger-ui",
      deepLinking: true,
      requestInterceptor: (request) => {{
        request.headers["X-XSRFToken"] = xsrf();
        return request;
      }},
    }});
  </script>
</body>
</html>
"""
