"""Lean routes: the hot reads, served without FastAPI's generic per-request solving.

FastAPI solves a route's parameters and dependencies again on every request, inspecting
their annotations each time; for a primary-key read that costs more CPU than the database
does (bench/README.md). A `LeanRoute` keeps the FastAPI declaration as it is: the OpenAPI
document, the access policy and the validation it describes. At start-up it plans how to
resolve the same arguments, and per request it only runs that plan:

- a path, query or header parameter is validated with pydantic against its own annotation,
  and a failure is the same `RequestValidationError` FastAPI raises;
- a dependency is resolved with its own parameters first, and called only if they are
  valid; the request itself is passed as is;
- errors are collected and raised in FastAPI's order (a dependency before the route's own
  parameters), so both ways give the same answer to the same request.

It takes only those kinds of parameter, each dependency once (FastAPI would share one
result), and endpoints that return a `Response`; anything else is refused when the route is
declared, never half-served. Setting `<SVC>_LEAN_ROUTES=false` serves the routes the
ordinary way; tests/foundation/test_lean_routes.py holds both ways to the same answers.
"""

import inspect
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, get_args, get_origin, get_type_hints

from fastapi import APIRouter, Request, Response, params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import TypeAdapter, ValidationError
from starlette.routing import BaseRoute

Errors = list[dict[str, Any]]


@dataclass(frozen=True)
class _Parameter:
    """One request parameter, with where it is read from and how it is checked."""

    name: str  # the argument's name
    source: str  # "path", "query" or "header"
    key: str  # its name in the request
    adapter: TypeAdapter[Any]
    required: bool
    default: Any

    def read(self, request: Request) -> tuple[Any, Errors]:
        if self.source == "path":
            raw = request.path_params.get(self.key)
        elif self.source == "query":
            raw = request.query_params.get(self.key)
        else:
            raw = request.headers.get(self.key)
        if raw is None:
            if self.required:
                where = (self.source, self.key)
                return None, [
                    {"type": "missing", "loc": where, "msg": "Field required", "input": None}
                ]
            return self.default, []
        try:
            return self.adapter.validate_python(raw), []
        except ValidationError as invalid:
            located: Errors = [
                {**error, "loc": (self.source, self.key, *error["loc"])}
                for error in invalid.errors(include_url=False)
            ]
            return None, located


@dataclass(frozen=True)
class _Dependency:
    name: str
    plan: "_Plan"


@dataclass(frozen=True)
class _Plan:
    """How to call one function: its request, dependencies and parameters, in order."""

    call: Callable[..., Awaitable[Any]]
    request_argument: str | None
    dependencies: Sequence[_Dependency]
    parameters: Sequence[_Parameter]

    async def arguments(self, request: Request) -> tuple[dict[str, Any], Errors]:
        values: dict[str, Any] = {}
        errors: Errors = []
        for dependency in self.dependencies:
            value, failed = await dependency.plan.resolve(request)
            errors += failed
            values[dependency.name] = value
        for parameter in self.parameters:
            value, failed = parameter.read(request)
            errors += failed
            values[parameter.name] = value
        if self.request_argument is not None:
            values[self.request_argument] = request
        return values, errors

    async def resolve(self, request: Request) -> tuple[Any, Errors]:
        values, errors = await self.arguments(request)
        if errors:
            return None, errors
        return await self.call(**values), []


_SOURCES = ("path", "query", "header")


def _source(declared: Any) -> str | None:
    for kind, source in ((params.Path, "path"), (params.Query, "query"), (params.Header, "header")):
        if isinstance(declared, kind):
            return source
    return None


def _parameter(name: str, annotation: Any, default: Any, path_names: set[str]) -> _Parameter:
    base, *metadata = get_args(annotation) if get_origin(annotation) is Annotated else (annotation,)
    declared = next((m for m in metadata if isinstance(m, params.Param)), None)
    source = _source(declared) if declared is not None else ("path" if name in path_names else None)
    if source is None:
        raise TypeError(f"a lean route cannot take {name!r}: not a path, query or header parameter")
    key = declared.alias if declared is not None and declared.alias else name
    if source == "header" and (declared is None or not declared.alias):
        key = name.replace("_", "-")
    # The constraints FastAPI checks (max_length, ge...) are the declaration's own.
    adapter: TypeAdapter[Any] = TypeAdapter(Annotated[base, declared] if declared else base)
    required = default is inspect.Parameter.empty and source == "path"
    if default is inspect.Parameter.empty and source != "path":
        raise TypeError(f"a lean route's {source} parameter {name!r} needs a default")
    return _Parameter(name, source, key, adapter, required, None if required else default)


def _dependency_of(annotation: Any) -> Callable[..., Any] | None:
    if get_origin(annotation) is not Annotated:
        return None
    depends = [m for m in get_args(annotation)[1:] if isinstance(m, params.Depends)]
    if not depends:
        return None
    if depends[0].dependency is None:
        raise TypeError("a lean route's dependencies name what they call")
    return depends[0].dependency


def plan(call: Callable[..., Any], path_names: set[str]) -> _Plan:
    """How to call `call` (an endpoint or a dependency) from a request, worked out once."""
    function = call if inspect.isfunction(call) else type(call).__call__
    if not inspect.iscoroutinefunction(function):
        raise TypeError(f"a lean route calls only async functions, not {call!r}")
    hints = get_type_hints(function, include_extras=True)
    request_argument = None
    dependencies, parameters = [], []
    for name, declared in inspect.signature(call).parameters.items():
        annotation = hints.get(name, Any)
        if inspect.isclass(annotation) and issubclass(Request, annotation):  # or HTTPConnection
            request_argument = name
        elif (dependency := _dependency_of(annotation)) is not None:
            dependencies.append(_Dependency(name, plan(dependency, path_names)))
        else:
            parameters.append(_parameter(name, annotation, declared.default, path_names))
    # FastAPI checks a function's path parameters, then its query, then its headers.
    parameters.sort(key=lambda parameter: _SOURCES.index(parameter.source))
    return _Plan(call, request_argument, dependencies, parameters)


def _calls(planned: _Plan) -> list[Callable[..., Any]]:
    return [planned.call] + [c for d in planned.dependencies for c in _calls(d.plan)]


class LeanRoute(APIRoute):
    """A route served by its plan (see the module's docstring), unless the service's
    settings say `lean_routes=False`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        ordinary = super().get_route_handler()
        if get_type_hints(self.endpoint).get("return") is not Response:
            raise TypeError(f"{self.path}: a lean route's endpoint returns a Response")
        endpoint = plan(self.endpoint, set(self.param_convertors))
        calls = _calls(endpoint)
        if len(set(calls)) != len(calls):  # FastAPI would call it once and share the result
            raise TypeError(f"{self.path}: a lean route takes each dependency once")

        async def handler(request: Request) -> Response:
            if not request.app.state.settings.lean_routes:
                return await ordinary(request)
            values, errors = await endpoint.arguments(request)
            if errors:
                raise RequestValidationError(errors)
            response: Response = await endpoint.call(**values)
            return response

        return handler


def check_lean_routes(routes: Sequence[BaseRoute]) -> None:
    """Refuse a lean route that is served with more than it declares: dependencies given
    to its router at include time would be solved by FastAPI, and skipped by the plan."""
    for route in iter_route_contexts(routes):
        original = route.original_route
        if not isinstance(original, LeanRoute):
            continue
        declared = [d.call for d in original.dependant.dependencies]
        served = [d.call for d in route.dependant.dependencies]
        if served != declared:
            raise TypeError(f"{route.path}: a lean route takes no dependencies from its router")


Endpoint = TypeVar("Endpoint", bound=Callable[..., Awaitable[Response]])


def lean_get(router: APIRouter, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
    """`@router.get(path, ...)`, served as a LeanRoute."""

    def register(endpoint: Endpoint) -> Endpoint:
        router.add_api_route(
            path, endpoint, methods=["GET"], route_class_override=LeanRoute, **options
        )
        return endpoint

    return register
