"""Which ``EDGARMON_*`` variables each service reads, taken from its settings classes.

The names come from ``model_fields`` over each class's MRO, so they follow the code.
A service whose settings module is not importable yet falls back to the shared
classes plus the names its authors announced (:data:`ANNOUNCED`); once the module
exists, only its real fields count.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic_settings import BaseSettings

from edgarmon.core.settings import ENV_PREFIX, EdgarClientSettings, ServiceSettings

SERVICES = ("poller", "classifier", "notifier")

# Read directly by core/settings.py (secrets_dir_from_env), not a settings field.
SECRETS_DIR_VARIABLE = f"{ENV_PREFIX}SECRETS_DIR"

SETTINGS_CLASSES: dict[str, tuple[str, str]] = {
    "poller": ("edgarmon.poller.settings", "PollerSettings"),
    "classifier": ("edgarmon.classifier.settings", "ClassifierSettings"),
    "notifier": ("edgarmon.notifier.settings", "NotifierSettings"),
}

# The shared classes each service builds on (the contract in the common brief).
SHARED_CLASSES: dict[str, tuple[type[BaseSettings], ...]] = {
    "poller": (ServiceSettings, EdgarClientSettings),
    "classifier": (ServiceSettings, EdgarClientSettings),
    "notifier": (ServiceSettings,),
}

# Names announced before the service's settings class landed; used only while the
# class cannot be imported.
ANNOUNCED: dict[str, frozenset[str]] = {
    "poller": frozenset(),
    "classifier": frozenset(),
    "notifier": frozenset(
        f"{ENV_PREFIX}{name}"
        for name in (
            "ROUTES_FILE",
            "SLACK_API_URL",
            "SLACK_BOT_TOKEN",
            "SMTP_HOST",
            "SMTP_PORT",
            "SMTP_USERNAME",
            "SMTP_PASSWORD",
            "SMTP_FROM",
            "SMTP_STARTTLS",
        )
    ),
}


@dataclass(frozen=True, slots=True)
class KnownSettings:
    service: str
    names: frozenset[str]
    from_service_class: bool  # False: the service's own class is not importable yet

    def unknown(self, used: Iterable[str]) -> list[str]:
        return sorted(name for name in set(used) if name not in self.names)


def env_names(settings_types: Iterable[type[BaseSettings]]) -> frozenset[str]:
    """``EDGARMON_<FIELD>`` for every field of the classes and their bases."""
    names: set[str] = set()
    for settings_type in settings_types:
        for klass in settings_type.__mro__:
            if isinstance(klass, type) and issubclass(klass, BaseSettings):
                names.update(f"{ENV_PREFIX}{field.upper()}" for field in klass.model_fields)
    return frozenset(names)


def service_settings_class(service: str) -> type[BaseSettings] | None:
    module_name, class_name = SETTINGS_CLASSES[service]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise  # the module exists but is broken: let the test fail loudly
        return None
    found = getattr(module, class_name, None)
    if isinstance(found, type) and issubclass(found, BaseSettings):
        return found
    return None


def known_settings(service: str) -> KnownSettings:
    own = service_settings_class(service)
    if own is not None:
        names = env_names([own]) | {SECRETS_DIR_VARIABLE}
        return KnownSettings(service, frozenset(names), from_service_class=True)
    names = env_names(SHARED_CLASSES[service]) | ANNOUNCED[service] | {SECRETS_DIR_VARIABLE}
    return KnownSettings(service, frozenset(names), from_service_class=False)
