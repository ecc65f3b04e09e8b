"""Endpoints open to any of several permissions (the catalogue and the attachments are read by
whoever reads stock, prescriptions or beneficiaries)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from oms_kit.auth import Principal
from oms_kit.auth.dependencies import CurrentPrincipal
from oms_kit.errors import Forbidden


def require_any_permission(*permissions: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency: the caller holds one of ``permissions``, else a 403 naming them."""

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if not any(principal.has(p) for p in permissions):
            raise Forbidden("Нужно одно из прав: " + ", ".join(f"«{p}»" for p in permissions))
        return principal

    return dependency
