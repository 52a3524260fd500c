"""``edgarmon backfill``: ask the poller for past days, and follow it (see :mod:`.main`)."""
