from sqlalchemy.orm import DeclarativeBase

from oms_kit.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


from gateway.models.api_key import ApiKey  # noqa: E402
from gateway.models.organization import Organization  # noqa: E402
from gateway.models.refresh_token import RefreshToken  # noqa: E402
from gateway.models.sign_in import SignIn  # noqa: E402
from gateway.models.signing_key import SigningKey  # noqa: E402
from gateway.models.user import UserAccount  # noqa: E402

__all__ = ["ApiKey", "Base", "Organization", "RefreshToken", "SignIn", "SigningKey", "UserAccount"]
