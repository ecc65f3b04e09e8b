"""``/api/{service}/{path}``: the reverse proxy to registry, finance, pharmacy, verification.

Authentication at the edge, then again in the service:

- ``X-API-Key`` — an external system; exchanged for an internal token (``MachineAccess``);
- ``Authorization: Bearer`` — verified here with the gateway's own keys, so a forged or
  expired token is a 401 before it reaches any service, then forwarded unchanged;
- neither — forwarded without credentials: the services are authenticated by default and
  answer 401 themselves, except for what they deliberately mark ``@public``.

Services only ever see JWTs: the API key and any client ``X-Forwarded-*`` stop here."""

from fastapi import APIRouter, Request, Response

from gateway.proxy.forwarding import forward
from gateway.runtime import Gateway, GatewayState
from oms_kit.auth import public
from oms_kit.auth.tokens import TokenVerifier
from oms_kit.errors import NotFound, Unauthorized

router = APIRouter()

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


async def edge_authorization(request: Request, gateway: Gateway) -> str | None:
    """The ``Authorization`` value to forward, after checking the caller's credentials."""
    api_key = request.headers.get("x-api-key")
    if api_key is not None:
        return f"Bearer {await gateway.machine_access.authorize(api_key.strip())}"
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(
            "Нужен заголовок Authorization: Bearer <токен>", headers={"WWW-Authenticate": "Bearer"}
        )
    verifier = request.app.state.token_verifier
    assert isinstance(verifier, TokenVerifier)
    request.state.principal = await verifier.verify(token.strip())
    return f"Bearer {token.strip()}"


@router.api_route("/api/{service}/{path:path}", methods=METHODS, include_in_schema=False)
@public  # authenticates the caller itself, see the module docstring
async def proxy(request: Request, service: str, gateway: GatewayState) -> Response:
    client = gateway.upstreams.client(service)
    if client is None:
        raise NotFound(f"Сервис «{service}» не найден")
    authorization = await edge_authorization(request, gateway)
    return await forward(
        client,
        request,
        service=service,
        authorization=authorization,
        timeout_seconds=gateway.settings.upstream_timeout_seconds,
    )
