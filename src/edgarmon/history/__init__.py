"""What the history commands (``edgarmon backtest``, ``edgarmon backfill``) share."""
