"""The five apps, built with their factories (no lifespan: nothing is started)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from oms_embedded.services import ALL_SERVICES, SERVICES


@pytest.fixture(scope="session")
def apps() -> dict[str, FastAPI]:
    return {name: SERVICES[name].module("main").create_app() for name in ALL_SERVICES}


@pytest.fixture(scope="session")
def openapi_documents(apps: dict[str, FastAPI]) -> dict[str, dict[str, Any]]:
    return {name: app.openapi() for name, app in apps.items()}
