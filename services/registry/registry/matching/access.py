"""Who may work the duplicate queue and merge: the keepers of the whole register (the TFOMS's
registry operators, region-wide roles and the TFOMS exchange). An MO's or insurer's operator
sees only its own persons, and a merge moves records it may not see, so it may not merge."""

from __future__ import annotations

from oms_kit.auth import Principal
from oms_kit.errors import Forbidden
from registry.person.access import sees_whole_register


def require_register_keeper(principal: Principal, action: str) -> None:
    if not sees_whole_register(principal):
        raise Forbidden(f"{action} доступно только ведущим регистр (ТФОМС, региональный уровень)")
