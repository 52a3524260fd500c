"""The ``edgarmon`` command line as a newcomer meets it: the version, the usage, and
every subcommand's ``--help`` as plain, whole sentences."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from edgarmon import cli

# Subcommands whose parsers can be built offline; the services' --help is lifecycle's.
TOOLS = (
    "classify",
    "evaluate",
    "train-clinical",
    "simulate",
    "broker",
    "demo",
    "schemas",
    "config-reference",
)


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_prints_the_installed_distribution_version(
    flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([flag]) == 0

    assert capsys.readouterr().out == f"edgarmon {metadata.version('edgarmon')}\n"


def test_version_falls_back_when_the_distribution_is_not_installed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "DISTRIBUTION", "edgarmon-never-installed")

    assert cli.main(["--version"]) == 0

    assert capsys.readouterr().out == f"edgarmon {cli.UNKNOWN_VERSION}\n"


def test_help_shows_the_version_option_and_every_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["--help"]) == 0

    out = capsys.readouterr().out
    assert out.startswith("usage: edgarmon [-h] [-V] COMMAND [ARGS...]\n")
    assert "-V, --version" in out
    for name in cli.SUBCOMMANDS:
        assert f"\n  {name} " in out


def test_no_arguments_print_the_usage_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2

    assert "-V, --version" in capsys.readouterr().out


def subcommand_help(name: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        cli.main([name, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", TOOLS)
def test_subcommand_help_is_plain_text(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = subcommand_help(name, capsys)

    assert out.startswith(f"usage: edgarmon {name} ")
    assert "``" not in out
    assert ":class:" not in out


@pytest.mark.parametrize("name", TOOLS)
def test_subcommand_description_ends_with_a_whole_sentence(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    description = subcommand_help(name, capsys).split("\n\n")[1]

    assert description.endswith(".")


def test_a_reader_that_leaves_the_pipe_early_gets_no_traceback(shared: Path) -> None:
    seeds = sorted((shared / "seeds").glob("*.txt"))
    command = [sys.executable, "-m", "edgarmon.cli", "classify", "--json", *map(str, seeds * 20)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        errors = process.stderr.read().decode()
        code = process.wait(timeout=120)

    assert "Traceback" not in errors
    assert code == cli.EXIT_READER_GONE
