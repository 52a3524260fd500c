"""Run the local Slack and SMTP sinks until interrupted, printing what arrives.

``python -m edgarmon.sinks --slack-token xoxb-demo --smtp-password demo`` binds
both on 127.0.0.1 (free ports unless given), makes a throwaway certificate for
STARTTLS, writes its CA to ``--ca-file``, prints the ``EDGARMON_*`` settings a
notifier needs to reach them (never the secrets), and prints each message.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import tempfile
from collections.abc import Sequence
from pathlib import Path

from edgarmon.sinks.console import describe_mail, describe_slack_post
from edgarmon.sinks.slack_server import SlackPost, SlackSink
from edgarmon.sinks.smtp_server import ReceivedMail, SmtpSink
from edgarmon.sinks.throwaway_tls import ThrowawayTls


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m edgarmon.sinks", description=__doc__)
    parser.add_argument("--slack-token", required=True, help="bearer token the sink accepts")
    parser.add_argument("--slack-port", type=int, default=0)
    parser.add_argument("--slack-jsonl", type=Path, help="append accepted messages here")
    parser.add_argument("--smtp-port", type=int, default=0)
    parser.add_argument("--smtp-username", default="edgarmon")
    parser.add_argument("--smtp-password", required=True)
    parser.add_argument("--eml-dir", type=Path, help="write received mail here as .eml")
    parser.add_argument("--ca-file", type=Path, help="where to write the throwaway CA (PEM)")
    return parser


def _print_post(post: SlackPost) -> None:
    print(describe_slack_post(post), flush=True)


def _print_mail(mail: ReceivedMail) -> None:
    print(describe_mail(mail), flush=True)


async def serve(args: argparse.Namespace) -> None:
    tls = ThrowawayTls.create()
    ca_file = args.ca_file or Path(tempfile.mkdtemp(prefix="edgarmon-sinks-")) / "ca.pem"
    tls.write_ca(ca_file)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with (
        SlackSink(
            token=args.slack_token,
            channels=None,
            port=args.slack_port,
            echo=_print_post,
            jsonl_path=args.slack_jsonl,
        ) as slack,
        SmtpSink(
            tls=tls,
            username=args.smtp_username,
            password=args.smtp_password,
            port=args.smtp_port,
            echo=_print_mail,
            eml_dir=args.eml_dir,
        ) as smtp,
    ):
        print(f"EDGARMON_SLACK_API_URL={slack.api_url}")
        print(f"EDGARMON_SMTP_HOST={smtp.host}")
        print(f"EDGARMON_SMTP_PORT={smtp.port}")
        print(f"EDGARMON_SMTP_USERNAME={args.smtp_username}")
        print(f"EDGARMON_SMTP_CA_FILE={ca_file}", flush=True)
        await stop.wait()
    print(f"received {len(slack.posts)} Slack messages and {len(smtp.messages)} e-mails")


def run(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
    return 0
