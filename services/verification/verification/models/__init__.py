from sqlalchemy.orm import DeclarativeBase

from oms_kit.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


from verification.models.organization import Organization  # noqa: E402

__all__ = ["Base", "Organization"]
