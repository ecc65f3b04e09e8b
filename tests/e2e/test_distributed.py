"""The distributed shape end to end: five processes, PostgreSQL per service, RabbitMQ between
them. A demo user logs in at the gateway, every service answers through the gateway's proxy
(verifying the token against the gateway's JWKS over HTTP), and an organization registered
at the gateway crosses the broker into the four services."""

import asyncio
import time

import httpx
import pytest

DOMAIN_SERVICES = ("registry", "finance", "pharmacy", "verification")

pytestmark = [pytest.mark.e2e, pytest.mark.rabbitmq]


@pytest.fixture
async def gateway(stack):
    async with httpx.AsyncClient(base_url=stack.gateway.url, timeout=10.0, trust_env=False) as client:
        yield client


def _demo(logins, login):
    return next(entry for entry in logins if entry.login == login)


async def _auth(gateway, logins, login) -> dict[str, str]:
    demo = _demo(logins, login)
    response = await gateway.post("/api/auth/login", json={"login": demo.login, "password": demo.password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _eventually(check, *, within: float, what: str):
    deadline = time.monotonic() + within
    while True:
        result = await check()
        if result is not None:
            return result
        assert time.monotonic() < deadline, f"not within {within:.0f} s: {what}"
        await asyncio.sleep(0.2)


@pytest.mark.parametrize("service", DOMAIN_SERVICES)
async def test_every_service_is_healthy_through_the_gateway(gateway, service):
    response = await gateway.get(f"/api/{service}/healthz")
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("service", DOMAIN_SERVICES)
async def test_a_demo_user_gets_its_organization_from_every_service(gateway, demo_logins, service):
    headers = await _auth(gateway, demo_logins, "economist")
    own = str(_demo(demo_logins, "economist").org_id)

    async def listed():
        # The seed's organization events may still be on their way through the broker.
        response = await gateway.get(f"/api/{service}/organizations", headers=headers)
        assert response.status_code == 200, response.text
        ids = [o["id"] for o in response.json()["items"]]
        return ids or None

    assert await _eventually(listed, within=20, what=f"organizations in {service}") == [own]


async def test_an_organization_registered_at_the_gateway_reaches_all_four_services(gateway, demo_logins):
    headers = await _auth(gateway, demo_logins, "admin")
    created = await gateway.post(
        "/api/admin/organizations",
        json={"name": "ГБУЗ «Северная районная больница»", "kind": "mo", "code": "990088"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    org_id = created.json()["id"]

    async def arrived(service: str) -> None:
        async def found():
            response = await gateway.get(f"/api/{service}/organizations/{org_id}", headers=headers)
            assert response.status_code in (200, 404), response.text
            return response.json() if response.status_code == 200 else None

        copy = await _eventually(found, within=20, what=f"organization in {service}")
        assert copy["name"] == "ГБУЗ «Северная районная больница»"

    await asyncio.gather(*(arrived(service) for service in DOMAIN_SERVICES))


async def test_each_service_consumes_from_its_own_queue_of_this_run(stack, rabbitmq_url):
    """OMS_EVENTS_QUEUE_PREFIX isolates this run's queues on the shared broker."""
    import aio_pika

    connection = await aio_pika.connect(rabbitmq_url)
    async with connection:
        for service in DOMAIN_SERVICES:
            channel = await connection.channel()
            queue = await channel.declare_queue(f"{stack.exchange}.{service}", passive=True)
            assert queue.declaration_result.consumer_count >= 1, service
