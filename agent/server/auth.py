"""Bearer tokens of `engram serve`, scoped to one bank, optionally read-only.

A token reads ``eng_<id>_<secret>``: `id` is its public handle (`engram token list`, `revoke`),
the secret 32 random bytes. Only the SHA-256 of the whole token is stored (`engram_tokens`,
migration 0019); a high-entropy random secret needs no slow hash, and the lookup is by the
hash's unique index. Revocation and new tokens take effect on the next request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from agent.server.errors import BadRequest, Forbidden, NotFoundError, Unauthorized
from storage.db import Database
from storage.schema import ApiToken, utcnow

__all__ = ["Principal", "LOCAL", "TokenStore", "authorize", "bearer_token"]

PREFIX = "eng_"
_TOKEN = re.compile(r"^eng_([0-9a-f]{8})_([A-Za-z0-9_-]{20,})$")


@dataclass(frozen=True)
class Principal:
    """Who is calling: one bank (None: every bank), and whether writes are allowed."""

    id: str
    bank: str | None
    read_only: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "bank": self.bank, "read_only": self.read_only}


LOCAL = Principal("local", None, False)  # `engram serve --local` and `engram mcp` over stdio


def authorize(who: Principal, bank: str, *, write: bool) -> None:
    """Forbidden unless `who` may read (or `write`) `bank`."""
    if who.bank is not None and who.bank != bank:
        raise Forbidden(f"this token is for bank {who.bank!r}; it cannot reach bank {bank!r}")
    if write and who.read_only:
        raise Forbidden(f"this token is read-only; it cannot change bank {bank!r}")


def bearer_token(header: str | None) -> str:
    """The token of an ``Authorization: Bearer ...`` header, or Unauthorized."""
    if not header:
        raise Unauthorized("missing token: send 'Authorization: Bearer <token>' "
                           "(create one with `engram token create --bank NAME`)")  # fmt: skip
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("the Authorization header must read 'Bearer <token>'")
    return value.strip()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class TokenStore:
    """Tokens in the SQL store of a memory (the same database as its facts)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create(
        self, bank: str, *, read_only: bool = False, label: str = ""
    ) -> tuple[str, ApiToken]:
        """A new token for `bank`: (the token, shown once; its stored row)."""
        bank = bank.strip() if isinstance(bank, str) else ""
        if not bank or "\x00" in bank:
            raise BadRequest("invalid bank: must be a non-empty name without NUL bytes")
        if "\x00" in label:
            raise BadRequest("invalid label: contains NUL bytes")
        tid = secrets.token_hex(4)
        token = f"{PREFIX}{tid}_{secrets.token_urlsafe(32)}"
        row = ApiToken(id=tid, token_hash=_hash(token), bank=bank, read_only=read_only,
                       label=label)  # fmt: skip
        with self.db.session() as s:
            s.add(row)
        return token, row

    def verify(self, token: str) -> Principal:
        """The principal of a live token, or Unauthorized (unknown, malformed or revoked)."""
        m = _TOKEN.match(token)
        if m is None:
            raise Unauthorized("unknown token")
        digest = _hash(token)
        with self.db.session() as s:
            row = s.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
        if row is None or not hmac.compare_digest(row.token_hash, digest) or row.id != m[1]:
            raise Unauthorized("unknown token")
        if row.revoked_at is not None:
            raise Unauthorized(f"token {row.id} was revoked")
        return Principal(row.id, row.bank, row.read_only)

    def list(self, *, include_revoked: bool = False) -> list[dict[str, Any]]:
        with self.db.session() as s:
            q = select(ApiToken).order_by(col(ApiToken.created_at))
            rows = [r for r in s.exec(q).all() if include_revoked or r.revoked_at is None]
        return [
            {"id": r.id, "bank": r.bank, "read_only": r.read_only, "label": r.label,
             "created_at": r.created_at.isoformat(),
             "revoked_at": r.revoked_at.isoformat() if r.revoked_at else None}
            for r in rows
        ]  # fmt: skip

    def revoke(self, token_id: str) -> dict[str, Any]:
        with self.db.session() as s:
            row = s.get(ApiToken, token_id)
            if row is None:
                raise NotFoundError(f"no token {token_id!r} (see `engram token list`)")
            if row.revoked_at is None:
                row.revoked_at = utcnow()
                s.add(row)
            return {"id": row.id, "bank": row.bank, "revoked_at": row.revoked_at.isoformat()}
