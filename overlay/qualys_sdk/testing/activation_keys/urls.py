"""QPS activation-key routes: ``/qps/rest/1.0/<action>/ca/agentactkey[/][<id>]`` to their handlers.

The handlers are in :mod:`.responses`.
"""

from __future__ import annotations

from starlette.routing import Route

from ..state import World
from . import responses

PREFIX = "/qps/rest/1.0"

#: (action, handler, methods): get answers GET as well as POST.
url_paths: list[tuple[str, responses.Handler, list[str]]] = [
    ("create", responses.create, ["POST"]),
    ("update", responses.update, ["POST"]),
    ("search", responses.search, ["POST"]),
    ("get", responses.get, ["GET", "POST"]),
    ("delete", responses.delete, ["POST"]),
]
#: Actions whose path may end in the key's id, and those that need it there (update may name its key in the body).
_ID_IN_PATH = frozenset({"update", "get", "delete"})
_ID_REQUIRED = frozenset({"get", "delete"})


def routes(world: World) -> list[Route]:
    """The activation-key routes: with and without a trailing slash, and with the key's id where it may be."""
    found = []
    for action, handler, methods in url_paths:
        run = responses.endpoint(world, handler, needs_id=action in _ID_REQUIRED)
        base = f"{PREFIX}/{action}/ca/agentactkey"
        found += [Route(base, run, methods=methods), Route(f"{base}/", run, methods=methods)]
        if action in _ID_IN_PATH:
            found.append(Route(base + "/{key_id}", run, methods=methods))
    return found
