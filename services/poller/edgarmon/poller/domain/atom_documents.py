"""Reading an EDGAR Atom feed's XML into plain fields, with lxml, hardened.

The bytes are decoded as feedparser decoded them (edgarmon parsed feeds with it until
issue 15; see :mod:`edgarmon.poller.domain.feed_encoding`), then parsed by libxml2 through
lxml, with a parser that expands nothing and fetches nothing:

- no entity is expanded and no DTD is read: a document with a ``<!DOCTYPE>`` is
  refused (EDGAR's feeds have none; an entity bomb or an external entity is one
  :class:`FeedParseError`, and nothing outside the document is opened);
- no network access, and libxml2's default limits stay on (``huge_tree`` off: at most
  256 levels of nesting, 10 MB per text node, entity amplification refused);
- a document that is not well-formed (cut mid-entry, an HTML error page) or whose
  root is not an Atom ``<feed>`` is one :class:`FeedParseError`.

Only the fields :mod:`edgarmon.poller.domain.atom_feeds` reads are kept, with feedparser's
rules for which element wins: the last ``<updated>``, ``<id>``, ``<cik>``,
``<filing-date>`` ...; the first non-empty ``<title>`` and the first ``<summary>``;
the last ``rel="alternate"`` HTML ``<link>``, else the first ``<id>``. Elements count
in the Atom 1.0 or 0.3 namespace or in none; ``<source>`` blocks inside an entry are
not the entry's. Text is whitespace-stripped. What is not kept from feedparser: the
HTML sanitising of summaries (nothing renders them; items and dates are found by
regular expressions), ``xml:base``, and its leniency about a ``<!DOCTYPE>``.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from typing import Final, NamedTuple

from lxml import etree

from edgarmon.core.domain.errors import FeedParseError
from edgarmon.poller.domain.feed_encoding import as_utf8, feed_text

_ATOM10: Final = "http://www.w3.org/2005/Atom"
_ATOM03: Final = "http://purl.org/atom/ns#"
_NAMESPACES: Final = (_ATOM10, _ATOM03)

_FIELDS: Final = (
    "title",
    "summary",
    "content",
    "id",
    "link",
    "updated",
    "modified",
    "published",
    "issued",
    "category",
    "source",
    "accession-number",
    "accession-nunber",
    "filing-href",
    "filing-type",
    "filing-date",
)
_FEED_FIELDS: Final = ("title", "cik", "conformed-name")


_ALIASES: Final = {"modified": "updated", "issued": "published"}  # Atom 0.3's names


def _qualified(names: tuple[str, ...]) -> dict[str, str]:
    """Each name under every namespace an Atom element may be in (and under none), to
    the field it holds."""
    found = {name: _ALIASES.get(name, name) for name in names}
    found.update({f"{{{ns}}}{name}": found[name] for ns in _NAMESPACES for name in names})
    return found


_FIELD_OF: Final = _qualified(_FIELDS)
_FEED_FIELD_OF: Final = _qualified(_FEED_FIELDS)
_CONTENT_TYPES: Final = {
    "text": "text/plain",
    "plain": "text/plain",
    "html": "text/html",
    "xhtml": "application/xhtml+xml",
}
_ENTRY_TAGS: Final = ("entry", *(f"{{{ns}}}entry" for ns in _NAMESPACES))
_HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
_SUMMARY_TYPES: Final = _HTML_TYPES | {"text/plain"}


class AtomEntry(NamedTuple):
    """The fields of one ``<entry>`` that the feed parsers read, as text ("" when
    absent; ``title`` is None when there is no ``<title>`` at all). A named tuple: a
    page makes a hundred of them, and it is built in half the time of a frozen
    dataclass."""

    title: str | None
    summary: str
    id: str
    link: str
    updated: str
    categories: tuple[tuple[str | None, str | None], ...]
    """``(term, label)`` of each ``<category>``, in order, each once."""
    stated_accession: str
    """``<accession-number>``, or the 2016 misspelling ``<accession-nunber>``."""
    filing_href: str
    filing_type: str
    filing_date: str


@dataclass(frozen=True, slots=True)
class AtomFeed:
    """A parsed Atom feed: the feed-level fields and its entries in document order."""

    title: str
    cik: str
    conformed_name: str
    entries: tuple[AtomEntry, ...]


def read_atom_feed(body: bytes, what: str) -> AtomFeed:
    """Parse ``body`` as an Atom feed, or raise :class:`FeedParseError` naming ``what``."""
    if not body.strip():
        raise FeedParseError(f"the {what} is empty")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(as_utf8(body, what), parser)
    except etree.XMLSyntaxError as error:
        raise FeedParseError(
            f"the {what} is not well-formed XML at line {error.lineno}: {error.msg or error}"
        ) from error
    _refuse_doctype(root, what)
    if not _is_atom(root):
        raise FeedParseError(
            f"the {what} is not an Atom feed (its root is <{_root_name(root)}>); "
            f"it starts {body[:80]!r}"
        )
    feed = _feed_fields(root)
    return AtomFeed(
        title=feed.get("title", ""),
        cik=feed.get("cik", ""),
        conformed_name=feed.get("conformed-name", ""),
        entries=tuple(_entry(entry) for entry in root.iter(_ENTRY_TAGS)),
    )


def _refuse_doctype(root: etree._Element, what: str) -> None:
    if root.getroottree().docinfo.internalDTD is not None:
        raise FeedParseError(
            f"the {what} declares a DTD (<!DOCTYPE>), which EDGAR's feeds never do; "
            "its entities are not expanded and the document is not read"
        )


def _is_atom(root: etree._Element) -> bool:
    if root.tag == f"{{{_ATOM10}}}feed":
        return True
    return root.tag in ("feed", f"{{{_ATOM03}}}feed") and root.get("version") == "0.3"


def _root_name(root: etree._Element) -> str:
    return str(etree.QName(root).localname)


def _text(element: etree._Element) -> str:
    """The stripped text of ``element`` (with its descendants' text, if it has any),
    read as feedparser read it (see :func:`feed_text`)."""
    if len(element) == 0:
        raw = element.text
    else:  # markup inside a text element is not EDGAR's: its text is kept
        raw = "".join(text for text in element.itertext() if isinstance(text, str))
    return feed_text(raw or "")


def _entry(entry: etree._Element) -> AtomEntry:
    """The fields of one entry, in one pass over its elements (a second one, leaving
    out ``<source>`` blocks, for the rare entry that has one)."""
    field_of = _FIELD_OF.get
    last: dict[str, etree._Element] = {}
    firsts: dict[str, etree._Element] = {}
    titles: list[etree._Element] = []
    links: list[etree._Element] = []
    categories: list[etree._Element] = []
    contents: list[etree._Element] = []
    for element in entry.iterdescendants():
        name = field_of(element.tag)
        if name is None:
            continue
        if name == "title":
            titles.append(element)
        elif name == "link":
            links.append(element)
        elif name == "category":
            categories.append(element)
        elif name == "content":
            contents.append(element)
        elif name == "source":
            return _entry_outside_sources(entry)
        else:
            firsts.setdefault(name, element)
            last[name] = element
    summary = firsts.get("summary")
    get = last.get
    return AtomEntry(
        title=_title(titles),
        summary=_text(summary) if summary is not None else _content_summary(contents),
        id=_text_or_empty(get("id")),
        link=_link(links, firsts.get("id")),
        updated=_text_or_empty(get("updated")) or _text_or_empty(get("published")),
        categories=_categories(categories) if categories else (),
        stated_accession=(
            _text_or_empty(get("accession-number")) or _text_or_empty(get("accession-nunber"))
        ),
        filing_href=_text_or_empty(get("filing-href")),
        filing_type=_text_or_empty(get("filing-type")),
        filing_date=_text_or_empty(get("filing-date")),
    )


def _entry_outside_sources(entry: etree._Element) -> AtomEntry:
    """:func:`_entry` of a copy of ``entry`` without its ``<source>`` blocks."""
    copy = deepcopy(entry)
    for source in [e for e in copy.iter() if _FIELD_OF.get(e.tag) == "source"]:
        parent = source.getparent()
        if parent is not None:
            parent.remove(source)
    return _entry(copy)


def _text_or_empty(element: etree._Element | None) -> str:
    return "" if element is None else _text(element)


def _title(titles: list[etree._Element]) -> str | None:
    """The first non-empty title; "" if all are empty; None if there is none."""
    if len(titles) == 1:
        return _text(titles[0])
    texts = (_text(element) for element in titles)
    return next((text for text in texts if text), "" if titles else None)


def _content_summary(contents: list[etree._Element]) -> str:
    """What feedparser gave as the summary of an entry without one: its first text or
    HTML ``<content>``."""
    for content in contents:
        if _content_type(content.get("type") or "text") in _SUMMARY_TYPES:
            return _text(content)
    return ""


def _link(links: list[etree._Element], first_id: etree._Element | None) -> str:
    """feedparser's ``link``: the last alternate HTML ``<link href>`` (or the text of
    a ``<link>`` without one), else the first ``<id>``."""
    link: str | None = None
    for element in links:
        attrib = element.attrib
        href = attrib.get("url", attrib.get("uri", attrib.get("href")))
        if not href:
            href = attrib.get("href")
        if href is None:
            link = _text(element)
            continue
        rel = (attrib.get("rel") or "alternate").lower()
        default_type = "application/atom+xml" if rel == "self" else "text/html"
        kind = _content_type(attrib.get("type") or default_type)
        if rel == "alternate" and kind in _HTML_TYPES:
            link = href
    if link is not None:
        return link
    return _text_or_empty(first_id)


def _content_type(value: str) -> str:
    kind = value.lower()
    return _CONTENT_TYPES.get(kind, kind)


def _categories(elements: list[etree._Element]) -> tuple[tuple[str | None, str | None], ...]:
    """feedparser's tags: each ``<category>``'s term and label, and its text as the term
    of the last tag that has none (or as a tag of its own)."""
    if len(elements) == 1 and not (elements[0].text or len(elements[0])):
        only = elements[0]  # EDGAR's one <category .../>: its attributes only
        term, label = only.get("term"), only.get("label")
        if term or label or only.get("scheme", only.get("domain")):
            return ((term, label),)
        return ()
    tags: list[list[str | None]] = []
    for element in elements:
        term, scheme, label = (
            element.get("term"),
            element.get("scheme", element.get("domain")),
            element.get("label"),
        )
        if (term or scheme or label) and [term, scheme, label] not in tags:
            tags.append([term, scheme, label])
        text = _text(element)
        if not text:
            continue
        if tags and not tags[-1][0]:
            tags[-1][0] = text
        elif [text, None, None] not in tags:
            tags.append([text, None, None])
    return tuple((term, label) for term, _scheme, label in tags)


def _feed_fields(root: etree._Element) -> dict[str, str]:
    """The feed's own ``<title>`` (its first non-empty one), ``<cik>`` and
    ``<conformed-name>`` (the last of each), outside its entries."""
    found: dict[str, str] = {}
    for child in root:
        if child.tag in _ENTRY_TAGS:
            continue
        for element in child.iter():
            name = _FEED_FIELD_OF.get(element.tag)
            if name is None:
                continue
            value = _text(element)
            if name != "title" or (value and not found.get("title")):
                found[name] = value
    return found
