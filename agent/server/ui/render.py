"""Rendering of the web UI: the Jinja2 environment with its filters, URLs with the bank kept,
the static files, and the headers every UI response carries (a Content-Security-Policy that
lets a page load and fetch only from the serving host, no framing, no referrer).
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

__all__ = ["Renderer", "STATIC_DIR", "TEMPLATE_DIR", "SECURITY_HEADERS", "url", "entity_url"]

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATE_DIR = HERE / "templates"
STATIC_PREFIX = "/ui/static/"

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def url(path: str, **params: Any) -> str:
    """`path` with the non-empty `params` as its query string (lists repeat the key)."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs += [(key, str(v)) for v in values if v not in (None, "", False)]
    return path + ("?" + urlencode(pairs) if pairs else "")


def entity_url(name: str, bank: str, **params: Any) -> str:
    return url("/entities/" + quote(str(name), safe=""), bank=bank, **params)


def _when(value: Any, with_time: bool = False) -> str:
    """An ISO date-time as `2025-10-14` (and `13:05 UTC` when it has a time of day)."""
    if not value:
        return ""
    try:
        t = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    day = t.strftime("%Y-%m-%d")
    if with_time or (t.hour, t.minute, t.second) != (0, 0, 0):
        return f"{day} {t.strftime('%H:%M')} UTC" if t.utcoffset() is not None else day
    return day


def _money(value: Any) -> str:
    cost = float(value or 0.0)
    if cost == 0:
        return "$0"
    if cost < 0.0001:
        return f"${cost:.7f}".rstrip("0")
    return f"${cost:.4f}" if cost < 1 else f"${cost:,.2f}"


def _num(value: Any) -> str:
    try:
        return f"{int(value or 0):,}"
    except (TypeError, ValueError):
        return str(value)


def _secs(value: Any) -> str:
    s = float(value or 0.0)
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def _pct(value: Any) -> str:
    return f"{float(value or 0.0) * 100:.0f}%"


def _static_files() -> dict[str, tuple[Path, str]]:
    """{url path: (file, etag)} of every static file (nothing else is ever served)."""
    found = {}
    for f in sorted(STATIC_DIR.rglob("*")):
        if f.is_file() and f.suffix in {".js", ".css", ".txt", ".md"}:
            digest = hashlib.sha256(f.read_bytes()).hexdigest()[:16]
            found[STATIC_PREFIX + f.relative_to(STATIC_DIR).as_posix()] = (f, digest)
    return found


class Renderer:
    """Templates, filters and static files of the UI."""

    def __init__(self) -> None:
        self.static = _static_files()
        self.env = Environment(loader=FileSystemLoader(TEMPLATE_DIR),
                               autoescape=select_autoescape(["html"]),
                               trim_blocks=True, lstrip_blocks=True)  # fmt: skip
        self.env.filters.update(when=_when, money=_money, num=_num, secs=_secs, pct=_pct,
                                json=lambda v: json.dumps(v, default=str))  # fmt: skip
        self.env.globals.update(url=url, entity_url=entity_url, static=self.static_url)

    def static_url(self, name: str) -> str:
        path = STATIC_PREFIX + name
        return f"{path}?v={self.static[path][1]}"  # a new file gets a new URL (cached a year)

    def html(self, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        body = self.env.get_template(template).render(**ctx)
        return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)

    def asset(self, path: str) -> Response:
        found = self.static.get(path)
        if found is None:
            return Response("not found", status_code=404, media_type="text/plain")
        file, _ = found
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        headers = {**SECURITY_HEADERS, "Cache-Control": "public, max-age=31536000, immutable"}
        return Response(file.read_bytes(), media_type=kind, headers=headers)
