"""Военные комиссариаты (Минобороны России): servicemen and conscripts in service.

``military.service``: date_from = the start of service (call-up or contract), date_to = its
end (none while serving); ``service_type`` conscript | contract. No published exchange
format is known to us: element ``Военнослужащий`` of our own, person fields ФНС-style."""

from __future__ import annotations

from verification.sources.adapter import GovernmentSource
from verification.sources.formats import Attribute, KindFormat, XmlLayout, fns_person

SERVICE_TYPES = (
    ("призыв", "conscript"),
    ("по призыву", "conscript"),
    ("контракт", "contract"),
    ("по контракту", "contract"),
    ("conscript", "conscript"),
    ("contract", "contract"),
)

SERVICE = KindFormat(
    kind="military.service",
    title="Военная служба",
    labels=("Военная служба", "Военнослужащий"),
    date_from_title="Дата начала службы",
    date_to_title="Дата окончания службы",
    attributes=(Attribute("service_type", "Вид службы", required=True, values=SERVICE_TYPES),),
    xml=XmlLayout(
        element="Военнослужащий",
        fields=(
            *fns_person(""),
            ("attr:service_type", "@ВидСлужбы"),
            ("date_from", "@ДатаНач"),
            ("date_to", "@ДатаОконч"),
        ),
    ),
)

MILITARY = GovernmentSource(
    code="military",
    name="Военные комиссариаты",
    kinds=(SERVICE,),
    file_root="Файл",
    service="Сведения о гражданах, проходящих военную службу",
)
