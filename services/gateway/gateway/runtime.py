"""What a running gateway holds besides the kit's state: keys, token issuer, upstreams,
API-key access, the aggregated OpenAPI cache. Built in ``create_app``, opened in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request

from oms_kit.db import DbSession

if TYPE_CHECKING:
    from gateway.api_key.machine_access import MachineAccess
    from gateway.api_key.rate_limit import RateLimiter
    from gateway.auth.issuer import TokenIssuer
    from gateway.config import Settings
    from gateway.openapi.aggregate import AggregatedOpenApi
    from gateway.proxy.upstreams import Upstreams
    from gateway.signing_key.ring import SigningKeyRing


@dataclass
class Gateway:
    settings: Settings
    keys: SigningKeyRing
    issuer: TokenIssuer
    upstreams: Upstreams
    machine_access: MachineAccess
    openapi: AggregatedOpenApi
    login_limiter: RateLimiter


def gateway_of(request: Request) -> Gateway:
    state: Any = request.app.state.gateway
    assert isinstance(state, Gateway)
    return state


GatewayState = Annotated[Gateway, Depends(gateway_of)]

# The request's transaction, committed before the response is sent (see oms_kit.db).
Session = DbSession
