"""Coordination between processes that share one memory.

- `BankSync.writing(banks)` serialises writers of a bank across processes and machines: a
  PostgreSQL advisory lock (session level, held across the SQL commit *and* the index writes that
  follow it), or an flock on a file next to the SQLite database. Inside, a writer sees every
  row other processes committed before, and its index writes cannot interleave with theirs.
- Each bank has a version in `engram_bank_clock`, bumped by every writer. A process compares it
  with the version it last saw to learn that another process wrote, and then drops its caches
  (entity resolver, entity graph) for that bank. `changed(bank)` gives readers the same signal.
- `FolderLock` gives an embedded Chroma folder a single owner process (Chroma's embedded search
  index goes stale across processes, see DEPENDENCIES.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import os
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import Database
from storage.errors import FolderBusy

__all__ = ["BankSync", "FolderLock", "advisory_key"]

_BUMP = text(
    "INSERT INTO engram_bank_clock (bank, version) VALUES (:b, 1) ON CONFLICT (bank) "
    "DO UPDATE SET version = engram_bank_clock.version + 1 RETURNING version"
)


_BUMP_REWRITES = text(
    "INSERT INTO engram_bank_rewrites (bank, version) VALUES (:b, 1) ON CONFLICT (bank) "
    "DO UPDATE SET version = engram_bank_rewrites.version + 1 RETURNING version"
)


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock."""
    return int.from_bytes(hashlib.sha1(name.encode()).digest()[:8], "big", signed=True)


@dataclass
class _Held:
    banks: list[str]
    stale: set[str] = field(default_factory=set)
    skipped: set[str] = field(default_factory=set)  # stale, but the holder did not catch up
    rewrites: dict[str, int] = field(default_factory=dict)  # bank -> rewrite version it bumped
    conn: Any = None  # PostgreSQL connection holding the advisory locks
    files: list[IO[bytes]] = field(default_factory=list)
    local: threading.Lock | None = None


class BankSync:
    """Per-bank writer lock and change clock for one database; `on_stale(bank)` is called when
    another process wrote to `bank` since this process last looked (drop caches there)."""

    def __init__(
        self,
        db: Database,
        on_stale: Callable[[str], None] | None = None,
        on_rewrite: Callable[[str, int], None] | None = None,
    ) -> None:
        self.db = db
        self.on_stale = on_stale
        self.on_rewrite = on_rewrite  # (bank, new version) after this process's rewrite succeeded
        self._seen: dict[str, int] = self._versions()
        self._local = threading.Lock()  # in-memory SQLite has no file to lock
        self._lock_file = self._sqlite_lock_path()

    def _versions(self) -> dict[str, int]:
        with self.db.engine.connect() as c:
            return {
                b: int(v) for b, v in c.execute(text("SELECT bank, version FROM engram_bank_clock"))
            }

    def _sqlite_lock_path(self) -> Path | None:
        if self.db.dialect != "sqlite":
            return None
        path = make_url(self.db.url).database
        if not path or path == ":memory:":
            return None
        return Path(path).with_name(Path(path).name + ".writers.lock")

    # -- readers ----------------------------------------------------------------------------
    def changed(self, bank: str) -> bool:
        """True (once) when another process wrote to `bank` since this process last looked;
        `on_stale` has then been called."""
        with self.db.engine.connect() as c:
            row = c.execute(
                text("SELECT version FROM engram_bank_clock WHERE bank = :b"), {"b": bank}
            ).first()
        version = int(row[0]) if row else 0
        if version == self._seen.get(bank, 0):
            return False
        self._seen[bank] = version
        if self.on_stale is not None:
            self.on_stale(bank)
        return True

    def rewrites(self, bank: str | None = None) -> dict[str, int]:
        """{bank: how many writes so far removed or relinked facts} (`writing(rewrite=True)`),
        for every bank or only `bank`."""
        q, params = "SELECT bank, version FROM engram_bank_rewrites", {}
        if bank is not None:
            q, params = q + " WHERE bank = :b", {"b": bank}
        with self.db.engine.connect() as c:
            return {b: int(v) for b, v in c.execute(text(q), params)}

    # -- writers ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(
        self, banks: Iterable[str], *, catch_up: bool = True, rewrite: bool = False
    ) -> Iterator[set[str]]:
        """Hold the writer lock of `banks`; yields the banks others changed (caches dropped).

        `catch_up=False` only serialises (e.g. index writes checked against SQL): caches are
        not dropped now, and the next hold that catches up still sees what others wrote.
        `rewrite=True` announces a write that removes or relinks facts (forget, merge, split):
        other processes then reload those banks' graphs instead of catching up."""
        held = self._acquire(banks, catch_up, rewrite)
        ok = False
        try:
            yield held.stale
            ok = True
        finally:
            self._release(held, ok)

    @contextlib.asynccontextmanager
    async def awriting(
        self, banks: Iterable[str], *, catch_up: bool = True, rewrite: bool = False
    ) -> AsyncIterator[set[str]]:
        """`writing` for async code: the wait for the lock happens in a worker thread."""
        held = await asyncio.to_thread(self._acquire, banks, catch_up, rewrite)
        ok = False
        try:
            yield held.stale
            ok = True
        finally:
            await asyncio.to_thread(self._release, held, ok)

    def _acquire(self, banks: Iterable[str], catch_up: bool = True, rewrite: bool = False) -> _Held:
        held = _Held(sorted(set(banks)))
        if not held.banks:
            return held
        self._lock(held)
        try:
            versions = self._bump(held.banks)
            if rewrite:
                held.rewrites = self._bump(held.banks, _BUMP_REWRITES)
        except BaseException:
            self._unlock(held)
            raise
        for b, v in versions.items():
            if v - 1 == self._seen.get(b, 0):
                continue
            if not catch_up:
                held.skipped.add(b)
                continue
            held.stale.add(b)
            if self.on_stale is not None:
                self.on_stale(b)
        return held

    def _release(self, held: _Held, ok: bool) -> None:
        if not held.banks:
            return
        try:
            versions = self._bump(held.banks)  # readers that looked mid-write look again
            for b, v in versions.items():
                if b not in held.skipped:  # a skipped bank stays behind: caught up next time
                    self._seen[b] = v if ok else -1  # after a failure, reload next time
            if ok and self.on_rewrite is not None:  # a failed rewrite may be half applied
                for b, v in held.rewrites.items():
                    self.on_rewrite(b, v)
        finally:
            self._unlock(held)

    def _bump(self, banks: list[str], bump: Any = _BUMP) -> dict[str, int]:
        with self.db.engine.begin() as c:
            return {b: int(c.execute(bump, {"b": b}).scalar_one()) for b in banks}

    def _lock(self, held: _Held) -> None:
        if self.db.dialect == "postgresql":
            conn = self.db.engine.connect()
            try:
                for b in held.banks:
                    conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": advisory_key(b)})
                conn.commit()
            except BaseException:
                conn.close()  # closing the session releases what was taken
                raise
            held.conn = conn
        elif self._lock_file is not None:
            f = open(self._lock_file, "ab")  # noqa: SIM115 - closed in _unlock
            fcntl.flock(f, fcntl.LOCK_EX)
            held.files.append(f)
        else:
            self._local.acquire()
            held.local = self._local

    def _unlock(self, held: _Held) -> None:
        if held.conn is not None:
            try:
                held.conn.execute(text("SELECT pg_advisory_unlock_all()"))
                held.conn.commit()
            finally:
                held.conn.close()
                held.conn = None
        for f in held.files:
            fcntl.flock(f, fcntl.LOCK_UN)
            f.close()
        held.files.clear()
        if held.local is not None:
            held.local.release()
            held.local = None


class FolderLock:
    """An exclusive, process-wide owner lock on a folder (refcounted inside one process, so the
    same process may open the folder many times). `acquire()` raises FolderBusy when another
    process holds it after `wait` seconds."""

    _held: dict[Path, tuple[IO[bytes], int]] = {}
    _guard = threading.Lock()

    def __init__(self, folder: Path | str, *, wait: float = 5.0) -> None:
        self.folder = Path(folder).resolve()
        self.path = self.folder / "engram-owner.lock"
        self.wait = wait
        self._mine = False

    def acquire(self) -> FolderLock:
        import time

        with self._guard:
            if self.folder in self._held:
                f, n = self._held[self.folder]
                self._held[self.folder] = (f, n + 1)
                self._mine = True
                return self
            self.folder.mkdir(parents=True, exist_ok=True)
            f = open(self.path, "a+b")  # noqa: SIM115 - kept open while owned
            deadline = time.monotonic() + self.wait
            while True:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        f.seek(0)
                        holder = f.read().decode(errors="replace").strip() or "unknown pid"
                        f.close()
                        raise FolderBusy(self.folder, holder) from None
                    time.sleep(0.1)
            f.truncate(0)
            f.write(f"pid {os.getpid()}".encode())
            f.flush()
            self._held[self.folder] = (f, 1)
            self._mine = True
            return self

    def release(self) -> None:
        with self._guard:
            if not self._mine or self.folder not in self._held:
                return
            self._mine = False
            f, n = self._held[self.folder]
            if n > 1:
                self._held[self.folder] = (f, n - 1)
                return
            del self._held[self.folder]
            fcntl.flock(f, fcntl.LOCK_UN)
            f.close()
