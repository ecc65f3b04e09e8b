"""The prescriptions found, as one XLSX sheet (write-only openpyxl): one row per prescription
in the search's order; dates as dates, quantities as numbers. No SNILS or policy numbers."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

from pharmacy.prescriptions.schemas import PrescriptionSummary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_TITLES = {
    "issued": "Выписан",
    "deferred": "Отсроченное обслуживание",
    "dispensed": "Отпущен",
    "cancelled": "Аннулирован",
    "expired": "Истёк срок",
}
FUNDING_TITLES = {"federal": "Федеральный", "regional": "Региональный"}
HEADER = (
    "Серия",
    "Номер",
    "Форма",
    "Дата выписки",
    "Действителен по",
    "Статус",
    "Код МО",
    "Медицинская организация",
    "Врач",
    "Пациент",
    "Категория",
    "Источник финансирования",
    "% оплаты",
    "Диагноз (МКБ-10)",
    "МНН",
    "Лекарственная форма",
    "Дозировка",
    "Упаковок",
    "Аптека резерва",
)


def render_xlsx(rows: Sequence[PrescriptionSummary]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Рецепты")
    sheet.append(list(HEADER))
    for p in rows:
        sheet.append(
            [
                p.series,
                p.number,
                p.form,
                p.issued_on,
                p.valid_until,
                STATUS_TITLES.get(p.status, p.status),
                p.mo_code,
                p.mo_name,
                p.doctor_name,
                p.patient_full_name,
                p.category_code,
                FUNDING_TITLES.get(p.funding_source, p.funding_source),
                p.discount_percent,
                p.diagnosis_code,
                p.inn,
                p.dosage_form,
                p.dosage,
                p.quantity,
                p.pharmacy_name,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
