"""A local SMTP server (aiosmtpd) with STARTTLS and AUTH, for tests and the demo.

It runs in the caller's event loop (no thread), on ``127.0.0.1`` and a free port
unless told otherwise. With ``tls`` it offers STARTTLS and requires it before
AUTH and mail; with ``username`` it requires AUTH. A wrong password gets a 535:
the authenticator returns ``AuthResult(success=False, handled=False)``, which
is what makes aiosmtpd answer (with ``handled=True`` it stays silent and the
client waits for its timeout). Received mail is recorded, parsed; scripted
answers (``451`` to try later, ``550`` for a recipient) test the client's
error handling.

The sink authenticates with aiosmtpd's current API (``authenticator`` and
``AuthResult``; it reads ``session.authenticated``, never the deprecated
``Session.login_data``). aiosmtpd 1.4 itself still assigns ``login_data`` after
every successful AUTH, and its property logs "Session.login_data is deprecated"
each time (aio-libs/aiosmtpd#347). The sink's sessions therefore keep
``login_data`` as a plain attribute: nothing here uses it, and nothing warns.
"""

from __future__ import annotations

import asyncio
import hmac
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import EmailPolicy
from pathlib import Path
from typing import Any, Final, Self

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword, Session

from edgarmon.sinks.throwaway_tls import ThrowawayTls


class _AsReadPolicy(EmailPolicy):
    """``email.policy.default``, except that a header value starting on a continuation
    line reads without that line's leading space.

    Python folds a header that fits on a line of its own, but not after its name, by
    moving the whole value there: ``Subject:`` CRLF `` [edgarmon] ...`` (a subject of
    70 to 77 characters, folded at 78 as aiosmtplib sends it). Unfolded (RFC 5322
    removes the CRLF) that is ``Subject: [edgarmon] ...``, and mail clients show
    ``[edgarmon] ...``; ``email.policy.default`` strips the blank only from the first
    line, so it read `` [edgarmon] ...``, and the demo printed two spaces."""

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        name, value = super().header_source_parse(sourcelines)
        return name, value.lstrip(" \t\r\n")


AS_READ: Final = _AsReadPolicy()


@dataclass(frozen=True, slots=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    authenticated: bool
    over_tls: bool

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=AS_READ)
        assert isinstance(parsed, EmailMessage)
        return parsed


class _Session(Session):
    """aiosmtpd's session with ``login_data`` as the plain attribute it used to be: the
    legacy field aiosmtpd fills in itself, read by nobody (see the module docstring)."""

    @property
    def login_data(self) -> Any:
        return self._login_data

    @login_data.setter
    def login_data(self, value: Any) -> None:
        self._login_data = value


class _Smtp(SMTP):
    def _create_session(self) -> Session:
        return _Session(self.loop)


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self._sink = sink

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self._sink.unknown_recipients:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return await self._sink.accept(session, envelope)


class SmtpSink:
    def __init__(
        self,
        *,
        tls: ThrowawayTls | None = None,
        username: str | None,
        password: str,
        host: str = "127.0.0.1",
        port: int = 0,
        unknown_recipients: Iterable[str] = (),
        echo: Callable[[ReceivedMail], None] | None = None,
        eml_dir: Path | None = None,
    ) -> None:
        if username is not None and tls is None:
            raise ValueError("AUTH needs STARTTLS: pass tls, or username=None")
        self._tls = tls
        self._username, self._password = username, password
        self._host, self._port = host, port
        self.unknown_recipients = {address.lower() for address in unknown_recipients}
        self._echo, self._eml_dir = echo, eml_dir
        self._answers: deque[str] = deque()
        self._mail: list[ReceivedMail] = []
        self._changed = asyncio.Condition()
        self._server: asyncio.Server | None = None
        self.auth_failures = 0

    @property
    def host(self) -> str:
        return self._host

    @property
    def port(self) -> int:
        return self._port

    @property
    def messages(self) -> tuple[ReceivedMail, ...]:
        return tuple(self._mail)

    def answer_next(self, reply: str, times: int = 1) -> None:
        """Answer the next ``times`` DATA commands with ``reply`` (e.g. ``"451 4.3.0 busy"``)
        instead of accepting the mail."""
        self._answers.extend([reply] * times)

    async def wait_for_messages(self, count: int) -> tuple[ReceivedMail, ...]:
        """Wait until ``count`` mails arrived (bound it with ``asyncio.timeout``)."""
        async with self._changed:
            await self._changed.wait_for(lambda: len(self._mail) >= count)
        return self.messages

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and self._username is not None:
            login_ok = hmac.compare_digest(auth_data.login, self._username.encode())
            password_ok = hmac.compare_digest(auth_data.password, self._password.encode())
            if login_ok and password_ok:
                return AuthResult(success=True)
        self.auth_failures += 1
        return AuthResult(success=False, handled=False)

    async def accept(self, session: Any, envelope: Any) -> str:
        if self._answers:
            return self._answers.popleft()
        data = envelope.original_content or envelope.content
        mail = ReceivedMail(
            mail_from=str(envelope.mail_from),
            rcpt_tos=tuple(envelope.rcpt_tos),
            data=bytes(data),
            authenticated=bool(session.authenticated),
            over_tls=session.ssl is not None,
        )
        self._mail.append(mail)
        if self._echo is not None:
            self._echo(mail)
        if self._eml_dir is not None:
            (self._eml_dir / f"{len(self._mail):05d}.eml").write_bytes(mail.data)
        async with self._changed:
            self._changed.notify_all()
        return "250 2.0.0 Message accepted for delivery"

    def _protocol(self) -> SMTP:
        return _Smtp(
            _Handler(self),
            hostname="localhost",
            tls_context=self._tls.server_context if self._tls else None,
            require_starttls=self._tls is not None,
            auth_required=self._username is not None,
            auth_require_tls=True,
            authenticator=self._authenticate,
            loop=asyncio.get_running_loop(),
        )

    async def __aenter__(self) -> Self:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._protocol, self._host, self._port)
        self._port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
