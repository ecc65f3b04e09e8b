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
from pharmacy.models.control import ControlAct, ControlResult, ControlRun, ControlViolation  # noqa: E402
from pharmacy.models.drug import Drug, DrugGtin, DrugListItem  # noqa: E402
from pharmacy.models.organization import Organization  # noqa: E402
from pharmacy.models.prescription import (  # noqa: E402
    DeferredService,
    Dispense,
    DispenseItem,
    Prescription,
    PrescriptionCounter,
    TraceReport,
)
from pharmacy.models.stock import (  # noqa: E402
    MarkedPackage,
    PharmacyAttachment,
    Reservation,
    StockBatch,
    StockMovement,
)
from pharmacy.models.stock_documents import InventoryLine, StockDocument  # noqa: E402
from pharmacy.models.trace import TraceSimDocument, TraceSimWithdrawn  # noqa: E402

__all__ = [
    "Base",
    "Beneficiary",
    "BeneficiaryDiagnosis",
    "BenefitCategory",
    "ControlAct",
    "ControlResult",
    "ControlRun",
    "ControlViolation",
    "DeferredService",
    "Dispense",
    "DispenseItem",
    "Drug",
    "DrugGtin",
    "DrugList",
    "DrugListItem",
    "Entitlement",
    "InKindRefusal",
    "InventoryLine",
    "MarkedPackage",
    "Organization",
    "PersonDeath",
    "PersonMerge",
    "PharmacyAttachment",
    "Prescription",
    "PrescriptionCounter",
    "RegisterLoad",
    "Reservation",
    "StockBatch",
    "StockDocument",
    "StockMovement",
    "TraceReport",
    "TraceSimDocument",
    "TraceSimWithdrawn",
]
