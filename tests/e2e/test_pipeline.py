"""The whole pipeline, as the demo runs it: simulator -> poller -> classifier -> notifier,
against the real broker and the local Slack and SMTP sinks. One run, printed as
``edgarmon demo`` prints it (logs included), and checked three ways: every featured
filing is alerted once, nothing is logged that a user could not act on, and the
summary's numbers add up."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import structlog

from edgarmon.core.adapters.kafka import replay_topic
from edgarmon.core.domain.messages import (
    CorrespondenceLabel,
    FilingClassified,
    FilingDiscovered,
    LabelId,
)
from edgarmon.core.logs import configure_logging
from edgarmon.core.settings import ServiceSettings
from edgarmon.demo.main import run_demo
from edgarmon.demo.pipeline import DemoOptions, accessions_in, is_digest
from edgarmon.demo.report import Summary

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

SEED_8K = "0000999999-07-000001"
SEED_LETTER = "0000999999-09-000001"
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+Z \[\s*(\w+)\s*\]")
"""A line of the console renderer: the demo logs at WARNING, so any is WARNING or worse."""


@contextmanager
def demo_console(out: io.StringIO) -> Iterator[None]:
    """Logging set up as ``edgarmon demo`` does, onto ``out``; put back afterwards."""
    saved = structlog.get_config()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    libraries = {name: logging.getLogger(name).level for name in ("aiokafka", "kafka")}
    configure_logging(level="warning", fmt="console", stream=out)
    try:
        yield
    finally:
        root.handlers[:], root.level = handlers, level
        for name, library_level in libraries.items():
            logging.getLogger(name).setLevel(library_level)
        structlog.configure(**saved)


@pytest.fixture(scope="module")
def demo(shared: Path, kafka_bootstrap: str) -> tuple[Summary, str]:
    """One demo run, shared by the module's tests (it takes as long as the demo)."""
    out = io.StringIO()
    options = DemoOptions(
        shared=shared,
        bootstrap_servers=kafka_bootstrap,
        seconds=100,
        topic_suffix=f".demo-{uuid.uuid4().hex[:10]}",
    )

    def printer(line: str) -> None:
        out.write(line + "\n")

    with demo_console(out):
        summary = asyncio.run(run_demo(options, printer=printer))
    return summary, out.getvalue()


async def test_every_featured_filing_flows_to_slack_and_email_once(
    demo: tuple[Summary, str], kafka_bootstrap: str
) -> None:
    summary, output = demo
    run = summary.run
    lines = output.splitlines()
    settings = ServiceSettings(kafka_bootstrap_servers=kafka_bootstrap)
    featured = {item.template.accession for item in run.featured}
    assert "demo: every featured filing has been alerted" in lines
    assert featured <= run.deliveries.alerted_accessions()

    discovered = [
        m.filing.accession_number
        async for m in replay_topic(settings, run.topics["topic_discovered"], FilingDiscovered)
    ]
    assert len(discovered) == len(set(discovered)), "no filing is published twice"
    classified = {
        m.filing.accession_number: m
        async for m in replay_topic(settings, run.topics["topic_classified"], FilingClassified)
    }
    assert set(classified) == set(discovered), "every discovered filing is classified once"

    eight_k = classified[SEED_8K]
    assert {label.id for label in eight_k.labels} == {
        LabelId.ITEM_8_01,
        LabelId.CLINICAL_UPDATE,
    }
    letter = classified[SEED_LETTER]
    (correspondence,) = letter.labels
    assert isinstance(correspondence, CorrespondenceLabel)
    assert correspondence.details.direction == "sec_to_company"

    immediate = Counter(
        (accession, post.channel)
        for _, post in run.deliveries.slack
        if not is_digest(post)
        for accession in accessions_in(post)
    )
    assert immediate, "immediate routes posted"
    assert max(immediate.values()) == 1, "no Slack alert is sent twice"
    mailed = Counter(mail.message["Message-ID"] for _, mail in run.deliveries.mail)
    assert len(mailed) >= 2
    assert max(mailed.values()) == 1, "no e-mail is sent twice"


def test_a_healthy_run_logs_nothing_a_user_cannot_act_on(demo: tuple[Summary, str]) -> None:
    _, output = demo
    logged = [line for line in output.splitlines() if LOG_LINE.match(line)]
    assert logged == [], "no ERROR or WARNING line in a healthy run"
    subjects = [line for line in output.splitlines() if line.lstrip().startswith("Subject:")]
    assert len(subjects) >= 2
    assert all(line.startswith("  Subject: [edgarmon] ") for line in subjects), subjects


def test_the_summary_numbers_add_up(demo: tuple[Summary, str]) -> None:
    summary, output = demo
    tally = summary.tally
    assert tally.unreconciled() == []
    assert tally.visible == tally.early + tally.arrived + tally.featured
    assert tally.early > 0, "the start-up backlog"
    # EDGAR closed and the pipeline caught up: every visible filing was published
    assert tally.published == tally.visible
    assert (tally.unfindable, tally.missed, tally.published_after_close) == (0, (), 0)
    assert tally.published == sum(tally.by_source.values())
    assert tally.classified == tally.published
    assert len(tally.detection) == tally.published - tally.early, "latency n: after start-up"
    assert len(tally.to_slack) == tally.alerted_immediately == tally.slack_alerts
    assert tally.ledger == sum(route.records for route in tally.routes)
    assert tally.ledger == tally.slack_alerts + tally.emails + tally.digested_filings
    assert tally.slack_messages == len(summary.run.deliveries.slack)

    # what the reader sees says the same
    assert (
        f"filings made visible by the simulator: {tally.visible} = {tally.early} before the "
        f"poller's first publish (start-up backlog) + {tally.arrived} arriving later "
        f"+ {tally.featured} featured"
    ) in output
    published = rf"^published to edgar\.filings\.discovered\.v1\S*: {tally.published} \("
    assert re.search(published, output, flags=re.MULTILINE)
    assert f"(n={len(tally.detection)})" in output
    assert "DOES NOT ADD UP" not in output
    routes = re.findall(r"^  route \S+: (\d+) = ", output, flags=re.MULTILINE)
    assert sum(int(records) for records in routes) == tally.ledger
    assert f": {tally.ledger}, one per filing, route and destination:" in output
    progress = [
        int(count)
        for count in re.findall(
            r"^demo: (\d+) filings made visible by the simulator so far", output, flags=re.MULTILINE
        )
    ]
    assert progress == sorted(progress)
    assert all(count <= tally.visible for count in progress), "the same count, earlier"
