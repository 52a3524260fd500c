"""The classifier service against the real broker and the EDGAR simulator: discovered
filings in, exactly one classified event each out, with documents fetched only when
a label needs them, failures recorded on the event, poison dead-lettered, and
silence during a fair-access block."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgarmon.core.domain import codec
from edgarmon.core.domain.messages import (
    CorrespondenceLabel,
    DeadLetter,
    DiscoverySource,
    Item801Label,
    ItemSource,
    LabelId,
    LetterDirection,
)
from edgarmon.testing.kafka_io import produce, read_to_end, wait_for_records
from tests.classifier.service_harness import (
    ITEM_801_8K,
    UPLOAD_LETTERS,
    BlockWatcher,
    classified_events,
    create_service_topics,
    discovered,
    folder_path,
    produce_discovered,
    running_classifier,
    settings_for,
    simulated_edgar,
)

pytestmark = pytest.mark.kafka

FORM_4 = ("0000320193-26-000004", 320193)
QUARTERLY = ("0000320193-26-000010", 320193)


async def test_filings_are_classified_from_their_documents_or_their_metadata_alone(
    kafka_bootstrap: str, unique: str, edgar: Path
) -> None:
    async with simulated_edgar(edgar) as stand_in:
        settings = settings_for(kafka_bootstrap, unique, stand_in.base_url)
        await create_service_topics(settings, partitions=2)
        base = stand_in.base_url
        item_801 = discovered(base, ITEM_801_8K[0], "8-K", ITEM_801_8K[1])
        upload = discovered(base, UPLOAD_LETTERS[0][0], "UPLOAD", UPLOAD_LETTERS[0][1])
        form_4 = discovered(base, FORM_4[0], "4", FORM_4[1])
        await produce_discovered(settings, [item_801, upload, form_4])

        async with running_classifier(settings, stand_in.fetcher()) as runtime:
            records = await wait_for_records(kafka_bootstrap, settings.topic_classified, 3)
            assert runtime.health.ready

        events = classified_events(records)
        assert sorted(events) == sorted([ITEM_801_8K[0], UPLOAD_LETTERS[0][0], FORM_4[0]])
        assert sorted(r.key for r in records) == sorted(a.encode() for a in events)

        eight_k = events[ITEM_801_8K[0]]
        label = eight_k.label(LabelId.ITEM_8_01)
        assert isinstance(label, Item801Label)
        assert label.details.decided_by is ItemSource.DOCUMENT
        assert eight_k.items == ("7.01", "8.01", "9.01")
        assert [d.filename for d in eight_k.filing.documents] == [
            "100493_8K_2017_0000100493-17-000064.htm"
        ]
        assert eight_k.errors == ()
        assert eight_k.classifier_version == settings.classifier_version
        assert eight_k.discovered_by is DiscoverySource.LATEST_FEED  # carried for the notifier
        assert stand_in.requests_for(ITEM_801_8K[0]) == 1  # the full submission .txt

        letter = events[UPLOAD_LETTERS[0][0]]
        correspondence = letter.label(LabelId.SEC_CORRESPONDENCE)
        assert isinstance(correspondence, CorrespondenceLabel)
        assert correspondence.details.direction is LetterDirection.SEC_TO_COMPANY
        assert correspondence.details.comment_count == 2
        assert correspondence.details.response_deadline == "10 business days"
        assert [d.type for d in letter.filing.documents] == ["LETTER"]
        assert letter.errors == ()
        assert stand_in.requests_for(UPLOAD_LETTERS[0][0]) == 1  # the .txt, PDF uuencoded

        ownership = events[FORM_4[0]]
        assert ownership.labels == ()
        assert ownership.errors == ()
        assert ownership.filing == form_4.filing
        assert stand_in.requests_for(FORM_4[0]) == 0
        assert stand_in.sim.request_count() == 2

        sample = runtime.registry.get_sample_value
        assert sample("edgarmon_filings_classified_total") == 3
        assert sample("edgarmon_labels_total", {"label": "8k_item_8_01"}) == 1
        assert sample("edgarmon_labels_total", {"label": "sec_correspondence"}) == 1
        assert sample("edgarmon_labels_total", {"label": "clinical_update"}) == 0
        assert sample("edgarmon_classifier_fetches_total") == 2
        assert await read_to_end(kafka_bootstrap, settings.topic_deadletter) == []


async def test_failed_fetches_and_a_broken_pdf_are_published_with_errors_and_poison_dead_lettered(
    kafka_bootstrap: str, unique: str, edgar: Path
) -> None:
    async with simulated_edgar(edgar) as stand_in:
        settings = settings_for(kafka_bootstrap, unique, stand_in.base_url, fetch_attempts=3)
        await create_service_topics(settings)
        (outage, outage_cik), (broken, broken_cik) = UPLOAD_LETTERS[1], UPLOAD_LETTERS[2]
        stand_in.sim.faults.inject(
            "unavailable", count=100, path_prefix=folder_path(outage, outage_cik)
        )
        stand_in.sim.faults.inject(  # the .txt cut in half: its uuencoded PDF has no end
            "malformed", path_prefix=folder_path(broken, broken_cik) + f"{broken}.txt"
        )
        await produce_discovered(
            settings, [discovered(stand_in.base_url, outage, "UPLOAD", outage_cik)]
        )
        await produce(
            kafka_bootstrap,
            settings.topic_discovered,
            [(b"poison", b"\xff\x00 not an event", [("ce_id", b"0000000000-99-000001")])],
        )
        await produce_discovered(
            settings, [discovered(stand_in.base_url, broken, "UPLOAD", broken_cik)]
        )

        async with running_classifier(settings, stand_in.fetcher()) as runtime:
            records = await wait_for_records(kafka_bootstrap, settings.topic_classified, 2)
            (letter,) = await wait_for_records(kafka_bootstrap, settings.topic_deadletter, 1)

        events = classified_events(records)
        unreachable = events[outage]
        (error,) = unreachable.errors
        assert error.stage == "fetch"
        assert "EdgarUnavailable" in error.message
        assert error.url is not None
        assert error.url.endswith(f"/{outage}.txt")
        assert stand_in.requests_for(outage) == 3, "three tries, then give up"
        known = unreachable.label(LabelId.SEC_CORRESPONDENCE)
        assert isinstance(known, CorrespondenceLabel), "the form alone still decides the label"
        assert known.details.direction is LetterDirection.SEC_TO_COMPANY

        unreadable = events[broken]
        assert [e.stage for e in unreadable.errors] == ["uuencode"]
        assert unreadable.errors[0].url is not None
        assert unreadable.errors[0].url.endswith("/filename1.pdf")
        assert unreadable.label(LabelId.SEC_CORRESPONDENCE) is not None
        assert [d.filename for d in unreadable.filing.documents] == ["filename1.pdf"]

        dead = codec.decode(letter.value, letter.headers, DeadLetter)
        assert dead.error_type == "DecodeError"
        assert dead.service == "classifier"
        assert dead.source_topic == settings.topic_discovered
        assert dead.source_offset == 1
        assert dead.original_key == "poison"

        sample = runtime.registry.get_sample_value
        assert sample("edgarmon_classification_errors_total", {"stage": "fetch"}) == 1
        assert sample("edgarmon_classification_errors_total", {"stage": "uuencode"}) == 1
        assert sample("edgarmon_deadletters_total", {"topic": settings.topic_discovered}) == 1


async def test_during_a_fair_access_block_nothing_is_sent_and_the_filing_waits_its_turn(
    kafka_bootstrap: str, unique: str, edgar: Path
) -> None:
    async with simulated_edgar(edgar) as stand_in:
        settings = settings_for(kafka_bootstrap, unique, stand_in.base_url)
        await create_service_topics(settings)
        accession, cik = UPLOAD_LETTERS[3]
        stand_in.sim.faults.inject("block", path_prefix=folder_path(accession, cik))
        await produce_discovered(
            settings,
            [
                discovered(stand_in.base_url, accession, "UPLOAD", cik),
                discovered(stand_in.base_url, QUARTERLY[0], "10-Q", QUARTERLY[1]),
            ],
        )
        watcher = BlockWatcher(stand_in.fetcher())

        async with running_classifier(settings, watcher) as runtime:
            await watcher.wait_for_blocked(2)
            assert stand_in.client.blocked_until is not None
            assert stand_in.requests_for(accession) == 1, "only the request that met the block"
            assert await read_to_end(kafka_bootstrap, settings.topic_classified) == [], (
                "the blocked filing is not published half-done, and its partition waits"
            )
            deferred = runtime.registry.get_sample_value(
                "edgarmon_classifications_deferred_total", {"reason": "fair_access_block"}
            )
            assert deferred is not None
            assert deferred >= 2

            stand_in.time.now += settings.edgar_block_seconds + 1  # the client's quiet time
            stand_in.guard_clock.advance(settings.edgar_block_seconds + 1)  # EDGAR's block
            records = await wait_for_records(kafka_bootstrap, settings.topic_classified, 2)

        events = classified_events(records)
        letter = events[accession]
        assert letter.errors == ()
        label = letter.label(LabelId.SEC_CORRESPONDENCE)
        assert isinstance(label, CorrespondenceLabel)
        assert label.details.comment_count > 0, "the letter itself was read after the block"
        assert stand_in.requests_for(accession) == 2  # the blocked .txt; the .txt
        assert events[QUARTERLY[0]].labels == ()
