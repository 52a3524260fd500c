"""The notifier: routes classified filings to Slack and e-mail.

Pure core (no I/O):

- ``route_config`` / ``routes`` -- the YAML routes file, validated and resolved
- ``tickers``       -- SEC's company_tickers.json: ticker <-> CIK
- ``route_index``   -- matching a ``FilingClassified`` through an index
- ``deliveries``    -- one delivery per destination; ``routing`` loads it all at start-up
- ``sent_ledger``   -- what was sent, keyed by (accession, route, destination)
- ``digest``        -- batching a route's alerts per interval; digests to send again
- ``commit_marks``  -- per-partition commit watermarks, held back by queued digest alerts
- ``alert_view``    -- what an alert says, cleaned, for both channels
- ``slack_blocks`` / ``slack_mrkdwn`` / ``block_kit_limits`` -- Block Kit, escaped, in limits
- ``email_render``  -- multipart e-mail with stable, threaded Message-IDs

Adapters (the only modules that touch the network):

- ``slack_sender`` (+ ``slack_retry``, ``channel_rate_limit``) -- chat.postMessage
- ``email_sender``  -- aiosmtplib with STARTTLS and AUTH
- ``dispatch``      -- render + send one delivery or digest, returning ``AlertSent``
- ``ledger_topic``  -- the sent-ledger topic: replay and tail it, publish to it

The service:

- ``service``       -- ``serve(settings, runtime)``: builds everything once, runs a TaskGroup
- ``alert_loop``    -- the consumer loop: deliver, record, commit; rebalances
- ``digest_sender`` -- queue digest alerts, send them when due, retry, drop on revoke
- ``dead_letters``  -- dead-letter records that cannot be delivered, with the reason
- ``assignment_gate`` -- the rebalance listener: revoke hook, ledger catch-up first
- ``notifier_metrics`` -- the notifier's Prometheus metrics
- ``main``          -- ``run(argv)`` for ``edgarmon notifier`` / ``python -m edgarmon.notifier``

Flow for one record: ``routing.plan(classified)`` -> ``ledger.unsent(...)`` ->
``dispatcher.deliver(...)`` (or ``DigestBook.add`` for digest routes) -> produce
the ``AlertSent`` to the ledger topic -> commit the offset (for a record held
in a digest: once the digest was sent). See ``docs/notifier.md``.
"""
