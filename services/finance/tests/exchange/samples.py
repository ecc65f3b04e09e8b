"""1C exchange files shaped like real ones (a budget MO's statement from the treasury, 1C's
export of payment orders), built line by line so a test can break them the ways real files
are broken."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

MO_ACCOUNT = "03224643500000001234"
MO_ACCOUNT_2 = "03234643500000005678"
MO_NAME = "ГБУЗ «Приозёрская городская больница № 1»"
MO_INN = "5001012345"
MO_KPP = "500101001"
SUPPLIER_ACCOUNT = "40702810900000012345"


@dataclass
class Doc:
    number: str = "15"
    day: str = "03.03.2026"
    amount: str = "12345.50"
    kind: str = "Платежное поручение"
    out: bool = True
    counterparty: str = "ООО «Фарм-Снаб»"
    counterparty_inn: str = "5008123456"
    counterparty_kpp: str = "500801001"
    counterparty_account: str = SUPPLIER_ACCOUNT
    mo_account: str = MO_ACCOUNT
    purpose: str = (
        "Оплата по контракту № 12-ЛП от 10.02.2026 за поставку лекарственных препаратов. НДС не облагается"
    )
    extra: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        mo = ("Плательщик" if self.out else "Получатель", self.mo_account, MO_NAME, MO_INN, MO_KPP)
        other = (
            "Получатель" if self.out else "Плательщик",
            self.counterparty_account,
            self.counterparty,
            self.counterparty_inn,
            self.counterparty_kpp,
        )
        payer, payee = (mo, other) if self.out else (other, mo)
        out = [
            f"СекцияДокумент={self.kind}",
            f"Номер={self.number}",
            f"Дата={self.day}",
            f"Сумма={self.amount}",
        ]
        for role, account, name, inn, kpp in (payer, payee):
            out += [
                f"{role}Счет={account}",
                f"{role}=ИНН {inn} {name}",
                f"{role}ИНН={inn}",
                f"{role}КПП={kpp}",
                f"{role}1={name}",
                f"{role}Банк1=ОТДЕЛЕНИЕ ПРИОЗЁРСК БАНКА РОССИИ//УФК по Приозёрской области г. Приозёрск",
                f"{role}БИК=045004001",
                f"{role}Корсчет=40102810945370000011",
            ]
        out += [
            "ДатаСписано=" + (self.day if self.out else ""),
            "ДатаПоступило=" + ("" if self.out else self.day),
            "ВидПлатежа=",
            "ВидОплаты=01",
            "Очередность=5",
            "ПоказательКБК=0",
            f"НазначениеПлатежа={self.purpose}",
            *self.extra,
            "КонецДокумента",
        ]
        return out


def onec_lines(
    docs: Sequence[Doc],
    *,
    accounts: Sequence[str] = (MO_ACCOUNT,),
    encoding_name: str = "Windows",
    version: str = "1.03",
    end: bool = True,
    balances: bool = True,
) -> list[str]:
    lines = [
        "1CClientBankExchange",
        f"ВерсияФормата={version}",
        f"Кодировка={encoding_name}",
        "Отправитель=СУФД-онлайн",
        "Получатель=1С:Бухгалтерия государственного учреждения",
        "ДатаСоздания=05.03.2026",
        "ВремяСоздания=10:15:00",
        "ДатаНачала=01.03.2026",
        "ДатаКонца=05.03.2026",
        *(f"РасчСчет={a}" for a in accounts),
        "Документ=Платежное поручение",
    ]
    if balances:
        for account in accounts:
            lines += [
                "СекцияРасчСчет",
                "ДатаНачала=01.03.2026",
                "ДатаКонца=05.03.2026",
                f"РасчСчет={account}",
                "НачальныйОстаток=1 500 000,00",
                "ВсегоПоступило=0",
                "ВсегоСписано=12345,50",
                "КонечныйОстаток=1487654,50",
                "КонецРасчСчет",
            ]
    for doc in docs:
        lines += doc.lines()
    if end:
        lines.append("КонецФайла")
    return lines


def onec_bytes(
    docs: Sequence[Doc],
    *,
    encoding: str = "cp1251",
    newline: str = "\r\n",
    bom: bool = False,
    **kwargs: object,
) -> bytes:
    text = newline.join(onec_lines(docs, **kwargs)) + newline  # type: ignore[arg-type]
    data = text.encode(encoding, errors="replace")
    return (b"\xef\xbb\xbf" + data) if bom else data
