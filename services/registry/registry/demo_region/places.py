"""Places of «Приозёрская область»: towns and villages with their streets, as address text."""

from __future__ import annotations

import random

REGION = "Приозёрская обл."
# (settlement, district or None for a town of regional rank, share of the population)
SETTLEMENTS = (
    ("г. Приозёрск", None, 38),
    ("г. Заречный", None, 12),
    ("г. Озёрск", "Озёрский р-н", 7),
    ("г. Лесогорск", "Лесогорский р-н", 6),
    ("пгт Берёзовский", "Берёзовский р-н", 4),
    ("г. Светлоярск", "Светлоярский р-н", 5),
    ("с. Никольское", "Заречный р-н", 3),
    ("с. Покровка", "Озёрский р-н", 3),
    ("д. Ольховка", "Лесогорский р-н", 2),
    ("с. Троицкое", "Берёзовский р-н", 3),
    ("г. Каменец", "Каменецкий р-н", 5),
    ("с. Васильевское", "Каменецкий р-н", 2),
    ("пгт Сосновый Бор", "Светлоярский р-н", 3),
    ("д. Кленовая", "Заречный р-н", 2),
    ("с. Рождествено", "Приозёрский р-н", 5),
)
STREETS = (
    "ул. Ленина",
    "ул. Советская",
    "ул. Озёрная",
    "ул. Набережная",
    "ул. Мира",
    "ул. Садовая",
    "ул. Школьная",
    "ул. Молодёжная",
    "ул. Лесная",
    "пр-т Победы",
    "ул. Гагарина",
    "ул. Пушкина",
    "ул. Заводская",
    "ул. Первомайская",
    "ул. Строителей",
    "пер. Почтовый",
    "ул. Берёзовая",
    "ул. Комсомольская",
    "ул. Октябрьская",
    "б-р Рябиновый",
)
_WEIGHTS = [s[2] for s in SETTLEMENTS]


def settlement(rng: random.Random) -> int:
    return rng.choices(range(len(SETTLEMENTS)), weights=_WEIGHTS)[0]


def address(rng: random.Random, where: int | None = None) -> str:
    place, district, _ = SETTLEMENTS[settlement(rng) if where is None else where]
    street = rng.choice(STREETS)
    house = rng.randint(1, 120)
    parts = [REGION] + ([district] if district else []) + [place, street, f"д. {house}"]
    if place.startswith(("г.", "пгт")) and rng.random() < 0.75:
        parts.append(f"кв. {rng.randint(1, 180)}")
    return ", ".join(parts)


def birth_place(rng: random.Random) -> str:
    place, district, _ = SETTLEMENTS[settlement(rng)]
    return f"{place}, {district}, {REGION}" if district else f"{place}, {REGION}"
