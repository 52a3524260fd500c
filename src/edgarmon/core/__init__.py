"""The shared core of edgarmon: imported by every service, never run on its own.

``domain/`` -- pure: no network, no files, no clock, no log (a contract test checks it):

- ``filing``    -- the frozen filing model, identified by its accession number;
  ``LETTER_FORMS``; Eastern-time rules
- ``messages``  -- the versioned message types that travel on the public topics
- ``codec``     -- the one codec between those messages and Kafka records
- ``topics``    -- topic names and their partitioning, retention and compaction
- ``open_enum`` -- enums that keep values a newer producer sends
- ``errors``    -- the exception tree
- ``form8k``    -- 8-K item numbers and names
- ``edgar_rules`` -- SEC's fair-access rules as values (User-Agent, block page, hosts)
- ``commit_marks`` -- per-partition commit watermarks held back by queued work
- ``retry``     -- the one retry primitive (``Backoff``, ``call_with_retries``)
- ``clock``     -- the one time protocol (``Clock``, ``Sleep``)

``adapters/`` -- what touches Kafka, EDGAR and the metrics:

- ``consumer`` (+ ``consumer_hooks``, ``consumer_metrics``, ``consumer_lag``,
  ``rebalance``) -- the one consumer engine, transactional or watermark
- ``kafka``        -- producer, consumer, topic creation, replay, dead letters
- ``edgar_http`` (+ ``edgar_budget``, ``edgar_metrics``) -- the fair-access EDGAR client
- ``bounded_work`` -- parsing untrusted bytes in a child process, in time and memory
- ``health``       -- ``/livez``, ``/readyz``, ``/metrics``

At the top: ``settings`` (the shared settings, secrets from files, the services'
settings classes found through entry points), ``lifecycle`` (``run_service``,
signals, drain) and ``logs`` (structlog).
"""
