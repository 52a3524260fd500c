"""The lxml feed parsers give what the feedparser ones gave (kept in
``feedparser_reference.py``): the same pages (entries, companies, roles, items, times
in US Eastern, skipped entries and why) or both a FeedParseError, on every recorded
document under ``../shared/edgar``, on those documents cut short anywhere, and on
generated feeds (hypothesis, derandomized: the same examples every run)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edgarmon.core.domain.errors import FeedParseError
from edgarmon.poller.domain import atom_feeds
from edgarmon.poller.domain.feed_entries import FeedPage

from . import feedparser_reference as reference
from .conftest import SHARED_EDGAR

Parser = Callable[..., FeedPage]
PARSERS: dict[str, tuple[Parser, Parser]] = {
    "latest": (reference.parse_latest_feed, atom_feeds.parse_latest_feed),
    "company": (reference.parse_company_feed, atom_feeds.parse_company_feed),
}
BASE_URLS = ("https://www.sec.gov", "http://127.0.0.1:8080/edgar/")
DERANDOMIZED = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def outcome(parse: Parser, body: bytes, base_url: str) -> FeedPage | str:
    """The page, or "FeedParseError" (the wording of the error changed with the parser;
    that it is one clear error did not)."""
    try:
        return parse(body, base_url=base_url)
    except FeedParseError as error:
        return "FeedParseError" if "\n" not in str(error) else f"a multi-line error: {error}"


def assert_same(body: bytes, kinds: tuple[str, ...] = ("latest", "company")) -> None:
    for kind in kinds:
        old, new = PARSERS[kind]
        for base_url in BASE_URLS:
            assert outcome(new, body, base_url) == outcome(old, body, base_url), (kind, base_url)


def recorded_documents() -> list[str]:
    """Every recorded document that starts like XML or HTML (Atom, RSS, error pages,
    indexes, filings), relative to ``../shared/edgar``."""
    if not SHARED_EDGAR.is_dir():
        return []
    found = []
    for path in sorted(SHARED_EDGAR.resolve().rglob("*")):
        if path.is_file() and path.read_bytes()[:200].lstrip()[:1] == b"<":
            found.append(str(path.relative_to(SHARED_EDGAR.resolve())))
    return found


RECORDED = recorded_documents()
ATOM_FEEDS = [name for name in RECORDED if name.startswith(("atom_current/", "atom_company/"))]


@pytest.mark.parametrize("name", RECORDED)
def test_every_recorded_document_parses_as_before(shared_edgar: Path, name: str) -> None:
    assert_same((shared_edgar / name).read_bytes())


def test_the_recorded_feeds_are_all_there(shared_edgar: Path) -> None:
    atom = [name for name in ATOM_FEEDS if name.endswith(".xml")]
    assert len([name for name in atom if name.startswith("atom_current/")]) == 11
    assert len(atom) >= 14
    assert any(name.startswith("rss_") for name in RECORDED)
    page = atom_feeds.parse_latest_feed(
        (shared_edgar / "atom_current/getcurrent_all_count100_start0_2026-01-12.xml").read_bytes(),
        base_url=BASE_URLS[0],
    )
    assert len(page.entries) == 100  # the comparisons above are not of empty pages


@pytest.mark.parametrize("name", [name for name in ATOM_FEEDS if name.endswith(".xml")])
def test_a_recorded_feed_cut_short_anywhere_is_what_it_was(shared_edgar: Path, name: str) -> None:
    body = (shared_edgar / name).read_bytes()
    entry = body.find(b"<entry>", len(body) // 2)
    cuts = {len(body) * share // 13 for share in range(1, 13)}
    cuts |= {entry, entry + 7, entry + 40, len(body) - 9, len(body) - 1}
    kind = ("latest",) if name.startswith("atom_current/") else ("company",)
    for cut in sorted(cuts):
        assert_same(body[:cut], kind)


def feed(entries: list[str], encoding: str = "ISO-8859-1", head: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}" ?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom">{head}<title>Latest Filings</title>'
        + "".join(entries)
        + "</feed>"
    ).encode(encoding, "xmlcharrefreplace")


LATEST_ENTRY = (
    "<entry><title>8-K - ACME CORP (0000000042) (Filer)</title>"
    '<link rel="alternate" type="text/html" '
    'href="https://www.sec.gov/Archives/edgar/data/42/000000004226000001/'
    '0000000042-26-000001-index.htm"/>'
    '<summary type="html">&lt;b&gt;Filed:&lt;/b&gt; 2026-01-12 &lt;b&gt;AccNo:&lt;/b&gt; '
    "0000000042-26-000001&lt;br&gt;Item 8.01: Other Events</summary>"
    "<updated>2026-01-12T11:26:52-05:00</updated>"
    '<category scheme="https://www.sec.gov/" label="form type" term="8-K"/>'
    "<id>urn:tag:sec.gov,2008:accession-number=0000000042-26-000001</id></entry>"
)


@pytest.mark.parametrize(
    ("entry", "encoding"),
    [
        (LATEST_ENTRY, "ISO-8859-1"),
        (LATEST_ENTRY.replace("<link rel", "<link href='/Archives/x-index.htm' rel"), "UTF-8"),
        (LATEST_ENTRY.replace('rel="alternate" ', ""), "UTF-8"),
        (LATEST_ENTRY.replace('rel="alternate"', 'rel="self"'), "UTF-8"),
        (LATEST_ENTRY.replace('type="text/html"', 'type="application/pdf"'), "UTF-8"),
        (
            LATEST_ENTRY.replace("<link ", "<link>https://www.sec.gov/x-index.htm</link><x "),
            "UTF-8",
        ),
        (LATEST_ENTRY.replace("href=", "url='/a/b-index.htm' href="), "UTF-8"),
        (LATEST_ENTRY.replace("<title>", "<title></title><title>"), "UTF-8"),
        (LATEST_ENTRY.replace("<title>8-K", "<title>  8-K \n "), "UTF-8"),
        (LATEST_ENTRY.replace("ACME CORP", "O\u2019NEIL \u201cQ\u201d"), "windows-1252"),
        (LATEST_ENTRY.replace("ACME CORP", "SOCI\u00c9T\u00c9"), "UTF-8"),
        (LATEST_ENTRY.replace("ACME CORP", "A&#x92;B &#233; &amp; C"), "ISO-8859-1"),
        (LATEST_ENTRY.replace("ACME CORP", "<![CDATA[A < B]]>"), "UTF-8"),
        (LATEST_ENTRY.replace("ACME CORP", "A<!-- note -->B"), "UTF-8"),
        (LATEST_ENTRY.replace('label="form type" ', ""), "UTF-8"),
        (
            LATEST_ENTRY.replace('label="form type" term="8-K"/>', 'label="x">8-K/A</category>'),
            "UTF-8",
        ),
        (LATEST_ENTRY.replace("<category ", "<category term='D'/><category "), "UTF-8"),
        (
            LATEST_ENTRY.replace("<updated>", "<updated>2020-01-01T00:00:00</updated><updated>"),
            "UTF-8",
        ),
        (LATEST_ENTRY.replace("-05:00</updated>", "</updated>"), "UTF-8"),
        (
            LATEST_ENTRY.replace("<id>", "<source><id>x</id><updated>1</updated></source><id>"),
            "UTF-8",
        ),
        (LATEST_ENTRY.replace("<summary", "<summary>first</summary><summary"), "UTF-8"),
        (LATEST_ENTRY.replace('<summary type="html">', "<summary>"), "UTF-8"),
        (LATEST_ENTRY.replace("summary", "content"), "UTF-8"),
        (LATEST_ENTRY.replace("<link", "<id>urn:x</id><link").replace("href=", "hreff="), "UTF-8"),
        (LATEST_ENTRY.replace("Item 8.01", "Item 2.02: a\n<br>Item 9.01"), "UTF-8"),
    ],
)
def test_a_hand_made_latest_feed_parses_as_before(entry: str, encoding: str) -> None:
    assert_same(feed([entry, LATEST_ENTRY.replace("42-26-000001", "42-26-000002")], encoding))


@pytest.mark.parametrize(
    "body",
    [
        b"\xef\xbb\xbf" + feed([LATEST_ENTRY], "UTF-8"),
        feed([LATEST_ENTRY], "UTF-16"),
        feed([LATEST_ENTRY.replace("ACME", "\u00e9\u00e8")], "UTF-8")[:-300] + b"\x81\xff",
        feed([LATEST_ENTRY.replace("ACME", "A\x81B")], "ISO-8859-1"),
        feed([LATEST_ENTRY.replace("ACME", "A\u00e9B")], "ISO-8859-1").replace(b"\xe9", b"\x81"),
        feed([LATEST_ENTRY], "ISO-8859-1").replace(b' encoding="ISO-8859-1"', b""),
        feed([LATEST_ENTRY], "ISO-8859-1").replace(b"ISO-8859-1", b"no-such-codec"),
        feed([LATEST_ENTRY], "ISO-8859-1").replace(b"<?xml", b"  <?xml"),
        feed([LATEST_ENTRY], "ISO-8859-1").replace(b"<?xml", b"<!-- x --><?xml"),
        feed([LATEST_ENTRY]).replace(b"http://www.w3.org/2005/Atom", b"http://purl.org/atom/ns#"),
        feed([LATEST_ENTRY]).replace(b"<feed ", b'<feed version="0.3" '),
        feed([LATEST_ENTRY]).replace(b' xmlns="http://www.w3.org/2005/Atom"', b""),
        feed([LATEST_ENTRY.replace("<entry>", "<entry><x:y/>")]),
        feed([LATEST_ENTRY.replace("ACME", "&nbsp;")]),
        feed([LATEST_ENTRY]) + b"<feed/>",
        feed([LATEST_ENTRY.replace("ACME", "\x01")], "UTF-8"),
        feed([]),
    ],
)
def test_encodings_namespaces_and_broken_documents_as_before(body: bytes) -> None:
    assert_same(body)


def test_a_document_that_only_declares_the_atom_namespace_is_not_a_feed() -> None:
    # feedparser took any document declaring the namespace for a feed (here, one
    # filing); a page whose root is not an Atom <feed> is now one clear error
    body = (
        feed([LATEST_ENTRY])
        .replace(b"<feed ", b"<x:feed xmlns:x='urn:x' ")
        .replace(b"</feed>", b"</x:feed>")
    )
    assert len(reference.parse_latest_feed(body, base_url=BASE_URLS[0]).entries) == 1
    with pytest.raises(FeedParseError, match=r"not an Atom feed \(its root is <feed>\)"):
        atom_feeds.parse_latest_feed(body, base_url=BASE_URLS[0])


COMPANY_HEAD = (
    "<company-info><addresses><address><city>X</city></address></addresses>"
    "<cik>0000000042</cik><conformed-name>ACME CORP</conformed-name></company-info>"
)


def company_entry(extra: str = "", accession: str = "0000000042-23-000007") -> str:
    return (
        '<entry><category label="form type" scheme="https://www.sec.gov/" term="8-K"/>'
        f'<content type="text/xml"><accession-number>{accession}</accession-number>'
        "<filing-date>2023-07-20</filing-date>"
        "<filing-href>https://www.sec.gov/Archives/edgar/data/42/000000004223000007/"
        f"{accession}-index.htm</filing-href><filing-type>8-K</filing-type>{extra}</content>"
        "<title>8-K  - Current report</title><updated>2023-07-20T09:26:09-04:00</updated></entry>"
    )


@pytest.mark.parametrize(
    ("head", "entry"),
    [
        (COMPANY_HEAD, company_entry()),
        (COMPANY_HEAD.replace("0000000042", ""), company_entry()),
        (COMPANY_HEAD.replace("<cik>0000000042</cik>", ""), company_entry()),
        (COMPANY_HEAD.replace("ACME CORP", ""), company_entry()),
        (COMPANY_HEAD + "<cik>43</cik>", company_entry()),
        (COMPANY_HEAD, company_entry().replace("accession-number", "accession-nunber")),
        (COMPANY_HEAD, company_entry().replace("<filing-type>8-K</filing-type>", "")),
        (COMPANY_HEAD, company_entry().replace("term=", "x=").replace("8-K</filing", "</filing")),
        (COMPANY_HEAD, company_entry("<filing-date>2024-01-01</filing-date>")),
        (COMPANY_HEAD, company_entry().replace("<filing-date>2023-07-20</filing-date>", "")),
        (COMPANY_HEAD, company_entry().replace("8-K  - Current", "S-1/A [Amend]  - Form")),
    ],
)
def test_a_hand_made_company_feed_parses_as_before(head: str, entry: str) -> None:
    title = "<title>ACME CORP  (0000000042)</title>"
    assert_same(feed([entry, company_entry(accession="0000000042-23-000008")], head=head + title))


SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
XML_TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=SURROGATES,
        exclude_characters="\x00\ufffe\uffff",
    ).filter(lambda char: char in "\t\n\r" or ord(char) >= 0x20),
    max_size=30,
)
PIECES = st.sampled_from(
    [" - ", " (", ") ", "(", ")", "0000000042", "Filer", "8-K", "ACME", "  ", "[Amend]", "-"]
)
TITLES = st.lists(st.one_of(PIECES, XML_TEXT), max_size=8).map("".join)
TIMES = st.sampled_from(
    ["2026-01-12T11:26:52-05:00", "2026-07-01T09:00:00", "9999-12-31T23:59:59-05:00", "x", ""]
)
SUMMARIES = st.lists(
    st.one_of(
        st.sampled_from(
            ["<b>Filed:</b> ", "2026-01-12", "<br>Item ", "8.01", ": ", "AccNo: ", "\u212a"]
        ),
        st.just("0000000042-26-000009"),
        XML_TEXT,
    ),
    max_size=8,
).map("".join)


@st.composite
def generated_entries(draw: st.DrawFn) -> str:
    accession = draw(st.sampled_from(["0000000042-26-000001", "0000000042-26-000002", "x"]))
    parts = [
        f"<title>{escape(draw(TITLES))}</title>",
        f"<updated>{draw(TIMES)}</updated>",
        f'<summary type="html">{escape(draw(SUMMARIES))}</summary>',
        f"<id>urn:tag:sec.gov,2008:accession-number={accession}</id>",
        f'<category label="form type" term="{escape(draw(XML_TEXT))}"/>',
    ]
    kept = draw(st.lists(st.sampled_from(parts), unique=True, max_size=len(parts)))
    return "<entry>" + "".join(kept) + "</entry>"


@DERANDOMIZED
@given(
    entries=st.lists(generated_entries(), max_size=4),
    encoding=st.sampled_from(["UTF-8", "ISO-8859-1", "windows-1252"]),
)
def test_generated_latest_feeds_parse_as_before(entries: list[str], encoding: str) -> None:
    assert_same(feed(entries, encoding), ("latest",))


@st.composite
def generated_company_entries(draw: st.DrawFn) -> str:
    accession = draw(st.sampled_from(["0000000042-23-000007", "42230000070000000x", ""]))
    filed = draw(st.sampled_from(["2023-07-20", "0000-00-00", "x", ""]))
    inner = [
        f"<accession-number>{accession}</accession-number>",
        f"<filing-date>{filed}</filing-date>",
        f"<filing-type>{escape(draw(TITLES))}</filing-type>",
        "<filing-href>https://www.sec.gov/Archives/edgar/data/42/1/x-index.htm</filing-href>",
    ]
    parts = [
        '<content type="text/xml">'
        + "".join(draw(st.lists(st.sampled_from(inner), unique=True)))
        + "</content>",
        f"<title>{escape(draw(TITLES))}</title>",
        f"<updated>{draw(TIMES)}</updated>",
        f'<summary type="html">{escape(draw(SUMMARIES))}</summary>',
        f'<category label="form type" term="{escape(draw(XML_TEXT))}"/>',
    ]
    kept = draw(st.lists(st.sampled_from(parts), unique=True, max_size=len(parts)))
    return "<entry>" + "".join(kept) + "</entry>"


@DERANDOMIZED
@given(
    entries=st.lists(generated_company_entries(), max_size=4),
    cik=st.sampled_from(["0000000042", "1" * 15, "", "x"]),
    title=TITLES,
)
def test_generated_company_feeds_parse_as_before(entries: list[str], cik: str, title: str) -> None:
    head = COMPANY_HEAD.replace("0000000042", cik) + f"<title>{escape(title)}</title>"
    assert_same(feed(entries, "UTF-8", head=head), ("company",))
