"""The whole pipeline, as the demo runs it: simulator -> poller -> classifier -> notifier,
against the real broker and the local Slack and SMTP sinks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from edgarmon.core.kafka import replay_topic
from edgarmon.core.messages import FilingClassified, FilingDiscovered, LabelId
from edgarmon.core.settings import ServiceSettings
from edgarmon.demo.pipeline import DemoOptions, accessions_in, is_digest, run_pipeline

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

SEED_8K = "0000999999-07-000001"
SEED_LETTER = "0000999999-09-000001"


async def test_every_featured_filing_flows_to_slack_and_email_once(
    shared: Path, kafka_bootstrap: str, unique: str
) -> None:
    lines: list[str] = []
    run = await run_pipeline(
        DemoOptions(
            shared=shared,
            bootstrap_servers=kafka_bootstrap,
            seconds=100,
            topic_suffix=f".{unique}",
        ),
        printer=lines.append,
    )
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
    assert correspondence.id is LabelId.SEC_CORRESPONDENCE
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
