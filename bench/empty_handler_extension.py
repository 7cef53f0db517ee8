"""A Jupyter server extension with one authenticated handler that returns ``{}``.

The baseline of ``submit_throughput.py``: what an authenticated request costs on this
server before SynQ does anything.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web


class EmptyHandler(APIHandler):
    auth_resource = "bench"

    @web.authenticated
    @authorized
    async def post(self) -> None:
        self.finish("{}")


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    return [{"module": "empty_handler_extension"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    pattern = url_path_join(serverapp.web_app.settings["base_url"], "bench", "empty")
    serverapp.web_app.add_handlers(".*$", [(pattern, EmptyHandler)])
