from sqlalchemy.orm import DeclarativeBase

from oms_kit.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


from verification.models.organization import Organization  # noqa: E402
from verification.models.outcome import LinkagePair, Outcome, ReviewDecision  # noqa: E402
from verification.models.register import RegisterEntry, RegisterRejection, Subject, SubjectAlias  # noqa: E402
from verification.models.registry_death import RegistryDeath, RegistryDeathRetraction  # noqa: E402
from verification.models.run import VerificationRun  # noqa: E402
from verification.models.source import SmevRequest, SourceBatch, SourceRecord, SourceRejection  # noqa: E402
from verification.models.tariff import ContributionTariff  # noqa: E402

__all__ = [
    "Base",
    "ContributionTariff",
    "LinkagePair",
    "Organization",
    "Outcome",
    "RegisterEntry",
    "RegisterRejection",
    "RegistryDeath",
    "RegistryDeathRetraction",
    "ReviewDecision",
    "SmevRequest",
    "SourceBatch",
    "SourceRecord",
    "SourceRejection",
    "Subject",
    "SubjectAlias",
    "VerificationRun",
]
