"""The poller: watches EDGAR's feeds and publishes every new filing once.

``domain/`` -- pure parsing and decisions: ``atom_documents`` (hardened lxml reading),
``atom_feeds`` (latest-filings and company feeds), ``feed_encoding``, ``entry_titles``,
``feed_entries`` (entries grouped into filings), ``daily_index``, ``edgar_urls``,
``paging`` (how far back to read), ``reconciliation`` (when the daily index is due,
the federal business-day calendar), ``seen`` (the bounded memory of what was
published), ``backfill_jobs`` (a backfill job's next step), ``skipped_entries``.

``adapters/`` -- ``sources`` (the EDGAR reads, through the fair-access client),
``publishing`` (one writer's dedup and the Kafka transaction), ``memory`` (the memory
rebuilt from the discovered topic), ``metrics``, ``skipped_entry_log``.

``workers/`` -- the long-running loops: ``polling_loop`` (the latest-filings feed),
``company_watch`` (watched companies' feeds and letters), ``index_watch`` (the
nightly daily index), ``backfill_watch`` (``edgarmon backfill`` jobs), ``pacing``.

The wiring: ``service`` (``serve(settings, runtime)``), ``settings``, ``main``.
"""
