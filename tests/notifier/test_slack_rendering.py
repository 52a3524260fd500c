"""Block Kit rendering: golden messages for both seeds, escaping, and Slack's limits."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from edgarmon.core.domain.filing import Company, Document
from edgarmon.core.domain.messages import (
    ClinicalDetails,
    ClinicalUpdateLabel,
    Evidence,
    FilingClassified,
)
from edgarmon.notifier.domain.alert_view import AlertView, build_alert_view
from edgarmon.notifier.domain.block_kit_limits import MAX_BLOCKS, blocks_size, fit_blocks
from edgarmon.notifier.domain.slack_blocks import SlackMessage, render_alert, render_digest
from edgarmon.notifier.domain.slack_mrkdwn import cut_mrkdwn, escape_mrkdwn, mrkdwn_link
from edgarmon.notifier.domain.tickers import TickerMap
from edgarmon.sinks.slack_rules import check_post

LINK_HOSTS = ("www.sec.gov", "sec.gov")
INJECTIONS = "<!channel> <!here> <@U123ABC> <#C999> <http://evil.example|click here> & co"
OUR_LINK = re.compile(r"<https://www\.sec\.gov/[^|<>\s]+\|[^<>]*>")

Golden = Callable[[str, bytes], None]


def view_of(
    classified: FilingClassified, tickers: TickerMap, route: str = "biotech-watch"
) -> AlertView:
    return build_alert_view(classified, route=route, tickers=tickers, link_hosts=LINK_HOSTS)


def as_json(message: SlackMessage) -> bytes:
    return (json.dumps(message.payload(), indent=2, ensure_ascii=False) + "\n").encode()


def strings(value: Any) -> Iterator[str]:
    """Every string Slack parses as mrkdwn: ``plain_text`` objects are shown as they are."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        if value.get("type") == "plain_text":
            return
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def assert_no_injection(message: SlackMessage) -> None:
    """Every ``<`` or ``>`` left is one of our links to SEC, or a quote marker."""
    for text in strings(message.payload()):
        stripped = OUR_LINK.sub("", text)
        stripped = re.sub(r"(^|\n)>", r"\1", stripped)
        assert "<" not in stripped, text
        assert ">" not in stripped, text
        assert not re.search(r"&(?!amp;|lt;|gt;)", stripped), text


def test_golden_upload_letter(letter: FilingClassified, tickers: TickerMap, golden: Golden) -> None:
    message = render_alert(view_of(letter, tickers), "#compliance")
    golden("slack_upload_letter.json", as_json(message))
    assert check_post(message.payload()) is None


def test_golden_8k_clinical(eight_k: FilingClassified, tickers: TickerMap, golden: Golden) -> None:
    message = render_alert(view_of(eight_k, tickers), "#compliance")
    golden("slack_8k_clinical.json", as_json(message))
    assert check_post(message.payload()) is None


def test_golden_digest(
    letter: FilingClassified, eight_k: FilingClassified, tickers: TickerMap, golden: Golden
) -> None:
    views = [view_of(eight_k, tickers, "daily"), view_of(letter, tickers, "daily")]
    message = render_digest(views, route="daily", channel="C0123456789")
    golden("slack_digest.json", as_json(message))
    assert check_post(message.payload()) is None


def test_the_seed_messages_say_what_an_analyst_needs(
    letter: FilingClassified, eight_k: FilingClassified, tickers: TickerMap
) -> None:
    letter_text = json.dumps(render_alert(view_of(letter, tickers), "#c").payload())
    for expected in (
        "ImmunoGen, Inc. (IMGN)",
        "UPLOAD",
        "SEC staff to company",
        "10 business days",
    ):
        assert expected in letter_text
    assert "Form 10-K for the fiscal year ended June 30, 2008" in letter_text
    assert "*Comments:* 2" in letter_text
    message = render_alert(view_of(eight_k, tickers), "#c")
    text = json.dumps(message.payload(), ensure_ascii=False)
    for expected in (
        "huC242-DM4",
        "Phase I, Phase II",
        "gastric cancer",
        "168 mg/m²",
        "8.01 Other Events",
    ):
        assert expected in text
    assert "2007-10-25 16:31:08 EDT" in text
    assert message.metadata["event_payload"]["accession_number"] == eight_k.filing.accession_number
    assert "0001104659-07-076958-index.htm|Filing index>" in text


def _hostile(eight_k: FilingClassified) -> FilingClassified:
    evil = Company(cik=1, name=f"Evil {INJECTIONS} Corp\r\nBcc: x@evil.example", role="Filed by")
    subject = eight_k.filing.companies[0].model_copy(update={"name": f"ImmunoGen {INJECTIONS}"})
    document = Document(
        url="https://evil.example/phish", type="EX-99.1", filename="x.htm", description=INJECTIONS
    )
    filing = eight_k.filing.model_copy(
        update={
            "companies": (subject, evil),
            "documents": (*eight_k.filing.documents, document),
            "form_type": "8-K <!channel>",
        }
    )
    label = ClinicalUpdateLabel(
        confidence=0.9,
        evidence=(Evidence(source="document:EX-99.1", text=INJECTIONS),),
        details=ClinicalDetails(
            drugs=(INJECTIONS,), indications=("<@U1>",), decisive_sentences=(INJECTIONS,)
        ),
    )
    return eight_k.model_copy(update={"filing": filing, "labels": (*eight_k.labels, label)})


def test_filing_text_cannot_mention_or_link(eight_k: FilingClassified, tickers: TickerMap) -> None:
    view = view_of(_hostile(eight_k), tickers)
    for message in (render_alert(view, "#c"), render_digest([view], route="r", channel="#c")):
        assert_no_injection(message)
        payload = json.dumps(list(strings(message.payload())))
        assert "<!channel>" not in payload
        assert "<@U123ABC>" not in payload
        assert "<http://evil" not in payload
        assert "evil.example/phish" not in payload
        assert "\\r" not in payload
    blocks = json.dumps(render_alert(view, "#c").payload())
    assert "&lt;!channel&gt;" in blocks
    assert "&amp; co" in blocks
    assert "(link not shown: host not allowed)" in blocks


def _enormous(eight_k: FilingClassified) -> FilingClassified:
    long_text = "Lorem ipsum & <dolor> sit amet, " * 200
    companies = tuple(
        Company(cik=1000 + i, name=f"Reporting Person {i} {long_text[:300]}", role="Reporting")
        for i in range(300)
    )
    documents = tuple(
        Document(
            url=f"https://www.sec.gov/Archives/edgar/data/1/{i}.htm",
            type="EX-99",
            filename=f"{i}.htm",
            description=long_text[:500],
        )
        for i in range(300)
    )
    labels = tuple(
        ClinicalUpdateLabel(
            confidence=0.9,
            evidence=(Evidence(source="document:EX-99.1", text=long_text[:2000]),),
            details=ClinicalDetails(
                drugs=tuple(f"drug-{i}-{j}" for j in range(80)),
                indications=(long_text,),
                decisive_sentences=(long_text,),
            ),
        )
        for i in range(80)
    )
    filing = eight_k.filing.model_copy(
        update={
            "companies": (
                eight_k.filing.companies[0].model_copy(update={"name": long_text}),
                *companies,
            ),
            "documents": documents,
            "items": tuple(f"{i}.0{j}" for i in range(1, 10) for j in range(1, 8)),
        }
    )
    return eight_k.model_copy(update={"filing": filing, "labels": labels})


def test_enormous_filings_are_cut_to_slacks_limits(
    eight_k: FilingClassified, tickers: TickerMap
) -> None:
    view = view_of(_enormous(eight_k), tickers)
    message = render_alert(view, "#c")
    assert check_post(message.payload()) is None
    assert len(message.blocks) <= MAX_BLOCKS
    assert blocks_size(message.blocks) <= 12_000
    assert message.blocks[-1]["elements"][0]["text"].startswith("_Shortened")
    assert "-index.htm|Filing index>" in json.dumps(message.payload()), "links survive the cut"
    assert_no_injection(message)
    digest = render_digest([view] * 120, route="r", channel="#c")
    assert check_post(digest.payload()) is None
    shown = sum(1 for block in digest.blocks if block["type"] == "section")
    trailer = digest.blocks[-2]["elements"][0]["text"]
    assert shown >= 10
    assert trailer.startswith(f"And {120 - shown} more: 0001104659-07-076958, ")


def test_fit_blocks_applies_each_documented_limit() -> None:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "H" * 400}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "&amp;" * 1000},
            "fields": [{"type": "mrkdwn", "text": "f" * 2500} for _ in range(14)],
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"} for _ in range(12)]},
        *({"type": "divider"} for _ in range(60)),
    ]
    fitted = fit_blocks(blocks)
    assert len(fitted) == MAX_BLOCKS
    assert len(fitted[0]["text"]["text"]) <= 150
    assert len(fitted[1]["fields"]) == 10
    assert all(len(field["text"]) <= 2000 for field in fitted[1]["fields"])
    assert len(fitted[1]["text"]["text"]) <= 3000
    assert fitted[1]["text"]["text"].endswith("&amp;…")
    assert len(fitted[2]["elements"]) == 10
    assert check_post({"text": "t", "blocks": fitted}) is None
    assert blocks[0]["text"]["text"] == "H" * 400, "the input is not changed"


def test_escaping_and_links() -> None:
    assert escape_mrkdwn("a & <b> c") == "a &amp; &lt;b&gt; c"
    assert mrkdwn_link("https://www.sec.gov/x?a=1&b=2", "A|B <c>") == (
        "<https://www.sec.gov/x?a=1&amp;b=2|A/B &lt;c&gt;>"
    )


def test_cutting_never_splits_an_entity_or_a_link() -> None:
    rng = random.Random(7)
    pieces = ["word ", "&amp;", "&lt;", "&gt;", mrkdwn_link("https://www.sec.gov/a", "doc"), "é"]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        limit = rng.randint(1, 120)
        cut = cut_mrkdwn(text, limit)
        assert len(cut) <= limit
        body = cut.removesuffix("…")
        assert text.startswith(body)
        assert not re.search(r"&[a-z]*$", body)
        assert body.count("<") == body.count(">")


@pytest.mark.parametrize("count", [1, 2])
def test_digest_header_counts_filings(
    count: int, eight_k: FilingClassified, tickers: TickerMap
) -> None:
    views = [view_of(eight_k, tickers)] * count
    message = render_digest(views, route="r", channel="#c")
    header = message.blocks[0]["text"]["text"]
    assert header == f"edgarmon digest · r · {count} filing{'s' if count > 1 else ''}"


def test_a_plain_text_header_reads_as_written_while_mrkdwn_stays_escaped(
    eight_k: FilingClassified, tickers: TickerMap
) -> None:
    subject = eight_k.filing.companies[0].model_copy(
        update={"name": "Research & Development <Holdings>"}
    )
    filing = eight_k.filing.model_copy(
        update={"companies": (subject, *eight_k.filing.companies[1:])}
    )
    message = render_alert(view_of(eight_k.model_copy(update={"filing": filing}), tickers), "#c")
    header = message.blocks[0]
    assert header["type"] == "header"
    assert header["text"]["type"] == "plain_text"
    assert "Research & Development <Holdings>" in header["text"]["text"]
    assert "&amp;" not in header["text"]["text"]
    assert "&lt;" not in header["text"]["text"]
    mrkdwn = json.dumps(list(strings(message.payload())))
    assert "Research &amp; Development &lt;Holdings&gt;" in mrkdwn
    assert "<Holdings>" not in mrkdwn
