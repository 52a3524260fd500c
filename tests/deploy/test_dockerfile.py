"""The Dockerfile builds one slim, non-root image for all three services.

No Docker engine runs here, so the Dockerfile is read as text: its stages, its final
user, what reaches the final stage, and that it copies what pyproject packages.
hadolint (from scripts/deploy-check's .tools/) lints it when present.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from edgarmon.core.settings import ServiceSettings
from tests.deploy.manifests import ROOT

DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SECRET_WORDS = re.compile(r"TOKEN|PASSWORD|SECRET|PRIVATE|API_?KEY|CREDENTIAL", re.IGNORECASE)
BUILD_TOOLS = re.compile(r"\b(gcc|g\+\+|make|build-essential|cc|clang|git|curl|wget)\b")


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def instructions(text: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) pairs, with continuation lines joined and comments dropped."""
    logical: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    pairs = []
    for line in logical:
        keyword, _, args = line.partition(" ")
        pairs.append((keyword.upper(), args.strip()))
    return pairs


def stages(text: str) -> list[Stage]:
    global_args: dict[str, str] = {}
    parsed: list[Stage] = []
    for keyword, args in instructions(text):
        if keyword == "ARG" and not parsed:
            name, _, value = args.partition("=")
            global_args[name] = value
        elif keyword == "FROM":
            words = [w for w in args.split() if not w.startswith("--")]
            base = re.sub(r"\$\{(\w+)\}", lambda m: global_args[m.group(1)], words[0])
            stage_name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            parsed.append(Stage(base=base, name=stage_name))
        elif parsed:
            parsed[-1].instructions.append((keyword, args))
    return parsed


def pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def wheel_roots() -> set[str]:
    data = pyproject()
    wheel = data["tool"]["hatch"]["build"]["targets"]["wheel"]  # type: ignore[index]
    return {Path(package).parts[0] for package in wheel["packages"]}


STAGES = stages(DOCKERFILE.read_text(encoding="utf-8"))
FINAL = STAGES[-1]


def test_a_builder_stage_and_a_runtime_stage_on_one_slim_python_311() -> None:
    assert len(STAGES) >= 2
    for stage in STAGES:
        assert re.fullmatch(r"python:3\.11-slim(-\w+)?", stage.base), stage.base
    # The venv's interpreter links to the base image's Python: same base everywhere.
    assert len({stage.base for stage in STAGES}) == 1


def test_the_final_stage_runs_as_a_numeric_non_root_user() -> None:
    users = FINAL.all("USER")
    assert users, "the final stage sets no USER"
    user, _, group = users[-1].partition(":")
    assert user.isdigit(), "numeric, so runAsNonRoot can be checked"
    assert int(user) != 0
    assert not group or int(group) != 0
    pod_user = 10001  # deploy/base/*.yaml runAsUser
    assert int(user) == pod_user


def test_the_final_stage_gets_only_the_built_virtualenv() -> None:
    builder = STAGES[-2].name
    copies = FINAL.all("COPY")
    assert copies
    for copy in copies:
        assert copy.startswith(f"--from={builder} "), f"final stage copies {copy!r}"
    for run in FINAL.all("RUN"):
        assert "pip install" not in run
        assert not BUILD_TOOLS.search(run), f"build tools in the final stage: {run!r}"
    assert not FINAL.all("ADD")


def test_no_secrets_or_settings_are_baked_in() -> None:
    for stage in STAGES:
        for keyword in ("ENV", "ARG", "LABEL"):
            for args in stage.all(keyword):
                assert not SECRET_WORDS.search(args), f"{keyword} {args}"
                assert "EDGARMON_" not in args, "settings come from the environment at run time"


def test_the_entrypoint_is_the_edgarmon_command_and_the_port_is_the_health_port() -> None:
    scripts = pyproject()["project"]["scripts"]  # type: ignore[index]
    assert scripts["edgarmon"] == "edgarmon.cli:main"
    assert FINAL.all("ENTRYPOINT")[-1] == '["edgarmon"]'
    assert FINAL.all("EXPOSE") == [str(ServiceSettings.model_fields["health_port"].default)]


def test_the_builder_copies_what_the_wheel_packages() -> None:
    builder = STAGES[-2]
    copied: set[str] = set()
    for copy in builder.all("COPY"):
        sources = copy.split()[:-1]
        copied.update(Path(source).parts[0] for source in sources if not source.startswith("--"))
    readme = pyproject()["project"]["readme"]  # type: ignore[index]
    assert wheel_roots() | {"pyproject.toml", str(readme)} <= copied


def test_dockerignore_lets_in_only_what_the_build_copies() -> None:
    lines = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*", "ignore everything, then allow"
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert allowed == wheel_roots() | {"pyproject.toml", "README.md"}


def hadolint_binary() -> str | None:
    local = ROOT / ".tools" / "bin" / "hadolint"
    if local.exists() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which("hadolint")


def test_hadolint_finds_nothing() -> None:
    hadolint = hadolint_binary()
    if hadolint is None:
        pytest.skip("hadolint is not installed: scripts/deploy-check installs it into .tools/")
    completed = subprocess.run(
        [hadolint, "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
