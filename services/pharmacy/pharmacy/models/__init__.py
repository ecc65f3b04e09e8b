from sqlalchemy.orm import DeclarativeBase

from oms_kit.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


from pharmacy.models.beneficiary import (  # noqa: E402
    Beneficiary,
    BeneficiaryDiagnosis,
    BenefitCategory,
    DrugList,
    Entitlement,
    InKindRefusal,
    PersonDeath,
    PersonMerge,
    RegisterLoad,
)
from pharmacy.models.drug import Drug, DrugGtin, DrugListItem  # noqa: E402
from pharmacy.models.organization import Organization  # noqa: E402

__all__ = [
    "Base",
    "Beneficiary",
    "BeneficiaryDiagnosis",
    "BenefitCategory",
    "Drug",
    "DrugGtin",
    "DrugList",
    "DrugListItem",
    "Entitlement",
    "InKindRefusal",
    "Organization",
    "PersonDeath",
    "PersonMerge",
    "RegisterLoad",
]
