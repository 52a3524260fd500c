"""The visible text of an HTML document, one line per block, read from the parse tree.

Blocks are found by walking the tree lexbor builds, not by looking for closing
tags in the source: EDGAR's HTML often never closes its ``<p>`` and ``<font>``
tags, and only the parser knows where such a paragraph ends. Every block element
(paragraph, division, table row, list item, heading, ``<br>``...) starts and ends
a line; table cells on one row are joined by a space, so that a heading split
over cells ("Item 8.01" | "Other Events") reads as one line. Source whitespace is
collapsed except inside ``<pre>``.

The walk is iterative (no recursion), so nesting depth costs nothing but time
proportional to the number of nodes.
"""

from __future__ import annotations

import re
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from edgarmon.classifier.errors import UnreadableDocument
from edgarmon.classifier.word_lists import word_set

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


def _closing(tag: str, out: list[str]) -> None:
    if tag in BLOCK_TAGS:
        out.append("\n")
    elif tag in CELL_TAGS:
        out.append(" ")


def _walk(root: LexborNode) -> str:
    """Text of ``root``'s subtree in document order, with a newline at both ends of
    every block and a space after every cell."""
    out: list[str] = []
    open_elements: list[LexborNode] = []
    in_pre = 0
    node: LexborNode | None = root.child
    while node is not None:
        tag = node.tag
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


def visible_text(html: str, *, name: str | None = None) -> str:
    """The visible text of ``html``: blocks on lines of their own, scripts, styles and
    hidden elements left out. Lines are not tidied."""
    tree = LexborHTMLParser(html)
    for node in tree.css(_INVISIBLE):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        raise UnreadableDocument("no document body", stage="html", name=name)
    return _walk(root)
