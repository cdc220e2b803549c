"""The code lists each service serves under /reference: one route per table, the same shape
(`Labels`) and policy (any signed-in caller) for all of them."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import APIRouter

from shared.access import AnyCaller
from shared.labels import Code, Labels, labels


@dataclass(frozen=True, slots=True)
class CodeList:
    """A table served at `path`; `description` becomes the operation's summary and text."""

    path: str
    table: dict[str, Code]
    description: str

    @property
    def operation_id(self) -> str:
        # /service-types -> list_service_types: the ids these routes always had.
        return "list_" + self.path.strip("/").replace("-", "_")


def _lister(table: dict[str, Code]) -> Callable[[AnyCaller], Awaitable[Labels]]:
    async def list_codes(_: AnyCaller) -> Labels:
        return labels(table)

    return list_codes


def serve_code_lists(router: APIRouter, *lists: CodeList) -> None:
    for code_list in lists:
        router.add_api_route(
            code_list.path,
            _lister(code_list.table),
            methods=["GET"],
            name=code_list.operation_id,
            description=code_list.description,
            response_model=Labels,
        )
