from typing import Annotated

from fastapi import Depends, status

from gateway.runtime import GatewayState, Session
from gateway.signing_key.repository import SigningKeyRepository
from gateway.signing_key.schemas import SigningKeyRead
from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.errors import problem_responses

router = secure_router(
    prefix="/api/admin/signing-keys", tags=["signing_key"], responses=problem_responses(401, 403)
)

CanRead = Annotated[Principal, Depends(require_permission("gateway.signing_key:read"))]
CanRotate = Annotated[Principal, Depends(require_permission("gateway.signing_key:write"))]


@router.get("", operation_id="signing_key-list", summary="Ключи подписи токенов (без закрытой части)")
async def list_signing_keys(session: Session, principal: CanRead) -> list[SigningKeyRead]:
    return [SigningKeyRead.model_validate(k) for k in await SigningKeyRepository(session).all()]


@router.post(
    "/rotate",
    operation_id="signing_key-rotate",
    summary="Сменить ключ подписи: новый подписывает сразу, прежний проверяет до истечения выданных токенов",
    status_code=status.HTTP_201_CREATED,
)
async def rotate_signing_key(gateway: GatewayState, principal: CanRotate) -> SigningKeyRead:
    # The ring commits the new key itself before signing with it (see SigningKeyRing).
    return SigningKeyRead.model_validate(await gateway.keys.rotate())
