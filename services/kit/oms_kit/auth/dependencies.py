"""FastAPI dependencies: authenticated by default, a permission per endpoint.

Service routers are built with ``APIRouter(dependencies=[Depends(authenticated)])``
(see ``oms_kit.app.secure_router``); an endpoint that must be open says so with ``public``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from oms_kit.auth.principal import Principal
from oms_kit.auth.tokens import TokenVerifier
from oms_kit.errors import Forbidden, Unauthorized

_bearer = HTTPBearer(auto_error=False, description="Токен доступа шлюза (RS256)")


def _verifier(request: Request) -> TokenVerifier:
    verifier: Any = request.app.state.token_verifier
    assert isinstance(verifier, TokenVerifier)
    return verifier


async def authenticated(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized(
            "Нужен заголовок Authorization: Bearer <токен>", headers={"WWW-Authenticate": "Bearer"}
        )
    principal = await _verifier(request).verify(credentials.credentials)
    request.state.principal = principal
    return principal


current_principal = authenticated
CurrentPrincipal = Annotated[Principal, Depends(authenticated)]


def require_permission(permission: str) -> Callable[..., Awaitable[Principal]]:
    async def check(principal: CurrentPrincipal) -> Principal:
        if not principal.has(permission):
            raise Forbidden(f"Нужно право «{permission}»")
        return principal

    check.__name__ = f"require_{permission.replace('.', '_').replace(':', '_')}"
    return check


def public(func: Callable[..., Any]) -> Callable[..., Any]:
    """Marks an endpoint function as deliberately unauthenticated (checked by tests that
    walk the routes); it must live on a router without the ``authenticated`` dependency."""
    func.__oms_public__ = True  # type: ignore[attr-defined]
    return func
