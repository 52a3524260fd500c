"""The classifier: labels every filing with evidence (SEC correspondence, 8-K Item 8.01,
clinical update).

The pure core, over frozen models:

- ``submission``, ``text_extraction``, ``reading`` -- full-submission ``.txt``, ``.nc``,
  HTML (selectolax), PDF (pypdf) and uuencoded PDFs into a header and document texts;
- ``items``, ``item_headings``, ``item_label`` -- 8-K items from the event, the SGML
  header (old wording included) and the document's headings wherever they stand,
  reconciled; the ``8k_item_8_01`` label;
- ``form_inference`` -- the form read from the documents (8-K cover, staff letter, CORRESP);
- ``correspondence`` -- the ``sec_correspondence`` details;
- ``clinical`` -- the ``clinical_update`` label: units and layouts, named terms, the
  trained model (``clinical/model.json``) and the details;
- ``tuning`` -- what was learned from labelled documents, passed to :func:`classify`;
- ``classify`` -- :func:`classify`, the entry point, and :class:`KnownFiling`;
- ``planning`` -- :func:`needs_documents`, :func:`documents_to_fetch`.

At the edges: ``fetching`` (the DocumentFetcher Protocol over the shared EDGAR
client), ``filing_documents`` (:func:`classify_filing`), ``oneshot`` (``edgarmon
classify``) and ``settings``. ``edgarmon evaluate`` and ``edgarmon train-clinical``
live in ``edgarmon.evaluation``. The Kafka
service lives in ``main`` and ``service``.
"""
