"""The ``edgarmon`` command: one subcommand per service and tool.

Each subcommand lives in its own module and exposes ``run(argv) -> int``; it is
imported only when chosen, so ``edgarmon classify`` never loads Kafka code and
nothing connects at import time. ``edgarmon --version`` prints the installed
distribution's version.

Several subcommands take their ``--help`` description from their module
docstring, which is reStructuredText; their help goes through :func:`plain_help`
so that a terminal shows `edgarmon schemas` with single backquotes, as plain text.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import sys
from collections.abc import Sequence
from importlib import metadata
from itertools import takewhile
from typing import Protocol, cast

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "poller": ("edgarmon.poller.main", "Watch EDGAR and publish new filings to Kafka"),
    "classifier": ("edgarmon.classifier.main", "Label discovered filings, exactly once"),
    "notifier": ("edgarmon.notifier.main", "Route labelled filings to Slack and e-mail"),
    "classify": ("edgarmon.classifier.oneshot", "Classify files or EDGAR URLs once"),
    "evaluate": ("edgarmon.evaluation.main", "Score the classifier on labelled documents"),
    "train-clinical": (
        "edgarmon.evaluation.training",
        "Fit the clinical model to the labelled documents",
    ),
    "simulate": ("edgarmon.simulator.main", "Serve recorded EDGAR responses as a live EDGAR"),
    "broker": ("edgarmon.devbroker.main", "Install, start or stop a local Kafka broker"),
    "demo": ("edgarmon.demo.main", "Run the whole pipeline offline and print a summary"),
    "schemas": ("edgarmon.core.schemas", "Write the JSON Schemas of the public messages"),
    "config-reference": ("edgarmon.core.config_reference", "Print the settings reference"),
}

DISTRIBUTION = "edgarmon"
UNKNOWN_VERSION = "unknown (not installed as a package)"

_HELP_FLAGS = frozenset({"-h", "--help"})
_VERSION_FLAGS = frozenset({"-V", "--version"})
# An RST inline literal; argparse may have wrapped it across a line break.
_RST_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)


class _Runnable(Protocol):
    def run(self, argv: Sequence[str]) -> int: ...


def version() -> str:
    """The installed distribution's version, or :data:`UNKNOWN_VERSION` when the
    code runs from a source tree that was never installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return UNKNOWN_VERSION


def usage() -> str:
    width = max(len(name) for name in SUBCOMMANDS)
    lines = [
        "usage: edgarmon [-h] [-V] COMMAND [ARGS...]",
        "",
        "options:",
        "  -h, --help     show this help and exit",
        "  -V, --version  print the version and exit",
        "",
        "commands:",
    ]
    lines += [f"  {name:<{width}}  {help_}" for name, (_, help_) in SUBCOMMANDS.items()]
    lines += ["", "Run `edgarmon COMMAND --help` for the options of one command."]
    return "\n".join(lines)


def plain_help(text: str) -> str:
    """Help text as plain text: each RST inline literal (double backquotes) gets single ones."""
    return _RST_LITERAL.sub(r"`\1`", text)


def asks_for_help(args: Sequence[str]) -> bool:
    """Whether argparse will print help for ``args``: ``-h`` or ``--help`` before any ``--``."""
    return any(arg in _HELP_FLAGS for arg in takewhile(lambda arg: arg != "--", args))


def run_subcommand(module: _Runnable, args: Sequence[str]) -> int:
    """Run one subcommand; when it prints its help, print that help as plain text."""
    if not asks_for_help(args):
        return module.run(args)
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured):
            return module.run(args)
    finally:
        sys.stdout.write(plain_help(captured.getvalue()))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in _HELP_FLAGS | {"help"}:
        print(usage())
        return 0 if args else 2
    if args[0] in _VERSION_FLAGS:
        print(f"edgarmon {version()}")
        return 0
    name, rest = args[0], args[1:]
    if name not in SUBCOMMANDS:
        print(f"edgarmon: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module = cast(_Runnable, importlib.import_module(SUBCOMMANDS[name][0]))
    return run_subcommand(module, rest)


if __name__ == "__main__":
    raise SystemExit(main())
