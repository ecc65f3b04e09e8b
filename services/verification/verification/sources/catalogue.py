"""The five sources by code."""

from __future__ import annotations

from verification.sources.adapter import GovernmentSource
from verification.sources.fns import FNS
from verification.sources.military import MILITARY
from verification.sources.mvd import MVD
from verification.sources.sfr import SFR
from verification.sources.zags import ZAGS

ADAPTERS: dict[str, GovernmentSource] = {s.code: s for s in (FNS, SFR, ZAGS, MVD, MILITARY)}
KIND_SOURCE: dict[str, str] = {fmt.kind: s.code for s in ADAPTERS.values() for fmt in s.kinds}


class UnknownSource(LookupError):
    pass


def adapter_for(code: str) -> GovernmentSource:
    try:
        return ADAPTERS[code]
    except KeyError as exc:
        raise UnknownSource(f"Нет источника «{code}»") from exc
