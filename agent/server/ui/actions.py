"""Merge and split from the entity card, each behind a confirmation page.

    GET  /ui/confirm?action=merge&keep=A&merge=B   what would happen; a form to go ahead
    POST /ui/actions/merge  (keep, merge, csrf)    `EngramOps.merge`, then back to the card
    POST /ui/actions/split  (name, entity, csrf)   `EngramOps.split`

A POST must carry the page's token (`csrf`, one per server process), so a page elsewhere
cannot make the browser merge or split; the server's guard also refuses foreign origins.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from agent.server.auth import authorize
from agent.server.errors import BadRequest, Forbidden
from agent.server.ui.pages import Ctx, Pages, who
from agent.server.ui.render import SECURITY_HEADERS, entity_url

__all__ = ["Actions"]

ACTIONS = ("merge", "split")


def _field(form: Any, key: str) -> str:
    value = str(form.get(key) or "").strip()
    if not value:
        raise BadRequest(f"missing {key}: nothing was changed")
    return value


class Actions:
    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self.ops = pages.ops

    async def confirm(self, request: Request) -> Response:
        async def work(ctx: Ctx) -> Ctx | Response:
            q = request.query_params
            action = q.get("action", "")
            if action not in ACTIONS:
                raise BadRequest(f"invalid action {action!r}: merge or split")
            if action == "merge":
                keep, gone = q.get("keep", "").strip(), q.get("merge", "").strip()
                if not keep or not gone:
                    raise BadRequest("a merge needs the entity to keep and the one to merge in")
                sides = [await self.ops.entity(ctx["bank"], n, 0, 1) for n in (keep, gone)]
                return {"action": action, "keep": sides[0], "gone": sides[1]}
            name, entity = q.get("name", "").strip(), q.get("entity", "").strip()
            if not name:
                raise BadRequest("a split needs the name to split off")
            return {"action": action, "name": name, "entity": entity or name,
                    "merges": (await self.ops.merges(ctx["bank"], entity or name))["merges"]}  # fmt: skip

        return await self.pages.guarded(request, "/entities", "confirm.html", work)

    async def act(self, request: Request, action: str) -> Response:
        """Do a confirmed merge or split; back to the entity card with what happened."""

        async def work(ctx: Ctx) -> Response:
            form = await request.form()
            if not hmac.compare_digest(str(form.get("csrf") or ""), self.pages.csrf):
                raise Forbidden("this form is stale or from another page (reload the entity "
                                "page and confirm again); nothing was changed")  # fmt: skip
            bank = _field(form, "bank")
            authorize(who(request), bank, write=True)
            if action == "merge":
                keep = _field(form, "keep")
                done = await self.ops.merge(bank, keep, _field(form, "merge"))
                notice = f"merged {done.get('merged')!r} into {keep!r}"
                return _back(entity_url(keep, bank, notice=notice))
            if action != "split":
                raise BadRequest(f"invalid action {action!r}: merge or split")
            done = await self.ops.split(bank, _field(form, "name"))
            back = str(form.get("entity") or done.get("name") or "")
            notice = f"split {done.get('name')!r} off ({done.get('facts_moved', 0)} facts moved)"
            return _back(entity_url(back, bank, notice=notice))

        return await self.pages.guarded(request, "/entities", "error.html", work)


def _back(target: str) -> Response:
    """See Other: the browser loads the card with a GET (a reload does not act again)."""
    return RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)
