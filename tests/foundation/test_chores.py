"""A chore runs on its timer and survives its own failures."""

import asyncio

from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from shared.chores import Chore, run_chore


async def test_a_failing_chore_is_tried_again_at_its_next_turn(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'chores.db'}")
    stop = asyncio.Event()
    turns: list[int] = []

    async def flaky(connection: AsyncConnection) -> int:
        turns.append(len(turns))
        if len(turns) == 1:
            raise RuntimeError("the first turn fails")
        if len(turns) == 3:
            stop.set()
        return 1

    await asyncio.wait_for(run_chore(engine, Chore("flaky", 0.01, flaky), stop), 5)
    await engine.dispose()
    assert turns == [0, 1, 2]
