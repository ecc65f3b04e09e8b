"""The stock's settings (OMS_PHARMACY_LOW_STOCK_PACKAGES, OMS_PHARMACY_RESERVATION_DAYS) for
code that runs outside a request's app state (``book`` is called by dispensing and prescriptions
too): read once from the environment."""

from __future__ import annotations

from functools import lru_cache

from pharmacy.config import Settings


@lru_cache(maxsize=1)
def stock_settings() -> Settings:
    return Settings()
