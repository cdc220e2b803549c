"""`/api/v1/inbox`: what waits for the caller's action, and marking items done, so the apps
show a badge from one request instead of polling every list."""

from fastapi import APIRouter

from services.cases.access.policy import CaseworkCaller
from services.cases.inbox import service
from services.cases.inbox.schemas import Inbox, InboxDoneRequest
from shared.db import SessionDep

router = APIRouter(prefix="/inbox", tags=["inbox"])


@router.get("")
async def get_inbox(
    session: SessionDep, principal: CaseworkCaller, include_done: bool = False
) -> Inbox:
    """New referrals to your facility, plans awaiting approval and consents about to expire
    in your scope, and your overdue follow-ups and reviews; most urgent first."""
    return await service.inbox(session, principal, include_done=include_done)


@router.post("/done")
async def mark_inbox_done(
    body: InboxDoneRequest, session: SessionDep, principal: CaseworkCaller
) -> Inbox:
    """Mark items done (by `key`): they leave your list and your count. Repeating is harmless;
    a key that is not in your inbox changes nothing you see."""
    await service.mark_done(session, principal, body.keys)
    return await service.inbox(session, principal, include_done=False)
