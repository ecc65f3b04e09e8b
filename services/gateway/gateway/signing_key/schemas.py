from datetime import datetime

from pydantic import BaseModel, ConfigDict


class SigningKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kid: str
    created_at: datetime
    active_from: datetime
    retired_at: datetime | None
