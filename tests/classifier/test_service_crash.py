"""Exactly once across a crash: ``python -m edgarmon.classifier`` is killed with SIGKILL
in the middle of the stream, restarted, and every discovered filing ends up in the
classified topic exactly once for ``read_committed`` readers."""

from __future__ import annotations

import asyncio
import os
import signal
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from edgarmon.classifier.settings import ClassifierSettings
from edgarmon.core.domain.messages import FilingDiscovered, LabelId
from edgarmon.testing.kafka_io import committed_offsets, read_to_end, wait_for_records
from edgarmon.testing.processes import Process, running_module
from tests.classifier.local_edgar import USER_AGENT
from tests.classifier.service_harness import (
    ITEM_801_8K,
    OTHER_8KS,
    UPLOAD_LETTERS,
    classified_events,
    create_service_topics,
    discovered,
    folder_path,
    produce_discovered,
    settings_for,
    simulated_edgar,
)

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
TOTAL = 30
BATCH = 2
STUCK_AT = 20
"""The input whose EDGAR answer hangs: the first run is killed while handling it."""


def stream(base_url: str) -> list[FilingDiscovered]:
    """Metadata-only Form 4s, with a filing that needs documents every third place."""
    with_documents = [discovered(base_url, a, "UPLOAD", cik) for a, cik in UPLOAD_LETTERS]
    with_documents += [discovered(base_url, a, "8-K", cik) for a, cik in (ITEM_801_8K, *OTHER_8KS)]
    metadata_only = [
        discovered(base_url, f"0000320193-26-{n:06d}", "4", 320193) for n in range(TOTAL)
    ]
    return [
        with_documents.pop(0) if place % 3 == 2 and with_documents else metadata_only.pop()
        for place in range(TOTAL)
    ]


def service_env(settings: ClassifierSettings) -> dict[str, str]:
    return {
        **os.environ,
        "EDGARMON_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "EDGARMON_KAFKA_CREATE_TOPICS": "false",
        "EDGARMON_TOPIC_DISCOVERED": settings.topic_discovered,
        "EDGARMON_TOPIC_CLASSIFIED": settings.topic_classified,
        "EDGARMON_TOPIC_DEADLETTER": settings.topic_deadletter,
        "EDGARMON_CONSUMER_GROUP": settings.consumer_group,
        "EDGARMON_TRANSACTIONAL_ID": str(settings.transactional_id),
        "EDGARMON_CONSUMER_BATCH_SIZE": str(BATCH),
        "EDGARMON_EDGAR_USER_AGENT": USER_AGENT,
        "EDGARMON_EDGAR_BASE_URL": settings.edgar_base_url,
        "EDGARMON_EDGAR_DATA_URL": settings.edgar_data_url,
        "EDGARMON_EDGAR_REQUESTS_PER_SECOND": "10",
        "EDGARMON_FETCH_RETRY_SECONDS": "0",
        "EDGARMON_HEALTH_PORT": "0",
        "EDGARMON_LOG_FORMAT": "json",
    }


def classifier_process(env: dict[str, str], log_path: Path) -> AbstractAsyncContextManager[Process]:
    """``python -m edgarmon.classifier``, its log in ``log_path``; killed if still running
    when the block ends."""
    return running_module("edgarmon.classifier", env, log_path=log_path, cwd=ROOT)


async def test_a_sigkill_mid_stream_then_a_restart_classifies_every_filing_exactly_once(
    kafka_bootstrap: str, unique: str, edgar: Path, tmp_path: Path
) -> None:
    async with simulated_edgar(edgar) as stand_in:
        settings = settings_for(kafka_bootstrap, unique, stand_in.base_url)
        await create_service_topics(settings)
        inputs = stream(stand_in.base_url)
        stuck = inputs[STUCK_AT].filing
        assert stuck.form_type == "8-K"
        stand_in.sim.faults.inject(
            "slow",
            seconds=120.0,
            path_prefix=folder_path(stuck.accession_number, stuck.companies[0].cik),
        )
        await produce_discovered(settings, inputs)
        env = service_env(settings)
        log_path = tmp_path / "classifier.log"

        async with classifier_process(env, log_path) as first:
            # Every batch before the stuck filing commits; the stuck one never can.
            await wait_for_records(kafka_bootstrap, settings.topic_classified, STUCK_AT - BATCH)
            first.send_signal(signal.SIGKILL)
            assert await asyncio.wait_for(first.wait(), timeout=10) == -signal.SIGKILL
        stand_in.sim.faults.clear()  # EDGAR answers again (if the first run got that far)

        before = await read_to_end(kafka_bootstrap, settings.topic_classified)
        assert STUCK_AT - BATCH <= len(before) <= STUCK_AT, log_path.read_text()

        async with classifier_process(env, log_path) as second:
            await wait_for_records(kafka_bootstrap, settings.topic_classified, TOTAL, within=60)
            second.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(second.wait(), timeout=30) == 0, log_path.read_text()

        after = await read_to_end(kafka_bootstrap, settings.topic_classified)
        keys = [record.key.decode() for record in after]
        assert len(keys) == len(set(keys)), "no filing is classified twice"
        assert sorted(keys) == sorted(m.filing.accession_number for m in inputs), "none missing"
        events = classified_events(after)
        assert events[ITEM_801_8K[0]].label(LabelId.ITEM_8_01) is not None
        assert events[stuck.accession_number].errors == ()
        assert all(events[a].label(LabelId.SEC_CORRESPONDENCE) for a, _ in UPLOAD_LETTERS)
        assert await committed_offsets(
            kafka_bootstrap, settings.consumer_group, settings.topic_discovered, 1
        ) == [TOTAL]
        assert await read_to_end(kafka_bootstrap, settings.topic_deadletter) == []
