"""Planning deliveries, the sent-ledger, and digest batching."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from edgarmon.core.domain.codec import decode, encode
from edgarmon.core.domain.messages import AlertChannel, AlertSent, FilingClassified
from edgarmon.notifier.domain.deliveries import Delivery, plan_deliveries
from edgarmon.notifier.domain.digest import DigestBook
from edgarmon.notifier.domain.routes import DigestPolicy, Route, parse_routes
from edgarmon.notifier.domain.sent_ledger import SentLedger, sent_record

ACCESSION = "0001104659-07-076958"
POLICY = DigestPolicy(interval_seconds=60, max_alerts=3)
SENT_AT = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)


def routes(*specs: dict[str, object]) -> tuple[Route, ...]:
    data = {"routes": [{"match": {"forms": ["8-K"]}, **spec} for spec in specs]}
    return parse_routes(data, tickers=None, default_digest=POLICY)


def test_one_delivery_per_destination_first_immediate_route_wins() -> None:
    matched = routes(
        {"name": "digesty", "deliver": {"slack": ["#a"]}, "digest": True},
        {"name": "first", "deliver": {"slack": ["#a", "#b"], "email": ["x@example.com"]}},
        {"name": "second", "deliver": {"slack": ["#b"], "email": ["x@example.com"]}},
        {"name": "digest-only", "deliver": {"email": ["y@example.com"]}, "digest": True},
    )
    plan = plan_deliveries(ACCESSION, matched)
    by_destination = {d.destination: d for d in plan}
    assert len(plan) == 4
    assert by_destination["#a"].route == "first"
    assert by_destination["#a"].digest is False
    assert by_destination["#b"].route == "first"
    assert by_destination["x@example.com"] == Delivery(
        ACCESSION, "first", AlertChannel.EMAIL, "x@example.com"
    )
    assert by_destination["y@example.com"].digest is True
    assert by_destination["#a"].ledger_key == f"{ACCESSION}|first|#a"


def test_the_ledger_skips_what_was_sent_and_rebuilds_from_the_topic() -> None:
    plan = plan_deliveries(
        ACCESSION, routes({"name": "r", "deliver": {"slack": ["#a"], "email": ["x@example.com"]}})
    )
    ledger = SentLedger()
    assert ledger.unsent(plan) == plan
    record = sent_record(plan[0], sent_at=SENT_AT, reference="1717416000.000100")
    ledger.record(record)
    assert ledger.unsent(plan) == plan[1:]
    assert ledger.was_sent(plan[0])

    # What the compacted topic holds: encoded records, then decoded after a restart.
    on_topic = encode(record, source="/edgarmon/notifier")
    assert on_topic.key.decode() == plan[0].ledger_key
    replayed = decode(on_topic.value, on_topic.headers, AlertSent)
    rebuilt = SentLedger.from_records([(on_topic.key.decode(), replayed)])
    assert rebuilt.unsent(plan) == plan[1:]
    assert rebuilt.get(plan[0].ledger_key) == record


def test_a_tombstone_forgets_and_pruning_drops_old_records() -> None:
    plan = plan_deliveries(ACCESSION, routes({"name": "r", "deliver": {"slack": ["#a", "#b"]}}))
    old = sent_record(plan[0], sent_at=SENT_AT - timedelta(days=30), reference=None)
    new = sent_record(plan[1], sent_at=SENT_AT, reference=None)
    ledger = SentLedger.from_records(
        [(old.kafka_key(), old), (new.kafka_key(), new), (new.kafka_key(), None)]
    )
    assert len(ledger) == 1
    assert old.kafka_key() in ledger
    assert ledger.prune(SENT_AT - timedelta(days=7)) == 1
    assert len(ledger) == 0


def _digest_delivery(accession: str, destination: str = "#a") -> Delivery:
    return Delivery(accession, "noisy", AlertChannel.SLACK, destination, digest=True)


def test_digest_batches_are_due_after_their_interval(eight_k: FilingClassified) -> None:
    book = DigestBook()
    assert book.add(_digest_delivery("0000000001-24-000001"), eight_k, POLICY, now=100.0) is None
    assert book.add(_digest_delivery("0000000001-24-000002"), eight_k, POLICY, now=130.0) is None
    assert book.add(_digest_delivery("0000000001-24-000003", "#b"), eight_k, POLICY, 140.0) is None
    assert book.next_due_at() == 160.0
    assert book.pending() == 3
    assert book.due(159.9) == ()

    (first,) = book.due(160.0)
    assert first.destination == "#a"
    assert first.accession_numbers == ("0000000001-24-000001", "0000000001-24-000002")
    assert first.opened_at == 100.0
    assert book.held_accessions() == frozenset({"0000000001-24-000003"})
    (second,) = book.flush()
    assert second.destination == "#b"
    assert book.pending() == 0
    assert book.next_due_at() is None


def test_a_full_digest_closes_at_once_and_a_filing_is_held_once(
    eight_k: FilingClassified,
) -> None:
    book = DigestBook()
    book.add(_digest_delivery("0000000001-24-000001"), eight_k, POLICY, now=0.0)
    book.add(_digest_delivery("0000000001-24-000001"), eight_k, POLICY, now=1.0)
    book.add(_digest_delivery("0000000001-24-000002"), eight_k, POLICY, now=2.0)
    batch = book.add(_digest_delivery("0000000001-24-000003"), eight_k, POLICY, now=3.0)
    assert batch is not None
    assert batch.accession_numbers == (
        "0000000001-24-000001",
        "0000000001-24-000002",
        "0000000001-24-000003",
    )
    assert len(batch.filings) == 3
    assert book.pending() == 0
