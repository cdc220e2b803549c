"""ETag / If-Match: a change must name the version it was made against, or it is refused."""

import re
from typing import Annotated

from fastapi import Depends, Header

from shared.errors import PreconditionFailed, PreconditionRequired

# Marks a header the document declares required though the code takes it as optional, so that
# a missing one is a 428 saying what to send rather than a generic 422 (shared.openapi).
REQUIRED_IN_DOCUMENT = "x-ctxh-required"


async def _if_match(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description="The ETag of the version being changed",
            json_schema_extra={REQUIRED_IN_DOCUMENT: True},
        ),
    ] = None,
) -> str | None:
    return if_match


async def _if_match_to_replace(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description="The ETag of the record being replaced; leave it out to create one",
        ),
    ] = None,
) -> str | None:
    return if_match


IfMatchHeader = Annotated[str | None, Depends(_if_match)]
# For a PUT that creates the record when it does not exist yet, and replaces it otherwise.
IfMatchToReplace = Annotated[str | None, Depends(_if_match_to_replace)]


VERSION_TAG = re.compile(r'"[1-9][0-9]{0,8}"')


def etag(version: int) -> str:
    return f'"{version}"'


def _offered(if_match: str | None) -> list[str]:
    if if_match is None:
        raise PreconditionRequired("send If-Match with the ETag you last read")
    offered = [tag.strip().removeprefix("W/") for tag in if_match.split(",")]
    if "*" in offered:
        # "Any version" would let a client overwrite changes it never saw.
        raise PreconditionRequired("If-Match: * is not accepted; send the ETag you last read")
    return offered


def _stale(current_version: int) -> PreconditionFailed:
    return PreconditionFailed(
        "the record changed since you read it; reload and reapply your change",
        current_etag=etag(current_version),
    )


def check_if_match(if_match: str | None, current_version: int) -> None:
    """Raise 428 when If-Match is missing, 412 when it names another version."""
    if etag(current_version) not in _offered(if_match):
        raise _stale(current_version)


def offered_version(if_match: str | None, current_version: int) -> int:
    """The version If-Match names, which may be older than the current one (an edit made
    offline, for shared.edit_merge to merge): 428 as check_if_match, 412 for a tag that
    names no version the record has had."""
    offered = _offered(if_match)
    if etag(current_version) in offered:
        return current_version
    older = [int(tag[1:-1]) for tag in offered if VERSION_TAG.fullmatch(tag)]
    older = [version for version in older if 1 <= version < current_version]
    if not older:
        raise _stale(current_version)
    return max(older)
