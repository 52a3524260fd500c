"""``edgarmon demo``: the whole pipeline offline, on a local broker, with a summary."""
