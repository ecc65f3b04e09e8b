from sqlalchemy.orm import DeclarativeBase

from oms_kit.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


from registry.models import mo_register, mo_register_equipment  # noqa: E402, F401  (MO register tables)
from registry.models.matching import DuplicateCandidate, PersonMerge  # noqa: E402
from registry.models.nsi import NsiDictionary, NsiEntry, NsiVersion  # noqa: E402
from registry.models.organization import Organization  # noqa: E402
from registry.models.person import Person, PersonFact, PersonSearch, UnidentifiedPerson  # noqa: E402
from registry.models.person_exclusion import PersonExclusion  # noqa: E402
from registry.models.person_import import DemoPlantedDuplicate  # noqa: E402

__all__ = [
    "Base",
    "DemoPlantedDuplicate",
    "DuplicateCandidate",
    "NsiDictionary",
    "NsiEntry",
    "NsiVersion",
    "Organization",
    "Person",
    "PersonExclusion",
    "PersonFact",
    "PersonMerge",
    "PersonSearch",
    "UnidentifiedPerson",
]
