"""Fix: one kept HTTP session per action-server endpoint.

Replaces `EndpointConfig.session` (rasa/utils/endpoints.py), which opens a new
aiohttp session, and so a new connection, for every call to the action
server. Measured (py-spy, bench/README.md): 8% of the Rasa server's samples.
Each endpoint keeps one session per event loop; a closed one is replaced.
"""

from __future__ import annotations

import asyncio
import functools

from rasa.utils.endpoints import EndpointConfig

from .guard import Fix


class _KeptSession:
    """Stands in for `async with endpoint.session()`: the session stays open for the next call."""

    def __init__(self, endpoint: EndpointConfig, make_session) -> None:
        self.endpoint, self.make_session = endpoint, make_session

    async def __aenter__(self):
        loop = asyncio.get_running_loop()
        sessions = self.endpoint.__dict__.setdefault("_care_clock_sessions", {})
        session = sessions.get(loop)
        if session is None or session.closed:
            session = sessions[loop] = self.make_session(self.endpoint)
        return session

    async def __aexit__(self, *exc_info) -> None:
        return None


def keep_sessions(make_session):
    @functools.wraps(make_session)
    def session(self: EndpointConfig) -> _KeptSession:
        return _KeptSession(self, make_session)

    return session


FIX = Fix(
    name="kept-http-sessions",
    owner=EndpointConfig,
    attribute="session",
    expected_sha="e55aa13d9d4fb4bc440ac33b870a97ee162b76dda7ccb6bf68433567475fdffb",
    build=keep_sessions,
)
