from sqlalchemy.orm import DeclarativeBase

from oms_kit.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


from finance.models.analytics import Deviation, DrugDispensing, DrugSpending, VerificationSavings  # noqa: E402
from finance.models.budget import BudgetEntry, PeriodLock  # noqa: E402
from finance.models.budget_upload import BudgetUpload  # noqa: E402
from finance.models.classification import ClassificationDecision, ClassifierModel, CounterpartyRule  # noqa: E402
from finance.models.exchange import PaymentImport, PaymentImportRow  # noqa: E402
from finance.models.mo import MoProfile  # noqa: E402
from finance.models.organization import Organization  # noqa: E402
from finance.models.payment import PaymentOrder  # noqa: E402
from finance.models.report import Report, ReportHistory, ReportValue  # noqa: E402

__all__ = [
    "Base",
    "BudgetEntry",
    "BudgetUpload",
    "ClassificationDecision",
    "ClassifierModel",
    "CounterpartyRule",
    "Deviation",
    "DrugDispensing",
    "DrugSpending",
    "MoProfile",
    "Organization",
    "PaymentImport",
    "PaymentImportRow",
    "PaymentOrder",
    "PeriodLock",
    "Report",
    "ReportHistory",
    "ReportValue",
    "VerificationSavings",
]
