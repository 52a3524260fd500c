"""Classify one discovered filing, fetching only what its labels need.

This is the thin I/O edge around the pure core: plan (:func:`needs_documents`),
read the filing's ``index.json``, fetch the chosen documents one at a time
through any :class:`~edgarmon.classifier.fetching.DocumentFetcher` (the shared
fair-access client in the service), read them, classify. A filing whose labels
need no document costs no request. A fetch that fails becomes a
:class:`~edgarmon.core.messages.ClassificationError` (stage ``fetch``) and the
filing is still classified from what is known; only a fair-access block is
raised, because then every request would fail and the caller must back off.

Reading documents (HTML, PDF) and classifying them is CPU work on untrusted bytes:
it runs where ``parsing`` says, in the service a bounded worker process
(:mod:`edgarmon.core.bounded_work`), so the event loop keeps answering Kafka
heartbeats and probes, and a document past the time or memory budget becomes an
error (stage ``read``) on the event while the filing is still classified from what
is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from edgarmon.classifier.classify import DEFAULT_THRESHOLD, Classification, classify
from edgarmon.classifier.fetching import DocumentFetcher
from edgarmon.classifier.planning import documents_to_fetch, needs_documents
from edgarmon.classifier.reading import read_fetched
from edgarmon.core.bounded_work import INLINE, Parsing
from edgarmon.core.errors import BudgetExceeded, EdgarError, FairAccessBlocked
from edgarmon.core.filing import Document, Filing
from edgarmon.core.messages import ClassificationError, FilingClassified

MAX_DOCUMENTS = 6


@dataclass(frozen=True, slots=True)
class ClassifiedFiling:
    """A filing and its classification. ``filing.documents`` lists the documents the
    labels needed, from ``index.json``, when the index was read."""

    filing: Filing
    classification: Classification
    requests: int = 0
    """Fetches attempted (index included); 0 when the metadata decided."""

    def to_message(self, *, classified_at: datetime, classifier_version: str) -> FilingClassified:
        return self.classification.to_message(
            self.filing, classified_at=classified_at, classifier_version=classifier_version
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


async def classify_discovered(
    filing: Filing,
    fetcher: DocumentFetcher,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_documents: int = MAX_DOCUMENTS,
    parsing: Parsing = INLINE,
) -> ClassifiedFiling:
    """Fetch what ``filing``'s labels need and classify it. Raises only
    :class:`FairAccessBlocked`; other fetch failures are recorded as errors."""
    if not needs_documents(filing):
        return ClassifiedFiling(filing, classify(filing, threshold=threshold))
    errors: list[ClassificationError] = []
    index_url = filing.folder_url + "index.json"
    index = b""
    requests = 0
    if not filing.documents:
        requests += 1
        try:
            index = await fetcher.fetch(index_url)
        except FairAccessBlocked:
            raise
        except EdgarError as exc:
            errors.append(fetch_error(exc, index_url))
            return ClassifiedFiling(
                filing, classify(filing, errors=errors, threshold=threshold), requests
            )
    try:
        planned = documents_to_fetch(filing, index)
    except EdgarError as exc:
        errors.append(ClassificationError(stage="index", message=str(exc)[:1000], url=index_url))
        planned = ()
    if planned and not filing.documents:
        filing = filing.model_copy(update={"documents": planned})
    fetched: list[tuple[Document, bytes]] = []
    for document in planned[:max_documents]:
        requests += 1
        try:
            fetched.append((document, await fetcher.fetch(document.url)))
        except FairAccessBlocked:
            raise
        except EdgarError as exc:
            errors.append(fetch_error(exc, document.url))
    if not fetched:
        return ClassifiedFiling(
            filing, classify(filing, errors=errors, threshold=threshold), requests
        )
    try:
        classification = await parsing.run(_read_and_classify, filing, fetched, errors, threshold)
    except BudgetExceeded as exc:
        over = ClassificationError(stage="read", message=f"{type(exc).__name__}: {exc}"[:1000])
        classification = classify(filing, errors=[*errors, over], threshold=threshold)
    return ClassifiedFiling(filing, classification, requests)


async def classify_filing(
    filing: Filing,
    fetcher: DocumentFetcher,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_documents: int = MAX_DOCUMENTS,
) -> Classification:
    """:func:`classify_discovered`, for callers that need only the classification."""
    classified = await classify_discovered(
        filing, fetcher, threshold=threshold, max_documents=max_documents
    )
    return classified.classification
