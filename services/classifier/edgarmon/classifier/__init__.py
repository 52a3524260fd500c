"""The classifier: labels every filing with evidence (SEC correspondence, 8-K Item 8.01,
clinical update).

``domain/`` -- the pure core, over frozen models:

- ``submission``, ``text_extraction``, ``document_reading``, ``html_text``, ``pdf_text``
  -- full-submission ``.txt``, ``.nc``, HTML (selectolax), PDF (pypdf) and uuencoded
  PDFs into a header and document texts;
- ``items``, ``item_headings``, ``item_label`` -- 8-K items from the event, the SGML
  header (old wording included) and the document's headings wherever they stand,
  reconciled; the ``8k_item_8_01`` label;
- ``form_inference`` -- the form read from the documents (8-K cover, staff letter, CORRESP);
- ``correspondence`` -- the ``sec_correspondence`` details;
- ``clinical`` -- the ``clinical_update`` label: units and layouts, named terms, the
  trained model (``clinical/model.json``) and the details;
- ``tuning`` -- what was learned from labelled documents, passed to :func:`classify`;
- ``classify`` -- :func:`classify`, the entry point, and :class:`KnownFiling`;
  ``classify_input`` -- one local input in one pure step;
- ``planning`` -- :func:`needs_documents`, :func:`documents_to_fetch`.

``adapters/`` -- ``fetching`` (the DocumentFetcher Protocol over the shared EDGAR
client, bounded retry) and ``filing_documents`` (:func:`classify_discovered`: plan,
fetch, read, classify).

The wiring: ``service`` and ``main`` (the Kafka service), ``settings``, and
``classify_command`` (``edgarmon classify``). ``edgarmon evaluate`` and
``edgarmon train-clinical`` live in ``edgarmon.evaluation``.
"""
