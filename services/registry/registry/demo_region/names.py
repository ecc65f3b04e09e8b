"""Russian names for the synthetic region: the lists live in ``oms_kit.synthetic_names``
(shared with the synthetic register of verification); re-exported here for the demo."""

from oms_kit.synthetic_names import (
    ALL_SURNAMES,
    FEMALE_NAMES,
    INVARIABLE_SURNAMES,
    MALE_NAMES,
    SKY_SURNAMES,
    SURNAMES,
    patronymic,
    surname_form,
    transliterate,
)

__all__ = [
    "ALL_SURNAMES",
    "FEMALE_NAMES",
    "INVARIABLE_SURNAMES",
    "MALE_NAMES",
    "SKY_SURNAMES",
    "SURNAMES",
    "patronymic",
    "surname_form",
    "transliterate",
]
