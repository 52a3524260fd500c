"""``edgarmon backtest``: what a routes file would have sent over a range of days.

The pure part (:mod:`.report`) turns classified filings and routes into a report and
renders it; :mod:`.answer_cache` keeps EDGAR's answers on disk; :mod:`.main` wires
them to the fair-access client, the classifier and the notifier's route matching.
No Kafka, no Slack, no e-mail.
"""
