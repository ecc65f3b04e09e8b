"""The five services of the embedded shape and where their code, migrations and databases are."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

# The routed services, in the order their lifespans are entered (the gateway comes last, so
# every consumer has subscribed before the gateway's outbox relay publishes anything).
DOMAIN_SERVICES = ("registry", "finance", "pharmacy", "verification")
ALL_SERVICES = ("gateway", *DOMAIN_SERVICES)


def repo_root() -> Path:
    """The checkout this package runs from (services live under ``<root>/services``): the
    package's own location first, so migrations always match the code; else the cwd."""
    for candidate in (Path(__file__).resolve().parents[3], Path.cwd()):
        if (candidate / "services" / "kit").is_dir():
            return candidate
    raise RuntimeError("Не найден корень репозитория OMS Region (нет каталога services/kit)")


@dataclass(frozen=True)
class Service:
    name: str

    @property
    def database(self) -> str:
        return f"oms_{self.name}"

    @property
    def database_url_env(self) -> str:
        return f"OMS_{self.name.upper()}_DATABASE_URL"

    def directory(self, root: Path) -> Path:
        """``services/<name>``: holds ``migrations/`` beside the package."""
        return root / "services" / self.name

    def module(self, suffix: str) -> ModuleType:
        return importlib.import_module(f"{self.name}.{suffix}")

    def optional_module(self, suffix: str) -> ModuleType | None:
        """``<name>.<suffix>`` if the service has it (e.g. ``demo``), else None."""
        if importlib.util.find_spec(f"{self.name}.{suffix}") is None:
            return None
        return self.module(suffix)


SERVICES = {name: Service(name) for name in ALL_SERVICES}
