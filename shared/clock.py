"""The time every service runs on: the real UTC time, moved by an offset in tests and
development only.

A deadline counted in hours (a referral's, shared.db.utcnow's timestamps, Vietnam's "today")
is proven in a test by moving the clock past it, not by waiting for it. The offset is a
number of seconds (negative moves the clock back) in the file that `CTXH_CLOCK_OFFSET_FILE`
names, read by every process of the stack, so real processes move together when a test
rewrites it. Unset, `now()` is the real time and costs one environment lookup; set, the
file is read again only when it changes (its inode, modification time or size), so a test
replacing it (`write_offset`) is seen at the next call.

A process whose settings say `environment=production` refuses to start with the variable
set (shared.settings): production runs on the real clock.
"""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

OFFSET_FILE_VARIABLE = "CTXH_CLOCK_OFFSET_FILE"
_NO_OFFSET = timedelta()
# (path, inode, modification time, size) of the file last read, and what it held.
_read: tuple[tuple[str, int, int, int], timedelta] | None = None


def now() -> datetime:
    """The current instant, timezone-aware UTC, moved by the offset when one is set."""
    return datetime.now(UTC) + offset()


def offset() -> timedelta:
    global _read
    path = os.environ.get(OFFSET_FILE_VARIABLE)
    if not path:
        return _NO_OFFSET
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return _NO_OFFSET
    key = (path, found.st_ino, found.st_mtime_ns, found.st_size)
    if _read is None or _read[0] != key:
        _read = (key, _parse(path, Path(path).read_text(encoding="utf-8")))
    return _read[1]


def _parse(path: str, text: str) -> timedelta:
    try:
        return timedelta(seconds=float(text.strip() or 0))
    except ValueError:
        raise ValueError(
            f"{path}: expected a number of seconds, e.g. 86400, not {text!r}"
        ) from None


def write_offset(path: Path, moved: timedelta) -> None:
    """Move the clock of every process reading `path` (tests and tools). The file is
    replaced, never rewritten in place: a reader sees the old offset or the new one, and a
    new inode even when two writes fall within one tick of the file system's clock."""
    staged = path.with_name(f".{path.name}.{os.getpid()}")
    staged.write_text(f"{moved.total_seconds()}\n", encoding="utf-8")
    os.replace(staged, path)
