"""The ``edgarmon`` command: one subcommand per service and tool.

Each subcommand lives in its own module and exposes ``run(argv) -> int``; it is
imported only when chosen, so ``edgarmon classify`` never loads Kafka code and
nothing connects at import time. ``edgarmon --version`` prints the installed
distribution's version.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from importlib import metadata
from typing import Protocol, cast

EXIT_READER_GONE = 141
"""What a shell reports for a process its pipe's reader left (128 + SIGPIPE)."""

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "poller": ("edgarmon.poller.main", "Watch EDGAR and publish new filings to Kafka"),
    "classifier": ("edgarmon.classifier.main", "Label discovered filings, exactly once"),
    "notifier": ("edgarmon.notifier.main", "Route labelled filings to Slack and e-mail"),
    "classify": ("edgarmon.classifier.classify_command", "Classify files or EDGAR URLs once"),
    "backfill": ("edgarmon.backfill.main", "Publish the filings of past days, exactly once"),
    "backtest": (
        "edgarmon.backtest.main",
        "What a routes file would have sent on past days",
    ),
    "evaluate": ("edgarmon.evaluation.main", "Score the classifier on labelled documents"),
    "train-clinical": (
        "edgarmon.evaluation.training",
        "Fit the clinical model to the labelled documents",
    ),
    "simulate": ("edgarmon.simulator.main", "Serve recorded EDGAR responses as a live EDGAR"),
    "broker": ("edgarmon.devbroker.main", "Install, start or stop a local Kafka broker"),
    "demo": ("edgarmon.demo.main", "Run the whole pipeline offline and print a summary"),
    "schemas": ("edgarmon.devtools.schemas", "Write the JSON Schemas of the public messages"),
    "config-reference": ("edgarmon.devtools.config_reference", "Print the settings reference"),
}

DISTRIBUTION = "edgarmon"
UNKNOWN_VERSION = "unknown (not installed as a package)"

_HELP_FLAGS = frozenset({"-h", "--help"})
_VERSION_FLAGS = frozenset({"-V", "--version"})
# An RST inline literal; argparse may have wrapped it across a line break.


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
    try:
        return module.run(rest)
    except BrokenPipeError:  # `edgarmon classify ... | head`: the reader has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_READER_GONE


if __name__ == "__main__":
    raise SystemExit(main())
