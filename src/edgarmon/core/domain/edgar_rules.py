"""SEC's fair-access rules as plain values and functions:
what a declared User-Agent is, what a block looks like, how feed links map onto the
configured base URL. :mod:`edgarmon.core.adapters.edgar_http` applies them."""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urljoin, urlsplit, urlunsplit

from edgarmon.core.domain.errors import ConfigurationError

BLOCK_PAGE_MARKER: Final = b"Request Rate Threshold Exceeded"
BLOCK_SCAN_BYTES: Final = 16 * 1024
BLOCK_STATUSES: Final = frozenset({403, 429})
REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS: Final = 3
SEC_HOSTS: Final = frozenset({"www.sec.gov", "sec.gov"})
SEC_LIMIT_PER_SECOND: Final = 10.0
"""EDGAR's fair-access limit, per client (declared User-Agent and address)."""
BUDGET_PER_SECOND: Final = 8.0
"""What edgarmon's processes sharing one User-Agent may add up to: under the limit,
since every token bucket may send its first request at once and clients at 9.7-9.9/s
were still blocked. deploy/README.md ("The EDGAR request budget") is its one write-up;
tests/deploy holds every overlay to it."""

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_WORD = re.compile(r"[A-Za-z]{2,}")


def validate_user_agent(user_agent: str) -> str:
    """Return ``user_agent`` stripped, or raise :class:`ConfigurationError` unless it
    names a company or person and gives an e-mail address, as SEC asks."""
    value = user_agent.strip()
    without_email = _EMAIL.sub(" ", value)
    if not _EMAIL.search(value) or not _WORD.search(without_email):
        raise ConfigurationError(
            "EDGARMON_EDGAR_USER_AGENT must declare a company or person name and an e-mail "
            f'address, e.g. "Example Corp ops@example.com"; got {value!r}'
        )
    return value


def rebase_sec_url(link: str, base_url: str) -> str:
    """Map a link found in a feed (``https://www.sec.gov/Archives/...``, ``http://`` in
    old feeds, or a relative ``/Archives/...``) onto the configured base URL.
    Links to other hosts are returned unchanged; the client's allow-list decides."""
    parts = urlsplit(link.strip())
    base = urlsplit(base_url)
    if not parts.netloc:
        return urljoin(base_url.rstrip("/") + "/", link.strip().lstrip("/"))
    if (parts.hostname or "").lower() not in SEC_HOSTS:
        return link.strip()
    prefix = base.path.rstrip("/")
    return urlunsplit((base.scheme, base.netloc, prefix + parts.path, parts.query, ""))
