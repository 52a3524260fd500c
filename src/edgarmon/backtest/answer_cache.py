"""EDGAR's answers kept on disk, so that a second backtest of a range costs no requests.

A success (200) or a not-found (404: a holiday's missing index, a withdrawn document)
is kept, one file per URL, written atomically. Anything else (a 5xx, a fair-access
block, a document over its cap) raises as the client raises it and is not kept.
The folder is a cache: deleting it only costs requests.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from edgarmon.core.adapters.edgar_http import EdgarClient
from edgarmon.core.domain.errors import EdgarError

KEPT_STATUSES: Final = frozenset({200, 404})
_HEADER_END: Final = b"\n"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes


class CachedEdgar:
    """GETs through the fair-access ``client``, remembered under ``folder``."""

    def __init__(self, client: EdgarClient, folder: Path) -> None:
        self._client = client
        self._folder = folder
        self.requests = 0
        self.hits = 0

    @property
    def base_url(self) -> str:
        return self._client.base_url

    async def get(self, url: str, *, max_bytes: int | None = None) -> Answer:
        path = self._path(url)
        kept = _read(path)
        if kept is not None:
            self.hits += 1
            return kept
        self.requests += 1
        response = await self._client.get(url, conditional=False, max_bytes=max_bytes)
        answer = Answer(response.status, response.body)
        if answer.status in KEPT_STATUSES:
            _write(path, answer)
        return answer

    async def fetch(self, url: str, *, max_bytes: int | None = None) -> bytes:
        """The classifier's ``DocumentFetcher``: an SEC link mapped onto the configured
        base URL; any answer but a success is an :class:`EdgarError`."""
        answer = await self.get(self._client.rebase(url), max_bytes=max_bytes)
        if answer.status != 200:
            raise EdgarError(f"EDGAR answered {answer.status} for {url}")
        return answer.body

    def _path(self, url: str) -> Path:
        digest = hashlib.sha256(url.encode()).hexdigest()
        return self._folder / digest[:2] / digest


def _read(path: Path) -> Answer | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    status, _, body = raw.partition(_HEADER_END)
    return Answer(int(status), body) if status.isdigit() else None


def _write(path: Path, answer: Answer) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_bytes(str(answer.status).encode() + _HEADER_END + answer.body)
    partial.replace(path)
