"""The visible text of an HTML document, one line per block, read from the parse tree.

Blocks are found by walking the tree lexbor builds, not by looking for closing
tags in the source: EDGAR's HTML often never closes its ``<p>`` and ``<font>``
tags, and only the parser knows where such a paragraph ends. Every block element
(paragraph, division, table row, list item, heading, ``<br>``...) starts and ends
a line; table cells on one row are joined by a space, so that a heading split
over cells ("Item 8.01" | "Other Events") reads as one line. Source whitespace is
collapsed except inside ``<pre>``.

The walk is iterative (no recursion), so nesting depth costs nothing but time
proportional to the number of nodes. The parser, though, has no depth limit and
spends on each start tag time proportional to the elements still open (150,000
nested ``<div>`` took it 67 s): start tags that would nest deeper than
:data:`MAX_NESTING` are left out before parsing (their text stays), as browsers
stop nesting at a depth too. So are ``<select>`` tags, whose every ``<option>`` costs
lexbor time proportional to the options before it; an option's text stays.
"""

from __future__ import annotations

import operator
import re
from itertools import accumulate, islice
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from edgarmon.classifier.domain.errors import UnreadableDocument
from edgarmon.classifier.domain.word_lists import word_set

BLOCK_TAGS: Final = word_set(
    "address article aside blockquote br caption center dd div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p page pre section table "
    "tbody tfoot thead tr ul"
)
"""Elements that start and end a line of text."""
CELL_TAGS: Final = frozenset({"td", "th"})
_INVISIBLE = (
    "script, style, head, title, noscript, template, "
    "[style*='display:none'], [style*='display: none']"
)
_WHITESPACE = re.compile(r"\s+")
_OWN_TAGS: Final = 0x00C4
"""lexbor's ``LXB_TAG__LAST_ENTRY``: ids below it name its own tags, the same in every
document."""
_KNOWN_NAMES: dict[int, str] = {}
MAX_MARKED: Final = 20_000
"""Blocks and cells marked in the tree, at most; a document with more is walked. Marks
cost memory the walk does not (two text nodes a block, a Python object each while
marking): a million ``<br>`` took 723 MiB marked, 239 MiB walked. The longest HTML
document in shared/ (a full 485APOS submission) has 10,104."""
_LINE: Final = "\ue000"
"""Where a line ends, while the text is in the tree: a private-use character."""

MAX_NESTING: Final = 256
"""Elements open at once, at most; the deepest document in shared/ nests 23 deep."""
_FEW_TAGS: Final = 8000
"""A document with no more ``<`` than this is parsed as it is: even nested all the way
down it costs the parser a tenth of a second."""
_NOT_NESTING: Final = word_set(
    "area base basefont bgsound br col embed frame hr image img input isindex keygen link "
    "meta param source track wbr html head body "
    "p li dt dd option optgroup tr td th thead tbody tfoot caption colgroup rb rp rt rtc"
)
"""Void elements, the document's own, and those the next of their kind closes (an
unclosed ``<p>`` or ``<td>``): none of them nests by piling up."""
_COMMON_NOT_NESTING: Final = tuple(
    f"<{name}{end}"
    for name in ("br", "BR", "p", "P", "td", "TD", "tr", "TR", "img", "IMG", "hr", "HR", "li", "LI")
    for end in (">", " ", "/")
)
"""Start tags counted out of the tags that may nest (exactly: ``<p `` is a ``<p>``)."""
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)([^>]*)>?")
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_SELECT = re.compile(r"(?i)</?select\b")


class _Steps(dict[tuple[str, str], int]):
    """+1 for a start tag that may nest, -1 for an end tag, 0 for the others, by
    (slash, name) as written."""

    def __missing__(self, key: tuple[str, str]) -> int:
        slash, name = key
        step = self[key] = 0 if name.lower() in _NOT_NESTING else (-1 if slash else 1)
        return step


_STEPS = _Steps()


def _closing(tag: str, out: list[str]) -> None:
    if tag in BLOCK_TAGS:
        out.append("\n")
    elif tag in CELL_TAGS:
        out.append(" ")


def _walk(root: LexborNode) -> str:
    """Text of ``root``'s subtree in document order, with a newline at both ends of
    every block and a space after every cell: the reference :func:`_marked_text`
    gives the lines of, and the reader of a ``<pre>``."""
    out: list[str] = []
    open_elements: list[LexborNode] = []
    in_pre = 0
    node: LexborNode | None = root.child
    while node is not None:
        tag = "-text" if node.is_text_node else _element_name(node)
        if tag == "-text":
            text = node.text_content or ""
            out.append(text if in_pre else _WHITESPACE.sub(" ", text))
        elif tag and not tag.startswith("-"):
            if tag in BLOCK_TAGS:
                out.append("\n")
            child = node.child
            if child is not None:
                open_elements.append(node)
                in_pre += tag == "pre"
                node = child
                continue
            _closing(tag, out)
        while node is not None and node.next is None:
            node = open_elements.pop() if open_elements else None
            if node is not None:
                in_pre -= node.tag == "pre"
                _closing(node.tag or "", out)
        node = node.next if node is not None else None
    return "".join(out)


def _element_name(node: LexborNode) -> str | None:
    """An element's tag name (lexbor reads any node's name as an element's, and crashes
    on some nodes a full submission's uuencoded lines make); ``None`` for other nodes.
    Names of lexbor's own tags are kept by id; a document's own are read each time, as
    their ids are addresses that another document may reuse for another name."""
    if not node.is_element_node:
        return None
    tag_id = node.tag_id
    if tag_id >= _OWN_TAGS:
        return node.tag
    name = _KNOWN_NAMES.get(tag_id)
    if name is None:
        name = _KNOWN_NAMES[tag_id] = node.tag or ""
    return name


def _marks(root: LexborNode) -> tuple[list[LexborNode], list[LexborNode]] | None:
    """The blocks and the cells under ``root``, or ``None`` when it holds a ``<pre>``
    (whose space is kept) or more than :data:`MAX_MARKED` of them: the walk reads those."""
    blocks: list[LexborNode] = []
    cells: list[LexborNode] = []
    for node in islice(root.traverse(), 1, None):
        name = _element_name(node)
        if name in BLOCK_TAGS:
            if name == "pre":
                return None
            blocks.append(node)
        elif name in CELL_TAGS:
            cells.append(node)
        else:
            continue
        if len(blocks) + len(cells) > MAX_MARKED:
            return None
    return blocks, cells


def _marked_text(blocks: list[LexborNode], cells: list[LexborNode], root: LexborNode) -> str | None:
    """What :func:`_walk` reads, its whitespace aside (lines are tidied after), with the
    work done by lexbor: a mark is put in the tree before and after every block and a
    space after every cell, and the text taken in one call. ``None`` when the document's
    text holds the mark too (then the tree is marked, and a fresh one must be walked)."""
    for node in blocks:
        node.insert_before(_LINE)
        node.insert_after(_LINE)
    for node in cells:
        node.insert_after(" ")
    text = root.text()
    if text.count(_LINE) != 2 * len(blocks):
        return None
    return " ".join(text.split()).replace(_LINE, "\n")  # split: at the runs \\s matches


def _nesting_step(tag: re.Match[str]) -> int:
    """+1 for a start tag that nests, -1 for an end tag, 0 for the others."""
    closing, name, rest = tag.groups()
    return 0 if rest.endswith("/") else _STEPS[closing, name]


def _may_nest_deeper(html: str, limit: int) -> bool:
    """Whether ``html`` may open more than ``limit`` elements at once (an upper bound:
    self-closing ``<path/>`` counts as open). Counted in C: no Python per tag."""
    if html.count("<") - sum(map(html.count, _COMMON_NOT_NESTING)) <= limit:
        return False
    depths = list(accumulate(map(_STEPS.__getitem__, _TAG_NAME.findall(html)), initial=0))
    # The deepest point: the most any depth rises above the lowest one before it (end
    # tags with nothing open to close do not take the depth below zero).
    deepest: int = max(map(operator.sub, depths, accumulate(depths, min)))
    return deepest > limit


def bounded_nesting(html: str, limit: int = MAX_NESTING) -> str:
    """``html`` with the start tags that would nest deeper than ``limit`` left out, and
    without ``<select>`` tags, when it has more than a few thousand tags."""
    if html.count("<") <= _FEW_TAGS:
        return html
    if not (_SELECT.search(html) or _may_nest_deeper(html, limit)):
        return html
    depth = 0

    def kept(tag: re.Match[str]) -> str:
        nonlocal depth
        if tag.group(2).lower() == "select":
            return ""
        step = _nesting_step(tag)
        if step > 0 and depth >= limit:
            return ""
        depth = max(0, depth + step)
        return tag.group(0)

    return _TAG.sub(kept, html)


def _visible_root(html: str, name: str | None) -> LexborNode:
    """The parsed document's body, scripts, styles and hidden elements taken out."""
    try:
        tree = LexborHTMLParser(html)
    except SelectolaxError as exc:  # lexbor gives up, e.g. when memory runs out
        raise UnreadableDocument(f"lexbor cannot parse it: {exc}", stage="html", name=name) from exc
    for node in tree.css(_INVISIBLE):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        raise UnreadableDocument("no document body", stage="html", name=name)
    return root


def visible_text(html: str, *, name: str | None = None) -> str:
    """The visible text of ``html``: blocks on lines of their own, scripts, styles and
    hidden elements left out. Lines are not tidied (their space is not the walk's)."""
    bounded = bounded_nesting(html)
    root = _visible_root(bounded, name)
    marks = _marks(root)
    if marks is None:
        return _walk(root)
    marked = _marked_text(*marks, root)
    return _walk(_visible_root(bounded, name)) if marked is None else marked
