"""Backfill jobs run by the poller, the discovered topic's one writer: a job's days are
published once, filtered, beside the live feed; a filing already on the topic is not
sent again; a request written again for a finished job changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from edgarmon.core.domain import codec
from edgarmon.core.domain.messages import BackfillJob, BackfillState, DiscoverySource
from edgarmon.poller.domain.backfill_jobs import keeps, merged, next_day, progressed
from edgarmon.testing.kafka_io import produce, read_to_end, wait_for_records
from tests.classifier.service_harness import discovered
from tests.poller.service_harness import (
    backfill_stand_in,
    published,
    running_poller,
)

CANADA_GOOSE_LETTER = ("0001193125-20-031314", 1690511)  # on the recorded 2020-03-18 index
LETTERS_THAT_DAY = 28  # CORRESP and UPLOAD accessions on it (released that day)
NOW = datetime(2025, 6, 2, tzinfo=UTC)


def job(**fields: object) -> BackfillJob:
    values: dict[str, object] = {
        "job_id": "test-job",
        "first_day": date(2020, 3, 16),
        "last_day": date(2020, 3, 20),
        "forms": ("CORRESP", "UPLOAD"),
        "state": BackfillState.REQUESTED,
        "updated_at": NOW,
    }
    values.update(fields)
    return BackfillJob.model_validate(values)


def test_the_days_of_a_job_skip_weekends_and_stop_at_its_end() -> None:
    requested = job(first_day=date(2020, 3, 13))
    assert next_day(requested) == date(2020, 3, 13)
    friday = progressed(requested, date(2020, 3, 13), listed=0, kept=0, published=0, now=NOW)
    assert next_day(friday) == date(2020, 3, 16)  # the weekend has no index
    assert friday.state is BackfillState.RUNNING
    last = progressed(friday, date(2020, 3, 20), listed=5, kept=2, published=1, now=NOW)
    assert (last.state, next_day(last), last.days_read, last.published) == (
        BackfillState.DONE,
        None,
        2,
        1,
    )


def test_a_request_written_again_keeps_the_progress() -> None:
    running = progressed(job(), date(2020, 3, 18), listed=9, kept=4, published=3, now=NOW)
    later = NOW + timedelta(minutes=1)
    again = merged(running, job(updated_at=later))
    assert again.done_through == date(2020, 3, 18)
    assert again.published == 3
    assert again.state is BackfillState.REQUESTED  # resumed from where it stopped
    done = running.model_copy(update={"state": BackfillState.DONE})
    assert merged(done, job(updated_at=later)).state is BackfillState.DONE


def test_a_pause_written_while_a_day_was_read_holds() -> None:
    started = NOW + timedelta(minutes=1)
    paused = job(state=BackfillState.PAUSED, updated_at=started + timedelta(seconds=5))
    day_read = progressed(job(), date(2020, 3, 16), listed=1, kept=0, published=0, now=started)
    for first, second in ((paused, day_read), (day_read, paused)):
        state = merged(merged(None, first), second)
        assert state.state is BackfillState.PAUSED
        assert state.done_through == date(2020, 3, 16)


async def test_a_job_publishes_its_days_once_beside_the_live_feed(
    kafka_bootstrap: str, unique: str, shared: Path
) -> None:
    async with backfill_stand_in(kafka_bootstrap, unique, shared / "edgar") as stand_in:
        sim, settings, clock = stand_in.running, stand_in.settings, stand_in.clock
        already = await _one_already_published(
            kafka_bootstrap, settings.topic_discovered, sim.base_url
        )
        request = codec.encode(job(job_id=unique), source="/edgarmon/backfill")
        as_record = [(request.key, request.value, request.headers)]
        await produce(kafka_bootstrap, settings.topic_backfill, as_record)
        async with running_poller(settings, clock, create_topic=False):
            progress = await wait_for_records(kafka_bootstrap, settings.topic_backfill, 6)
        states = [codec.decode(r.value, r.headers, BackfillJob) for r in progress]
        final = states[-1]
        assert final.state is BackfillState.DONE
        assert [s.done_through for s in states[1:]] == [date(2020, 3, d) for d in range(16, 21)]
        assert (final.days_read, final.kept, final.published) == (
            5,
            LETTERS_THAT_DAY,
            LETTERS_THAT_DAY - 1,
        )
        assert final.listed > final.kept
        events = await published(kafka_bootstrap, settings.topic_discovered)
        backfilled = [e for e in events if e.source is DiscoverySource.BACKFILL]
        assert len(backfilled) == LETTERS_THAT_DAY - 1
        assert {e.filing.base_form_type for e in backfilled} <= {"CORRESP", "UPLOAD"}
        assert all(keeps(final, e.filing) for e in backfilled)
        accessions = [e.filing.accession_number for e in events]
        assert accessions.count(already) == 1  # on the topic before the job: not sent again
        assert len(accessions) == len(set(accessions))

        # The same request once more, and a restart: nothing is published again.
        await produce(kafka_bootstrap, settings.topic_backfill, as_record)
        async with running_poller(settings, clock, create_topic=False) as poller:
            await wait_for_records(kafka_bootstrap, settings.topic_backfill, 7, within=30)
            assert poller.metric("edgarmon_poller_published_total", source="backfill") == 0
        again = await published(kafka_bootstrap, settings.topic_discovered)
        assert sorted(e.filing.accession_number for e in again) == sorted(accessions)
        assert len(await read_to_end(kafka_bootstrap, settings.topic_backfill)) == 7


async def _one_already_published(bootstrap: str, topic: str, base_url: str) -> str:
    """A letter of 2020-03-18, as the live poller would have published it."""
    accession, cik = CANADA_GOOSE_LETTER
    event = discovered(base_url, accession, "CORRESP", cik)
    moved = event.model_copy(update={"source": DiscoverySource.DAILY_INDEX})
    record = codec.encode(moved, source="/edgarmon/poller")
    await produce(bootstrap, topic, [(record.key, record.value, record.headers)])
    return accession
