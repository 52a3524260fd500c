"""Classify one discovered filing, fetching only what its labels need.

This is the thin I/O edge around the pure core: plan (:func:`needs_documents`),
then fetch through any :class:`~edgarmon.classifier.adapters.fetching.DocumentFetcher` (the
shared fair-access client in the service), read, classify. A filing whose labels
need no document costs no request. One that does costs **one**: its full
submission ``.txt`` (every document of the filing, up to ``submission_max_bytes``),
from which the documents are chosen as they would be from ``index.json``. When the
``.txt`` is over that cap, missing or not a submission, or ``submission_max_bytes`` is
0, the filing's ``index.json`` is read and the chosen documents fetched one at a
time, as before; either way the same documents are read, so the labels are the same.
A fetch that fails becomes a
:class:`~edgarmon.core.domain.messages.ClassificationError` (stage ``fetch``) and the
filing is still classified from what is known; only a fair-access block is
raised, because then every request would fail and the caller must back off.

Reading documents (HTML, PDF) and classifying them is CPU work on untrusted bytes:
it runs where ``parsing`` says, in the service a bounded worker process
(:mod:`edgarmon.core.adapters.bounded_work`), so the event loop keeps answering Kafka
heartbeats and probes, and a document past the time or memory budget becomes an
error (stage ``read``) on the event while the filing is still classified from what
is known.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from edgarmon.classifier.adapters.fetching import DocumentFetcher
from edgarmon.classifier.domain.classify import DEFAULT_THRESHOLD, Classification, classify
from edgarmon.classifier.domain.document_reading import error_from, read_fetched
from edgarmon.classifier.domain.errors import UnreadableDocument
from edgarmon.classifier.domain.planning import (
    choose_documents,
    documents_to_fetch,
    full_submission_url,
    needs_documents,
)
from edgarmon.classifier.domain.submission import is_submission, submission_files
from edgarmon.core.adapters.bounded_work import INLINE, Parsing
from edgarmon.core.domain.clock import Clock
from edgarmon.core.domain.errors import (
    BudgetExceeded,
    DocumentTooLarge,
    EdgarError,
    EdgarUnavailable,
    FairAccessBlocked,
)
from edgarmon.core.domain.filing import Document, Filing
from edgarmon.core.domain.messages import ClassificationError, DiscoverySource, FilingClassified

MAX_DOCUMENTS = 6
SUBMISSION_MAX_BYTES = 4 * 1024 * 1024
"""Largest full submission ``.txt`` read instead of the documents one by one."""

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ClassifiedFiling:
    """A filing and its classification. ``filing.documents`` lists the documents the
    labels needed, from ``index.json`` or the full submission, when one was read."""

    filing: Filing
    classification: Classification
    requests: int = 0
    """Fetches attempted (index and full submission included); 0 when the metadata decided."""
    fetch_seconds: float = 0.0
    """Time spent fetching from EDGAR (waiting for the request budget included)."""
    read_seconds: float = 0.0
    """Time spent reading the documents and classifying (in the worker)."""

    def to_message(
        self,
        *,
        classified_at: datetime,
        classifier_version: str,
        discovered_by: DiscoverySource | None = None,
    ) -> FilingClassified:
        return self.classification.to_message(
            self.filing,
            classified_at=classified_at,
            classifier_version=classifier_version,
            discovered_by=discovered_by,
        )


def fetch_error(exc: EdgarError, url: str) -> ClassificationError:
    return ClassificationError(
        stage="fetch", message=f"{type(exc).__name__}: {exc}"[:1000], url=url
    )


def _read_and_classify(
    filing: Filing,
    fetched: Sequence[tuple[Document, bytes]],
    errors: Sequence[ClassificationError],
    threshold: float,
) -> Classification:
    texts, read_errors = read_fetched(fetched)
    return classify(filing, texts, errors=[*errors, *read_errors], threshold=threshold)


def _classify_submission(
    filing: Filing, data: bytes, threshold: float, max_documents: int
) -> tuple[tuple[Document, ...], Classification] | None:
    """In the worker: choose the labels' documents among the full submission's, read
    them and classify, as if each had been fetched on its own (a PDF that does not
    decode is an error on it). None when ``data`` is not a submission: the caller then
    reads ``index.json``."""
    files = dict(submission_files(data))
    if not files and not is_submission(data[:8192].decode("latin-1")):
        return None
    sizes = [(name, len(body) if isinstance(body, bytes) else None) for name, body in files.items()]
    chosen = choose_documents(filing, sizes)
    fetched: list[tuple[Document, bytes]] = []
    errors: list[ClassificationError] = []
    for document in chosen[:max_documents]:
        body = files[document.filename]
        if isinstance(body, UnreadableDocument):
            errors.append(error_from(body, url=document.url))
        else:
            fetched.append((document, body))
    return chosen, _read_and_classify(filing, fetched, errors, threshold)


@dataclass(slots=True)
class _Work:
    """What one filing cost so far."""

    clock: Clock
    requests: int = 0
    fetch_seconds: float = 0.0
    read_seconds: float = 0.0

    async def fetch(
        self, fetcher: DocumentFetcher, url: str, max_bytes: int | None = None
    ) -> bytes:
        self.requests += 1
        started = self.clock()
        try:
            return await fetcher.fetch(url, max_bytes=max_bytes)
        finally:
            self.fetch_seconds += self.clock() - started

    async def read(self, parsing: Parsing, function: Callable[..., T], *args: object) -> T:
        started = self.clock()
        try:
            return await parsing.run(function, *args)
        finally:
            self.read_seconds += self.clock() - started

    def done(self, filing: Filing, classification: Classification) -> ClassifiedFiling:
        return ClassifiedFiling(
            filing, classification, self.requests, self.fetch_seconds, self.read_seconds
        )


async def classify_discovered(
    filing: Filing,
    fetcher: DocumentFetcher,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_documents: int = MAX_DOCUMENTS,
    parsing: Parsing = INLINE,
    submission_max_bytes: int = SUBMISSION_MAX_BYTES,
    clock: Clock = time.perf_counter,
) -> ClassifiedFiling:
    """Fetch what ``filing``'s labels need and classify it. Raises only
    :class:`FairAccessBlocked`; other fetch failures are recorded as errors."""
    if not needs_documents(filing):
        return ClassifiedFiling(filing, classify(filing, threshold=threshold))
    work = _Work(clock)
    if not filing.documents and submission_max_bytes > 0:
        done = await _from_full_submission(
            filing,
            fetcher,
            work,
            parsing=parsing,
            threshold=threshold,
            max_documents=max_documents,
            max_bytes=submission_max_bytes,
        )
        if done is not None:
            return done
    return await _document_by_document(
        filing, fetcher, work, parsing=parsing, threshold=threshold, max_documents=max_documents
    )


async def _from_full_submission(
    filing: Filing,
    fetcher: DocumentFetcher,
    work: _Work,
    *,
    parsing: Parsing,
    threshold: float,
    max_documents: int,
    max_bytes: int,
) -> ClassifiedFiling | None:
    """One request for the whole filing; None when the ``.txt`` cannot serve (too
    large, missing, not a submission), so the caller reads the documents one by one.
    When EDGAR is unavailable the error is recorded as for any document."""
    url = full_submission_url(filing)
    try:
        data = await work.fetch(fetcher, url, max_bytes)
    except FairAccessBlocked:
        raise
    except EdgarUnavailable as exc:
        # EDGAR failing (after the fetcher's tries): asking for each document instead
        # would only fail more times
        return work.done(
            filing, classify(filing, errors=[fetch_error(exc, url)], threshold=threshold)
        )
    except (DocumentTooLarge, EdgarError):
        return None
    try:
        result = await work.read(
            parsing, _classify_submission, filing, data, threshold, max_documents
        )
    except BudgetExceeded as exc:
        over = ClassificationError(stage="read", message=f"{type(exc).__name__}: {exc}"[:1000])
        return work.done(filing, classify(filing, errors=[over], threshold=threshold))
    if result is None:
        return None
    chosen, classification = result
    if chosen:
        filing = filing.model_copy(update={"documents": chosen})
    return work.done(filing, classification)


async def _document_by_document(
    filing: Filing,
    fetcher: DocumentFetcher,
    work: _Work,
    *,
    parsing: Parsing,
    threshold: float,
    max_documents: int,
) -> ClassifiedFiling:
    errors: list[ClassificationError] = []
    index_url = filing.folder_url + "index.json"
    index = b""
    if not filing.documents:
        try:
            index = await work.fetch(fetcher, index_url)
        except FairAccessBlocked:
            raise
        except EdgarError as exc:
            errors.append(fetch_error(exc, index_url))
            return work.done(filing, classify(filing, errors=errors, threshold=threshold))
    try:
        planned = documents_to_fetch(filing, index)
    except EdgarError as exc:
        errors.append(ClassificationError(stage="index", message=str(exc)[:1000], url=index_url))
        planned = ()
    if planned and not filing.documents:
        filing = filing.model_copy(update={"documents": planned})
    fetched: list[tuple[Document, bytes]] = []
    for document in planned[:max_documents]:
        try:
            fetched.append((document, await work.fetch(fetcher, document.url)))
        except FairAccessBlocked:
            raise
        except EdgarError as exc:
            errors.append(fetch_error(exc, document.url))
    if not fetched:
        return work.done(filing, classify(filing, errors=errors, threshold=threshold))
    try:
        classification = await work.read(
            parsing, _read_and_classify, filing, fetched, errors, threshold
        )
    except BudgetExceeded as exc:
        over = ClassificationError(stage="read", message=f"{type(exc).__name__}: {exc}"[:1000])
        classification = classify(filing, errors=[*errors, over], threshold=threshold)
    return work.done(filing, classification)


async def classify_filing(
    filing: Filing,
    fetcher: DocumentFetcher,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_documents: int = MAX_DOCUMENTS,
    submission_max_bytes: int = SUBMISSION_MAX_BYTES,
) -> Classification:
    """:func:`classify_discovered`, for callers that need only the classification."""
    classified = await classify_discovered(
        filing,
        fetcher,
        threshold=threshold,
        max_documents=max_documents,
        submission_max_bytes=submission_max_bytes,
    )
    return classified.classification
