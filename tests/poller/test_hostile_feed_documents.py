"""Hostile feed documents end in bounded time with one clear error, reading nothing
outside the document: an entity bomb ("billion laughs"), an external entity (XXE),
and a document that is not a feed at all."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from edgarmon.core.domain.errors import FeedParseError
from edgarmon.poller.domain.atom_feeds import parse_latest_feed

from .hostile_feeds import latest_entry

ENTRY = latest_entry("0000000011-25-000001", updated="2025-06-02T10:30:00-04:00")
BASE = "https://www.sec.gov"


def atom(doctype: str, title: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title>{ENTRY}</feed>"
    ).encode()


def billion_laughs(levels: int = 9) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, levels + 1)
    ]
    return atom("<!DOCTYPE feed [\n" + "\n".join(entities) + "\n]>", f"&lol{levels};")


def external_entity(path: str) -> bytes:
    return atom(f'<!DOCTYPE feed [<!ENTITY x SYSTEM "file://{path}">]>', "&x;")


@pytest.mark.parametrize(
    "body",
    [billion_laughs(), b"<html><body>Service Unavailable</body></html>", b"<?xml"],
    ids=["entity-bomb", "not-a-feed", "truncated"],
)
def test_a_hostile_feed_is_one_clear_error(body: bytes) -> None:
    with pytest.raises(FeedParseError) as caught:
        parse_latest_feed(body, base_url=BASE)
    assert "\n" not in str(caught.value)


def test_an_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = "edgarmon-xxe-canary"
    canary = tmp_path / "canary.txt"
    canary.write_text(secret)
    try:
        page = parse_latest_feed(external_entity(str(canary)), base_url=BASE)
    except FeedParseError:
        return
    assert secret not in repr(page)


@pytest.mark.parametrize(
    "doctype",
    [
        "<!DOCTYPE feed>",
        '<!DOCTYPE feed [<!ENTITY company "ACME">]>',  # feedparser expanded this one
        '<!DOCTYPE feed PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd">',
    ],
)
def test_a_feed_with_any_doctype_is_refused(doctype: str) -> None:
    with pytest.raises(FeedParseError, match=r"declares a DTD \(<!DOCTYPE>\)"):
        parse_latest_feed(atom(doctype, "Latest"), base_url=BASE)


def test_an_external_dtd_or_entity_is_never_fetched() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        url = f"http://127.0.0.1:{port}/edgarmon.dtd"
        for doctype in (
            f'<!DOCTYPE feed SYSTEM "{url}">',
            f'<!DOCTYPE feed [<!ENTITY x SYSTEM "{url}">]>',
            f'<!DOCTYPE feed [<!ENTITY % p SYSTEM "{url}"> %p;]>',
        ):
            with pytest.raises(FeedParseError):
                parse_latest_feed(atom(doctype, "&x;"), base_url=BASE)
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()  # a fetch would have connected (the kernel accepts it)
