"""``/api/auth``: login, refresh, logout and the JWKS are public (they are how one gets or
checks a token); ``/me`` needs a token."""

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse

from gateway.api_key.rate_limit import retry_after_header
from gateway.auth import service
from gateway.auth.schemas import Jwks, LoginRequest, Me, RefreshRequest, TokenPair
from gateway.runtime import GatewayState, Session
from oms_kit.app import secure_router
from oms_kit.auth import public
from oms_kit.auth.dependencies import CurrentPrincipal
from oms_kit.errors import TooManyRequests, Unauthorized, problem_response, problem_responses

public_router = APIRouter(prefix="/api/auth", tags=["auth"])
router = secure_router(prefix="/api/auth", tags=["auth"], responses=problem_responses(401))


def _unauthorized(request: Request, rejected: service.Rejected) -> Response:
    return problem_response(
        401,
        Unauthorized.title,
        detail=rejected.detail,
        type_=f"urn:oms:problem:{Unauthorized.code}",
        request=request,
    )


@public_router.post(
    "/login",
    operation_id="auth-login",
    summary="Вход по логину и паролю",
    response_model=TokenPair,
    responses=problem_responses(401, 422, 429),
)
@public
async def login(request: Request, session: Session, gateway: GatewayState, data: LoginRequest) -> Response:
    client = request.client.host if request.client else "unknown"
    wait = gateway.login_limiter.take(
        f"{client}|{data.login.lower()}", gateway.settings.login_attempts_per_minute
    )
    if wait:
        raise TooManyRequests(
            "Слишком много попыток входа; повторите позже", headers=retry_after_header(wait)
        )
    outcome = await service.login(session, gateway.issuer, gateway.settings, data)
    if isinstance(outcome, service.Rejected):
        # Returned, not raised: the transaction commits, so the failed attempt stays recorded.
        return _unauthorized(request, outcome)
    return JSONResponse(outcome.model_dump(mode="json"))


@public_router.post(
    "/refresh",
    operation_id="auth-refresh",
    summary="Новая пара токенов по токену обновления (старый погашается)",
    response_model=TokenPair,
    responses=problem_responses(401, 422),
)
@public
async def refresh(
    request: Request, session: Session, gateway: GatewayState, data: RefreshRequest
) -> Response:
    outcome = await service.refresh(session, gateway.issuer, gateway.settings, data.refresh_token)
    if isinstance(outcome, service.Rejected):
        # Returned, not raised: the transaction commits, so a family revoked on reuse stays revoked.
        return _unauthorized(request, outcome)
    return JSONResponse(outcome.model_dump(mode="json"))


@public_router.post(
    "/logout",
    operation_id="auth-logout",
    summary="Выход: погасить все токены обновления этого входа",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(422),
)
@public
async def logout(session: Session, data: RefreshRequest) -> Response:
    await service.logout(session, data.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@public_router.get(
    "/.well-known/jwks.json",
    operation_id="auth-jwks",
    summary="Открытые ключи проверки токенов (JWKS)",
    response_model=Jwks,
)
@public
async def jwks(gateway: GatewayState) -> JSONResponse:
    return JSONResponse(await gateway.keys.jwks(), headers={"Cache-Control": "public, max-age=60"})


@router.get("/me", operation_id="auth-me", summary="Текущий пользователь", responses=problem_responses(404))
async def me(session: Session, principal: CurrentPrincipal) -> Me:
    return await service.me(session, principal)
