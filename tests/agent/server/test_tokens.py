"""Bank-scoped tokens: stored hashed, verified, revoked, refused when malformed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from agent.server.auth import LOCAL, Principal, TokenStore, authorize, bearer_token
from agent.server.errors import BadRequest, Forbidden, NotFoundError, Unauthorized
from storage.db import Database, sqlite_url
from storage.schema import ApiToken


@pytest.fixture
def store(tmp_path: Path) -> TokenStore:
    return TokenStore(Database(sqlite_url(tmp_path / "engram.db")))


def test_tokens_are_stored_hashed_and_verified(store: TokenStore) -> None:
    token, row = store.create("team", read_only=True, label="ci bot")
    assert token.startswith(f"eng_{row.id}_") and len(token) > 40
    with store.db.session() as s:
        stored = s.exec(select(ApiToken)).one()
    assert token not in repr(stored.model_dump()) and stored.token_hash != token
    assert store.verify(token) == Principal(row.id, "team", read_only=True)
    assert store.list()[0]["label"] == "ci bot"


@pytest.mark.parametrize("bad", ["", "nope", "eng_zzzz_x", "eng_00000000_" + "a" * 43])
def test_unknown_or_malformed_tokens_are_unauthorized(store: TokenStore, bad: str) -> None:
    store.create("team")
    with pytest.raises(Unauthorized):
        store.verify(bad)


def test_a_tampered_token_is_unknown(store: TokenStore) -> None:
    token, _ = store.create("team")
    with pytest.raises(Unauthorized):
        store.verify(token[:-1] + ("A" if token[-1] != "A" else "B"))


def test_revoked_tokens_stop_working_at_once(store: TokenStore) -> None:
    token, row = store.create("team")
    store.revoke(row.id)
    with pytest.raises(Unauthorized, match="revoked"):
        store.verify(token)
    assert store.list() == [] and store.list(include_revoked=True)[0]["revoked_at"]
    with pytest.raises(NotFoundError):
        store.revoke("ffffffff")


def test_bad_banks_are_refused(store: TokenStore) -> None:
    for bank in ("", "  ", "a\x00b"):
        with pytest.raises(BadRequest):
            store.create(bank)


def test_authorize_and_the_bearer_header() -> None:
    authorize(LOCAL, "any", write=True)
    ro = Principal("t", "a", read_only=True)
    authorize(ro, "a", write=False)
    with pytest.raises(Forbidden, match="read-only"):
        authorize(ro, "a", write=True)
    with pytest.raises(Forbidden, match="bank 'a'"):
        authorize(ro, "b", write=False)
    assert bearer_token("Bearer abc") == "abc" and bearer_token("bearer  abc ") == "abc"
    for header in (None, "", "Basic abc", "Bearer "):
        with pytest.raises(Unauthorized):
            bearer_token(header)


def test_the_migration_creates_the_table_once(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "m.db")
    first = Database(url)
    assert "0019_api_tokens" in first.applied_migrations()
    assert Database(url).migrate() == []
