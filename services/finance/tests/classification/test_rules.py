"""Each explicit rule on texts as accountants write them."""

from __future__ import annotations

import pytest

from finance.classification.rules import KnownCounterparty, PaymentText, apply_rules, kosgu_by_kbk

MO = "УФК по Приозёрской области (ГБУЗ «Городская поликлиника № 1 г. Приозёрска» л/с 20476Ц12340)"


def out(
    purpose: str, payee: str = "ООО «Снабженец»", kbk: str | None = None, inn: str | None = None
) -> PaymentText:
    return PaymentText("out", purpose, kbk, MO, "5001000000", payee, inn)


@pytest.mark.parametrize(
    ("purpose", "kosgu"),
    [
        (
            "Оплата по контракту № 0312300012324000045 от 12.03.2024 за поставку лекарственных "
            "препаратов (Эноксапарин натрия). КОСГУ 341. В т.ч. НДС не облагается",
            "341",
        ),
        ("КВР 244 КОСГУ 226 Оплата за охрану объекта по дог. № 5", "226"),
        ("Оплата за услуги связи за март (221)", "221"),
        ("Опл. по сч. 45 ст. 225 ремонт", "225"),
        ("Оплата (244/346) канцтовары", "346"),
        ("косгу:342 продукты питания", "342"),
    ],
)
def test_kosgu_written_in_the_purpose(purpose: str, kosgu: str) -> None:
    got = apply_rules(out(purpose), {})
    assert (got.kosgu, got.kosgu_rule, got.kosgu_confidence) == (kosgu, "kosgu_text", 1.0)


def test_a_code_of_the_other_section_or_unknown_is_not_taken() -> None:
    assert apply_rules(out("Возврат по договору (132)"), {}).kosgu is None  # income code, payment out
    assert apply_rules(out("Оплата по счёту (999) и (2024)"), {}).kosgu is None
    got = apply_rules(
        PaymentText("in", "Оплата медпомощи (132)", None, "ООО «Плательщик»", None, MO, None), {}
    )
    assert got.kosgu == "132"


@pytest.mark.parametrize(
    ("kbk", "kosgu", "rule"),
    [
        ("18210201000011000160", "213", "kbk_tax"),  # contributions to the ОПС
        ("79710212000061000160", "213", "kbk_tax"),  # СФР: accidents at work
        ("18210102010011000110", "211", "kbk_tax"),  # НДФЛ
        ("18210602010021000110", "291", "kbk_tax"),  # property tax
        ("00000000000000244341", "341", "kbk_analytic"),
        ("00000000000000119213", "213", "kbk_analytic"),
    ],
)
def test_kbk(kbk: str, kosgu: str, rule: str) -> None:
    got = apply_rules(out("Платёж", kbk=kbk), {})
    assert (got.kosgu, got.kosgu_rule) == (kosgu, rule)


def test_the_single_tax_payment_kbk_says_nothing_and_a_kbk_in_the_text_counts() -> None:
    assert kosgu_by_kbk("18201061201010000510", "out") == (None, None)
    assert apply_rules(out("ЕНП за март", kbk="18201061201010000510"), {}).kosgu is None
    got = apply_rules(out("Страховые взносы на ОПС за март (КБК 18210201000011000160)"), {})
    assert (got.kosgu, got.kosgu_rule) == ("213", "kbk_tax")


@pytest.mark.parametrize(("text", "kvfo"), [("КФО 7. Оплата", 7), ("оплата квфо 4", 4), ("КФО: 2 услуги", 2)])
def test_kvfo_written_in_the_purpose(text: str, kvfo: int) -> None:
    got = apply_rules(out(text), {})
    assert (got.kvfo, got.kvfo_rule) == (kvfo, "kvfo_text")
    assert apply_rules(out("КФО 9 оплата"), {}).kvfo is None  # no such КВФО


def test_cmi_income_from_an_insurer_or_the_fund() -> None:
    got = apply_rules(
        PaymentText(
            "in",
            "Оплата медицинской помощи по ОМС за март 2024 по счёту № 12 реестр № 3",
            None,
            "ООО «Капитал Медицинское Страхование» (филиал в Приозёрской области)",
            "5001234567",
            MO,
            "5001000000",
        ),
        {},
    )
    assert (got.kvfo, got.kosgu, got.kosgu_rule) == (7, "132", "cmi_income")
    # paid services from an insurer's voluntary policy are not CMI
    got = apply_rules(
        PaymentText("in", "Оплата по договору ДМС № 4", None, "АО «СК ДМС»", None, MO, None), {}
    )
    assert got.kosgu is None


def test_known_counterparty_and_utility_names() -> None:
    known = {("inn", "5012345678", "out"): KnownCounterparty(None, "221", 0.98)}
    got = apply_rules(out("Оплата по счёту № 45", payee="ПАО «Телеком»", inn="5012345678"), known)
    assert (got.kosgu, got.kosgu_rule, got.kosgu_confidence) == ("221", "counterparty", 0.98)
    got = apply_rules(out("Оплата по счёту № 45", payee="АО «Приозёрская энергосбытовая компания»"), {})
    assert (got.kosgu, got.kosgu_rule) == ("223", "counterparty_name")
    got = apply_rules(out("Оплата по счёту № 45", payee="МУП «Водоканал г. Приозёрска»"), {})
    assert got.kosgu == "223"
    # a written code wins over the counterparty
    got = apply_rules(out("КОСГУ 225 ремонт", inn="5012345678"), known)
    assert got.kosgu == "225"


def test_personal_accounts() -> None:
    known = {("account", "20476Ц12347", "out"): KnownCounterparty(7, None, 0.99)}
    cmi = MO.replace("12340", "12347")
    got = apply_rules(PaymentText("out", "Оплата", None, cmi, None, "ООО", None), known)
    assert (got.kvfo, got.kvfo_rule) == (7, "account")
    other = MO.replace("20476Ц12340", "21476Ц12341")
    got = apply_rules(PaymentText("out", "Ремонт КОСГУ 225", None, other, None, "ООО", None), {})
    assert (got.kvfo, got.kvfo_rule) == (5, "personal_account")
    got = apply_rules(PaymentText("out", "Стройконтроль КОСГУ 228", None, other, None, "ООО", None), {})
    assert got.kvfo == 6
    got = apply_rules(PaymentText("out", "Оборудование КОСГУ 310", None, other, None, "ООО", None), {})
    assert got.kvfo is None  # other purposes or investments: the model decides
    assert apply_rules(out("Оплата"), known).kvfo is None  # an account not known
