"""The shared core of edgarmon: imported by every service, never run on its own.

Modules:

- ``filing``   -- the frozen filing model, identified by its accession number.
- ``messages`` -- the versioned message types that travel on the public topics.
- ``codec``    -- the one codec between those messages and Kafka records.
- ``topics``   -- topic names and their partitioning, retention and compaction.
- ``errors``   -- the exception tree.
- ``consumer`` -- the one consumer loop (with ``rebalance``, its listener) and ``kafka``
  (producer, consumer, topics, replay); ``lifecycle``, ``health``, ``logs``, ``settings``.
"""
