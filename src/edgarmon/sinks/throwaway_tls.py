"""A throwaway certificate authority and server certificate, made at run time.

The SMTP sink needs a certificate for STARTTLS. Nothing is read from or kept on
disk unless asked: :meth:`ThrowawayTls.create` makes a fresh CA and a
certificate for ``127.0.0.1`` and ``localhost`` in memory (with ``trustme``),
and :meth:`write_ca` writes the CA for a client that takes a CA file (the
notifier's ``EDGARMON_SMTP_CA_FILE``).
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trustme


@dataclass(frozen=True, slots=True)
class ThrowawayTls:
    server_context: ssl.SSLContext
    client_context: ssl.SSLContext
    ca_pem: bytes

    @classmethod
    def from_ca(
        cls, ca: Any, hostnames: Sequence[str] = ("127.0.0.1", "localhost")
    ) -> ThrowawayTls:
        """Server and client contexts from a ``trustme.CA``."""
        certificate = ca.issue_cert(*hostnames)
        server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(server)
        client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
        ca.configure_trust(client)
        return cls(server_context=server, client_context=client, ca_pem=ca.cert_pem.bytes())

    @classmethod
    def create(cls, hostnames: Sequence[str] = ("127.0.0.1", "localhost")) -> ThrowawayTls:
        """A fresh CA and server certificate, in memory."""
        return cls.from_ca(trustme.CA(organization_name="edgarmon throwaway CA"), hostnames)

    def write_ca(self, path: Path) -> Path:
        """Write the CA certificate (PEM) to ``path`` and return it."""
        path.write_bytes(self.ca_pem)
        return path
