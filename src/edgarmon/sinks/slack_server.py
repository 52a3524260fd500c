"""A local Slack Web API for ``chat.postMessage``, for tests and the offline demo.

It behaves as Slack documents: bearer-token auth (``not_authed``,
``invalid_auth``), known channels (``channel_not_found``, ``is_archived``),
``ok: false`` answers with HTTP 200, the message limits in
:mod:`edgarmon.sinks.slack_rules`, and, on request, scripted faults: 429 with
``Retry-After``, 5xx with an HTML body, or any ``ok: false`` error. Accepted
messages are recorded (and optionally echoed and appended to a JSON-lines file).
:meth:`SlackSink.hang_after` leaves a request unanswered, as if lost in flight, so
a test can kill a client at a known point.
``channels=None`` accepts any channel name or id (for demos).

Usage::

    async with SlackSink(token="xoxb-test", channels={"#alerts"}) as slack:
        client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
        ...
        posts = await slack.wait_for_posts(1)
"""

from __future__ import annotations

import asyncio
import hmac
import json
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from aiohttp import web

from edgarmon.sinks.slack_rules import check_post


@dataclass(frozen=True, slots=True)
class SlackPost:
    """One accepted message: where, its ``ts``, and the request body as sent."""

    channel: str
    ts: str
    body: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.body.get("text") or "")

    @property
    def blocks(self) -> list[dict[str, Any]]:
        blocks = self.body.get("blocks") or []
        return json.loads(blocks) if isinstance(blocks, str) else list(blocks)

    @property
    def metadata(self) -> dict[str, Any]:
        metadata = self.body.get("metadata") or {}
        return json.loads(metadata) if isinstance(metadata, str) else dict(metadata)


@dataclass(frozen=True, slots=True)
class SlackFault:
    """A scripted answer to the next request."""

    status: int = 500
    error: str | None = None
    retry_after: int | None = None


@dataclass(slots=True)
class _Counters:
    requests: int = 0
    rejected: dict[str, int] = field(default_factory=dict)


def _channel_key(channel: str) -> str:
    return channel.strip().lstrip("#")


class SlackSink:
    """The server. Bind with ``async with``; ``api_url`` is the client's ``base_url``."""

    def __init__(
        self,
        *,
        token: str,
        channels: Iterable[str] | None,
        archived: Iterable[str] = (),
        host: str = "127.0.0.1",
        port: int = 0,
        echo: Callable[[SlackPost], None] | None = None,
        jsonl_path: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._token = token
        self._channels = None if channels is None else {_channel_key(c) for c in channels}
        self._archived = {_channel_key(c) for c in archived}
        self._host, self._port = host, port
        self._echo, self._jsonl_path, self._clock = echo, jsonl_path, clock
        self._faults: deque[SlackFault] = deque()
        self._posts: list[SlackPost] = []
        self._counters = _Counters()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._hang_at: int | None = None
        self._hangs_left = 0
        self._hanging = 0
        self._closing = asyncio.Event()

    # --- control ---------------------------------------------------------------

    def fail_next(self, fault: SlackFault, times: int = 1) -> None:
        """Answer the next ``times`` requests with ``fault`` instead of handling them."""
        self._faults.extend([fault] * times)

    def hang_after(self, accepted: int, times: int = 1) -> None:
        """Once ``accepted`` messages were accepted, leave the next ``times`` requests
        unanswered (and unrecorded) until the sink closes: a request lost in flight."""
        self._hang_at, self._hangs_left = accepted, times

    async def wait_for_hanging(self, count: int = 1) -> int:
        """Wait until ``count`` requests are being left unanswered."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._hanging >= count)
        return self._hanging

    @property
    def posts(self) -> tuple[SlackPost, ...]:
        return tuple(self._posts)

    @property
    def requests(self) -> int:
        """Requests received, accepted or not."""
        return self._counters.requests

    @property
    def rejected(self) -> dict[str, int]:
        """``ok: false`` and fault answers given, by error code."""
        return dict(self._counters.rejected)

    @property
    def api_url(self) -> str:
        return f"http://{self._host}:{self._port}/api/"

    async def wait_for_posts(self, count: int) -> tuple[SlackPost, ...]:
        """Wait until ``count`` messages were accepted (bound it with ``asyncio.timeout``)."""
        async with self._changed:
            await self._changed.wait_for(lambda: len(self._posts) >= count)
        return self.posts

    # --- lifecycle ---------------------------------------------------------------

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_post("/api/chat.postMessage", self._post_message)
        app.router.add_route("*", "/api/{method}", self._unknown_method)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- the API -------------------------------------------------------------------

    def _reject(self, error: str, status: int = 200, **headers: str) -> web.Response:
        self._counters.rejected[error] = self._counters.rejected.get(error, 0) + 1
        return web.json_response({"ok": False, "error": error}, status=status, headers=headers)

    def _fault(self, fault: SlackFault) -> web.Response:
        if fault.status == 429:
            headers = {
                "Retry-After": str(fault.retry_after if fault.retry_after is not None else 1)
            }
            return self._reject("ratelimited", 429, **headers)
        if fault.status >= 500:
            self._counters.rejected[f"http_{fault.status}"] = (
                self._counters.rejected.get(f"http_{fault.status}", 0) + 1
            )
            return web.Response(
                status=fault.status,
                text="<html><body>Slack is having trouble</body></html>",
                content_type="text/html",
            )
        return self._reject(fault.error or "internal_error", fault.status)

    async def _read_body(self, request: web.Request) -> dict[str, Any] | None:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except json.JSONDecodeError:
                return None
            return body if isinstance(body, dict) else None
        form = await request.post()
        return {key: value for key, value in form.items() if isinstance(value, str)}

    def _authorized(self, request: web.Request, body: dict[str, Any]) -> str | None:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        token = token or str(body.get("token") or "")
        if not token:
            return "not_authed"
        if not hmac.compare_digest(token.encode(), self._token.encode()):
            return "invalid_auth"
        return None

    async def _post_message(self, request: web.Request) -> web.Response:  # noqa: PLR0911
        self._counters.requests += 1
        if self._hangs_left and self._hang_at is not None and len(self._posts) >= self._hang_at:
            return await self._hang()
        if self._faults:
            return self._fault(self._faults.popleft())
        body = await self._read_body(request)
        if body is None:
            return self._reject("invalid_json")
        if auth_error := self._authorized(request, body):
            return self._reject(auth_error)
        channel = _channel_key(str(body.get("channel") or ""))
        if channel in self._archived:
            return self._reject("is_archived")
        if not channel or (self._channels is not None and channel not in self._channels):
            return self._reject("channel_not_found")
        if error := check_post(body):
            return self._reject(error)
        body.pop("token", None)
        post = SlackPost(channel=str(body["channel"]), ts=self._next_ts(), body=body)
        self._record(post)
        async with self._changed:
            self._changed.notify_all()
        return web.json_response(
            {"ok": True, "channel": post.channel, "ts": post.ts, "message": {"text": post.text}}
        )

    async def _hang(self) -> web.Response:
        self._hangs_left -= 1
        self._hanging += 1
        async with self._changed:
            self._changed.notify_all()
        await self._closing.wait()
        return web.json_response({"ok": False, "error": "sink_closed"}, status=503)

    async def _unknown_method(self, request: web.Request) -> web.Response:
        self._counters.requests += 1
        return self._reject("unknown_method", 404)

    def _next_ts(self) -> str:
        return f"{int(self._clock())}.{len(self._posts) + 1:06d}"

    def _record(self, post: SlackPost) -> None:
        self._posts.append(post)
        if self._echo is not None:
            self._echo(post)
        if self._jsonl_path is not None:
            line = {"channel": post.channel, "ts": post.ts, "body": post.body}
            with self._jsonl_path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
