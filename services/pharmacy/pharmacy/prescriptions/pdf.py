"""The print form of a benefit prescription (форма № 148-1/у-04(л) / 148-1/у-06(л), приказ
Минздрава России от 24.11.2021 № 1094н, приложение 2) as a PDF: fpdf2, A5 portrait, DejaVu Sans
for the Cyrillic text (``make fonts``; without the font a 503 problem says so).

The form's fields: the MO and its code, the category code, the ICD-10 code, the funding source
and the payment percent; «РЕЦЕПТ Серия … № …» and the date; the patient (name, birth date,
SNILS, policy, medical record number); the doctor; «Rp.:» the drug by МНН (the catalogue keeps
the Russian МНН, not the Latin name: the МНН is printed), form and dosage, «D.t.d. N» packages,
«S.» the signa; the term; the places of the doctor's signature and stamp. 148-1/у-06(л) adds a
Code 39 barcode of ``series/number`` (fpdf2's own barcode, no other library) that the counter's
scanner types back as the designation. The electronic signature, when present, is noted."""

from __future__ import annotations

from fpdf import FPDF

from oms_kit.pdf_fonts import BOLD, FONT, font_dir
from pharmacy.models import BenefitCategory, Drug, Organization, Prescription
from pharmacy.prescriptions import rules

FUNDING = {"federal": "федеральный бюджет", "regional": "бюджет субъекта Российской Федерации"}


def _payment(percent: int) -> str:
    return "бесплатно (100 %)" if percent >= 100 else f"{percent} % (оплата пациентом {100 - percent} %)"


def render_pdf(
    p: Prescription, mo: Organization | None, category: BenefitCategory | None, drug: Drug | None
) -> bytes:
    folder = font_dir("Рецепт можно открыть в системе без печатной формы.")
    pdf = FPDF(orientation="P", unit="mm", format=(148, 210))  # A5
    pdf.set_margins(10, 8, 10)
    pdf.set_auto_page_break(auto=True, margin=8)
    pdf.add_font("DejaVu", "", str(folder / FONT))
    pdf.add_font("DejaVu", "B", str(folder / BOLD))
    number = f"{p.number:0{rules.NUMBER_WIDTH}d}"
    pdf.set_title(f"Рецепт {p.series} № {number}")
    pdf.set_creator("OMS Region · Pharmacy")
    pdf.add_page()

    def line(text: str, size: float = 8, bold: bool = False, h: float = 4, align: str = "L") -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.multi_cell(0, h, text, new_x="LMARGIN", new_y="NEXT", align=align)

    pdf.set_font("DejaVu", "", 6.5)
    pdf.multi_cell(
        0,
        3,
        f"Код формы по ОКУД 3108805\nФорма № {p.form}\nУтверждена приказом Министерства здравоохранения "
        "Российской Федерации от 24 ноября 2021 г. № 1094н",
        new_x="LMARGIN",
        new_y="NEXT",
        align="R",
    )
    line("Министерство здравоохранения Российской Федерации", 7)
    line(f"Медицинская организация: {mo.name if mo else '—'}", 8)
    line(f"Код медицинской организации: {mo.code if mo and mo.code else p.mo_code}", 8)
    pdf.ln(1)
    cat = f"{p.category_code}" + (f" — {category.name}" if category else "")
    line(f"Код категории граждан: {cat}", 8)
    line(f"Код нозологической формы (по МКБ-10): {p.diagnosis_code}", 8)
    line(f"Источник финансирования: {FUNDING.get(p.funding_source, p.funding_source)}", 8)
    line(f"Процент оплаты: {_payment(p.discount_percent)}", 8)
    pdf.ln(2)
    line(f"РЕЦЕПТ   Серия {p.series}   № {number}", 12, bold=True, h=6, align="C")
    line(f"Дата оформления: {p.issued_on:%d.%m.%Y}", 9, align="C")
    if p.barcode:
        y = pdf.get_y() + 1
        pdf.code39(f"*{p.barcode}*", x=22, y=y, w=0.35, h=9)
        pdf.set_y(y + 10)
        line(p.barcode, 7, align="C")
    pdf.ln(2)
    line(f"Ф.И.О. пациента: {p.patient_full_name or '—'}", 9)
    birth = f"{p.patient_birth_date:%d.%m.%Y}" if p.patient_birth_date else "—"
    line(f"Дата рождения: {birth}", 9)
    line(f"СНИЛС: {_snils(p.patient_snils)}", 9)
    line(f"№ полиса ОМС: {p.patient_policy_number or '—'}", 9)
    line(f"№ медицинской карты: {p.medical_record_number or '—'}", 9)
    line(f"Ф.И.О. лечащего врача: {p.doctor_name or p.doctor_subject}", 9)
    pdf.ln(2)
    trade = f" ({drug.trade_name})" if drug is not None else ""
    line(f"Rp.: {p.inn}{trade}", 10, bold=True, h=5)
    line(f"{p.dosage_form}, {p.dosage}", 10, h=5)
    line(f"D.t.d. N {p.quantity} (упаковок: {p.quantity})", 10, h=5)
    line(f"S.: {p.signa}", 10, h=5)
    pdf.ln(3)
    days = (p.valid_until - p.issued_on).days
    line(f"Рецепт действителен в течение {days} дней (по {p.valid_until:%d.%m.%Y} включительно)", 9)
    pdf.ln(4)
    line("Подпись и личная печать лечащего врача ____________________        М.П.", 9)
    if p.signature is not None and p.signed_at is not None:
        pdf.ln(1)
        line(
            f"Подписан электронной подписью {p.signed_at:%d.%m.%Y %H:%M} UTC ({p.signature_algorithm})",
            7,
        )
    if p.status == "cancelled":
        pdf.ln(2)
        line(f"АННУЛИРОВАН {p.cancelled_at:%d.%m.%Y}: {p.cancel_reason or ''}", 11, bold=True)
    pdf.ln(3)
    pdf.set_draw_color(120)
    pdf.set_dash_pattern(dash=1, gap=1)
    pdf.line(10, pdf.get_y(), 138, pdf.get_y())
    pdf.set_dash_pattern()
    pdf.ln(2)
    line("Отпущено по рецепту (заполняется в аптеке):", 8, bold=True)
    line("Дата отпуска «___» ____________ 20__ г.", 8)
    line("Наименование, дозировка, количество ________________________________", 8)
    line("Ф.И.О. и подпись работника аптеки ____________________", 8)
    return bytes(pdf.output())


def _snils(value: str | None) -> str:
    if not value or len(value) != 11:
        return value or "—"
    return f"{value[0:3]}-{value[3:6]}-{value[6:9]} {value[9:11]}"
