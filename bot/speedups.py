"""Fixes for four hot spots of Rasa 3.6's per-turn work (py-spy, bench/README.md).

1. Action replies are checked with the one-shot `jsonschema.validate()`, which
   re-checks the reply *schema itself* against the meta-schema on every call (2/3
   of a custom-action turn's CPU); and each event is then tried against all 23
   event schemas (`oneOf`), though only the one named by its "event" field can
   match. Here the schemas are compiled once and each event is checked against
   its own type's schema; a reply that fails that is checked again by the full
   schema, so it is rejected with exactly Rasa's ValidationError.
2. Every call to the action server opens a new HTTP session and connection.
   Here each endpoint keeps one session (keep-alive) per event loop.
3. Loading a tracker looks up each event's class by scanning all Event
   subclasses, once per event. Here the answer is remembered per type name.
4. Each message runs the model graph through dask's synchronous scheduler,
   whose bookkeeping costs more than the ten small nodes it runs. Here the same
   graph is run node by node in dependency order, in the same single thread.
"""
from __future__ import annotations

import asyncio
import copy
import functools
import types
from typing import Any, Dict, List, Optional, Text, Type

import rasa.engine.runner.dask as rasa_dask_runner

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.utils.endpoints import EndpointConfig


@functools.lru_cache(maxsize=1)
def _reply_validator():
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@functools.lru_cache(maxsize=1)
def _per_type_validators():
    """A validator for the reply without its events, and one per event type."""
    schema = copy.deepcopy(RemoteAction.action_response_format_spec())
    validator_class = validators.validator_for(schema)
    items = schema["properties"]["events"]["items"]
    common = {key: value for key, value in items.items() if key != "oneOf"}
    branches: Dict[Text, list] = {}
    for branch in items["oneOf"]:
        branches.setdefault(branch["properties"]["event"]["const"], []).append(branch)
    schema["properties"]["events"] = {"type": "array"}
    per_type = {name: validator_class({**common, "allOf": found}) for name, found in branches.items() if len(found) == 1}
    return validator_class(schema), per_type


def quickly_valid(result: Any) -> bool:
    """True only for replies the full schema accepts (False means: ask the full schema)."""
    outer, per_type = _per_type_validators()
    if not outer.is_valid(result):
        return False
    for event in result.get("events") or []:
        name = event.get("event") if isinstance(event, dict) else None
        if not isinstance(name, str) or name not in per_type or not per_type[name].is_valid(event):
            return False
    return True


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    if quickly_valid(result):
        return True
    error = exceptions.best_match(_reply_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


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

    session.care_clock_kept = True
    return session


_event_classes: Dict[tuple, Optional[Type[Event]]] = {}


def remembered(resolve):
    @functools.wraps(resolve)
    def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        key = (type_name, default)
        if key not in _event_classes:
            _event_classes[key] = resolve(type_name, default)  # raises for unknown names: not remembered
        return _event_classes[key]

    return staticmethod(resolve_by_type)


def run_graph(graph: Dict[Text, Any], targets: List[Text]) -> List[Any]:
    """What `dask.get` computes for Rasa's graphs: each task `(node, *needed keys)`
    called once with its dependencies' results; other entries are input values."""
    results: Dict[Text, Any] = {}

    def result(key: Text) -> Any:
        if key not in results:
            task = graph[key]
            if isinstance(task, tuple) and task and callable(task[0]):
                results[key] = task[0](*(result(arg) if isinstance(arg, str) and arg in graph else arg
                                         for arg in task[1:]))
            else:
                results[key] = task
        return results[key]

    return [result(target) for target in targets]


def install() -> None:
    """Apply the fixes (once)."""
    RemoteAction._validate_action_result = validate_action_result
    if not getattr(EndpointConfig.session, "care_clock_kept", False):
        EndpointConfig.session = keep_sessions(EndpointConfig.session)
        Event.resolve_by_type = remembered(Event.resolve_by_type)
        rasa_dask_runner.dask = types.SimpleNamespace(get=run_graph)
