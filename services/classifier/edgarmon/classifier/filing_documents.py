"""Classify one discovered filing, fetching only what its labels need.

This is the thin I/O edge around the pure core: plan (:func:`needs_documents`),
read the filing's ``index.json``, fetch the chosen documents one at a time
through any :class:`~edgarmon.classifier.fetching.DocumentFetcher` (the shared
fair-access client in the service), read them, classify. A filing whose labels
need no document costs no request. A fetch that fails becomes a
:class:`~edgarmon.core.messages.ClassificationError` (stage ``fetch``) and the
filing is still classified from what is known; only a fair-access block is
raised, because then every request would fail and the caller must back off.
"""

from __future__ import annotations

from edgarmon.classifier.classify import DEFAULT_THRESHOLD, Classification, classify
from edgarmon.classifier.fetching import DocumentFetcher
from edgarmon.classifier.planning import documents_to_fetch, needs_documents
from edgarmon.classifier.reading import read_fetched
from edgarmon.core.errors import EdgarError, FairAccessBlocked
from edgarmon.core.filing import Document, Filing
from edgarmon.core.messages import ClassificationError

MAX_DOCUMENTS = 6


def fetch_error(exc: EdgarError, url: str) -> ClassificationError:
    return ClassificationError(
        stage="fetch", message=f"{type(exc).__name__}: {exc}"[:1000], url=url
    )


async def classify_filing(
    filing: Filing,
    fetcher: DocumentFetcher,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_documents: int = MAX_DOCUMENTS,
) -> Classification:
    """Fetch what ``filing``'s labels need and classify it. Raises only
    :class:`FairAccessBlocked`; other fetch failures are recorded as errors."""
    if not needs_documents(filing):
        return classify(filing, threshold=threshold)
    errors: list[ClassificationError] = []
    index_url = filing.folder_url + "index.json"
    index = b""
    if not filing.documents:
        try:
            index = await fetcher.fetch(index_url)
        except FairAccessBlocked:
            raise
        except EdgarError as exc:
            errors.append(fetch_error(exc, index_url))
            return classify(filing, errors=errors, threshold=threshold)
    try:
        chosen = documents_to_fetch(filing, index)[:max_documents]
    except EdgarError as exc:
        errors.append(ClassificationError(stage="index", message=str(exc)[:1000], url=index_url))
        chosen = ()
    fetched: list[tuple[Document, bytes]] = []
    for document in chosen:
        try:
            fetched.append((document, await fetcher.fetch(document.url)))
        except FairAccessBlocked:
            raise
        except EdgarError as exc:
            errors.append(fetch_error(exc, document.url))
    texts, read_errors = read_fetched(fetched)
    return classify(filing, texts, errors=[*errors, *read_errors], threshold=threshold)
