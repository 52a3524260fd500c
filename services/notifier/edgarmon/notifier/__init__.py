"""The notifier: routes classified filings to Slack and e-mail.

``domain/`` -- the pure core (no I/O, no clock, no log):

- ``routes_file`` / ``routes`` -- the YAML routes file, validated and resolved
- ``tickers``        -- SEC's company_tickers.json: ticker <-> CIK
- ``route_matching`` -- matching a ``FilingClassified`` through an index
- ``deliveries``     -- one delivery per destination
- ``sent_ledger``    -- what was sent, keyed by (accession, route, destination)
- ``digest``         -- batching a route's alerts per interval; digests to send again
- ``alert_view``     -- what an alert says, cleaned, for both channels
- ``slack_blocks`` / ``slack_mrkdwn`` / ``block_kit_limits`` -- Block Kit, escaped, in limits
- ``email_render``   -- multipart e-mail with stable, threaded Message-IDs

``adapters/`` -- what touches Slack, SMTP, Kafka and the metrics:

- ``alert_consumer`` -- the handler and hooks the core consumer engine runs
- ``destination_queues`` -- one queue and one worker per destination
- ``alert_sending``  -- the work a worker does: send one alert or digest, record it
- ``digest_sender``  -- queue digest alerts, hand them out when due, retry, drop on revoke
- ``dispatch``       -- render + send one delivery or digest, returning ``AlertSent``
- ``slack_sender`` (+ ``slack_retry``, ``channel_rate_limit``) -- chat.postMessage
- ``email_sender``   -- aiosmtplib with STARTTLS and AUTH
- ``delivery_retry`` -- the delivery retry policy, on the one retry primitive
- ``ledger_topic``   -- the sent-ledger topic: replay and tail it, publish to it
- ``dead_letters``   -- dead-letter records that cannot be delivered, with the reason
- ``shutdown_waits`` -- waits that tick liveness and end on shutdown
- ``notifier_metrics`` -- the notifier's Prometheus metrics

The wiring: ``route_loading`` (the routes, tickers and settings check at start-up),
``service`` (``serve(settings, runtime)``: builds everything once, runs a TaskGroup),
``settings`` and ``main`` (``run(argv)`` for ``edgarmon notifier``).

Flow for one record: ``routing.plan(classified)`` -> ``ledger.unsent(...)`` -> hold the
record -> each alert to its destination's queue (or its digest batch) -> the worker
sends it and produces the ``AlertSent`` to the ledger topic -> the record is released
and the watermark commits past it. See ``docs/notifier.md``.
"""
