"""Russian texts for pydantic's validation errors, so a form shows «Обязательное поле» and not
"Field required". The error ``type`` stays in the problem for programs; the ``message`` is for
people. Messages of our own validators (``ValueError("…")``) are kept, without pydantic's
"Value error, " prefix."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_TEXTS: dict[str, str] = {
    "missing": "Обязательное поле",
    "extra_forbidden": "Лишнее поле",
    "string_type": "Ожидается строка",
    "string_too_short": "Не короче {min_length} символов",
    "string_too_long": "Не длиннее {max_length} символов",
    "string_pattern_mismatch": "Значение не соответствует формату",
    "int_type": "Ожидается целое число",
    "int_parsing": "Ожидается целое число",
    "int_from_float": "Ожидается целое число",
    "float_type": "Ожидается число",
    "float_parsing": "Ожидается число",
    "decimal_type": "Ожидается число",
    "decimal_parsing": "Ожидается число",
    "decimal_max_digits": "Не больше {max_digits} цифр",
    "decimal_max_places": "Не больше {decimal_places} знаков после запятой",
    "bool_type": "Ожидается да или нет",
    "bool_parsing": "Ожидается да или нет",
    "greater_than": "Должно быть больше {gt}",
    "greater_than_equal": "Должно быть не меньше {ge}",
    "less_than": "Должно быть меньше {lt}",
    "less_than_equal": "Должно быть не больше {le}",
    "multiple_of": "Должно быть кратно {multiple_of}",
    "too_short": "Нужно не меньше {min_length} элементов",
    "too_long": "Допускается не больше {max_length} элементов",
    "date_type": "Ожидается дата",
    "date_parsing": "Дата должна быть в формате ГГГГ-ММ-ДД",
    "date_from_datetime_parsing": "Дата должна быть в формате ГГГГ-ММ-ДД",
    "date_from_datetime_inexact": "Ожидается дата без времени",
    "date_past": "Дата должна быть в прошлом",
    "date_future": "Дата должна быть в будущем",
    "datetime_type": "Ожидаются дата и время",
    "datetime_parsing": "Дата и время должны быть в формате ISO 8601",
    "datetime_from_date_parsing": "Дата и время должны быть в формате ISO 8601",
    "uuid_type": "Ожидается идентификатор (UUID)",
    "uuid_parsing": "Ожидается идентификатор (UUID)",
    "enum": "Допустимые значения: {expected}",
    "literal_error": "Допустимые значения: {expected}",
    "list_type": "Ожидается список",
    "dict_type": "Ожидается объект",
    "model_type": "Ожидается объект",
    "model_attributes_type": "Ожидается объект",
    "json_invalid": "Тело запроса — не корректный JSON",
    "json_type": "Ожидается JSON",
    "url_parsing": "Некорректный адрес",
    "url_type": "Некорректный адрес",
    "value_error": "{error}",
    "assertion_error": "{error}",
}

_PREFIXES = ("Value error, ", "Assertion failed, ")


def russian_message(error: Mapping[str, Any]) -> str:
    """The Russian text for one pydantic error (``ValidationError.errors()`` item)."""
    kind = str(error.get("type", ""))
    original = str(error.get("msg", ""))
    if kind in ("value_error", "assertion_error"):
        for prefix in _PREFIXES:
            if original.startswith(prefix):
                return original[len(prefix) :]
        return original
    template = _TEXTS.get(kind)
    if template is None:
        return original
    context = {k: _readable(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return original


def _readable(value: Any) -> str:
    # pydantic gives enum/literal choices as "'a', 'b' or 'c'"
    return str(value).replace(" or ", " или ")
