"""Field-level input errors raised by the rules: the kit renders them as a 422 problem whose
``errors`` list names the field, like a validation error of the request body."""

from __future__ import annotations

from fastapi.exceptions import RequestValidationError


def field_error(field: str, message: str, *, location: str = "body") -> RequestValidationError:
    return RequestValidationError(
        [{"loc": (location, *field.split(".")), "msg": message, "type": "value_error"}]
    )
