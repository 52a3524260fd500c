"""Local stand-ins for where alerts go: a Slack-compatible Web API and an SMTP server.

Used by the tests and by the offline demo; never by the services themselves.
They need the ``dev`` extras (``aiosmtpd``, ``trustme``).

- :mod:`edgarmon.sinks.slack_server`   -- :class:`SlackSink`, ``chat.postMessage``
- :mod:`edgarmon.sinks.smtp_server`    -- :class:`SmtpSink`, STARTTLS and AUTH
- :mod:`edgarmon.sinks.throwaway_tls`  -- a CA and certificate made at run time
"""
