"""The verifier rejects every known way to forge or stretch a python-jose token."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization

from oms_kit.auth.tokens import JwksSource, TokenVerifier
from oms_kit.errors import Unauthorized
from oms_kit.testing.tokens import TokenFactory


@pytest.fixture
def factory() -> TokenFactory:
    return TokenFactory()


@pytest.fixture
def verifier(factory: TokenFactory) -> TokenVerifier:
    return TokenVerifier(factory.jwks_source(), issuer=factory.issuer, audience=factory.audience, leeway=0)


def _b64(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


async def test_valid_token_gives_principal(factory, verifier):
    token = factory.token(roles=["doctor"], perms=["registry.person:read"], subject="ivanov")
    principal = await verifier.verify(token)
    assert principal.subject == "ivanov"
    assert principal.roles == {"doctor"}
    assert principal.has("registry.person:read")
    assert not principal.has("registry.person:write")
    assert not principal.region_wide


async def test_tampered_payload_rejected(factory, verifier):
    header, _payload, signature = factory.token(roles=["doctor"]).split(".")
    forged = _b64(factory.claims(roles=["admin"], perms=["*"]))
    with pytest.raises(Unauthorized):
        await verifier.verify(f"{header}.{forged}.{signature}")


async def test_expired_token_rejected(factory, verifier):
    claims = factory.claims()
    claims["iat"], claims["exp"] = int(time.time()) - 600, int(time.time()) - 300
    with pytest.raises(Unauthorized):
        await verifier.verify(factory.encode(claims))


async def test_token_without_exp_rejected(factory, verifier):
    claims = factory.claims()
    del claims["exp"]
    with pytest.raises(Unauthorized):
        await verifier.verify(factory.encode(claims))


async def test_alg_none_rejected(factory, verifier):
    token = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': factory.kid})}.{_b64(factory.claims(perms=['*']))}."
    with pytest.raises(Unauthorized):
        await verifier.verify(token)


@pytest.mark.parametrize("encoding", ["pem", "der"])
async def test_hs256_signed_with_public_key_rejected(factory, verifier, encoding):
    public = serialization.load_pem_public_key(factory.public_pem)
    secret = (
        factory.public_pem
        if encoding == "pem"
        else public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    # python-jose refuses to sign this itself, so forge the HMAC by hand as an attacker would.
    signing_input = (
        f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': factory.kid})}.{_b64(factory.claims(perms=['*']))}"
    )
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    with pytest.raises(Unauthorized):
        await verifier.verify(token)


@pytest.mark.parametrize(
    ("claim", "value"), [("aud", "someone-else"), ("iss", "evil-gateway"), ("typ", "refresh")]
)
async def test_wrong_audience_issuer_or_type_rejected(factory, verifier, claim, value):
    with pytest.raises(Unauthorized):
        await verifier.verify(factory.encode(factory.claims(**{claim: value})))


async def test_token_from_another_key_rejected(verifier):
    stranger = TokenFactory()  # same kid, different key
    with pytest.raises(Unauthorized):
        await verifier.verify(stranger.token())


async def test_unknown_kid_triggers_one_refetch_for_rotation():
    old, new = TokenFactory(kid="k1"), TokenFactory(kid="k2")
    documents = [old.jwks, {"keys": old.jwks["keys"] + new.jwks["keys"]}]
    calls = 0

    async def fetch() -> dict:
        nonlocal calls
        calls += 1
        return documents[min(calls - 1, 1)]

    verifier = TokenVerifier(
        JwksSource(fetch, min_refresh_seconds=0), issuer=old.issuer, audience=old.audience
    )
    await verifier.verify(old.token())
    assert calls == 1
    principal = await verifier.verify(new.token(subject="after-rotation"))
    assert principal.subject == "after-rotation"
    assert calls == 2


async def test_garbage_is_401_not_500(verifier):
    for junk in ["", "abc", "a.b.c", "ey.ey.ey"]:
        with pytest.raises(Unauthorized):
            await verifier.verify(junk)


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


async def test_a_remembered_token_is_refused_once_it_expires(factory):
    clock = Clock()
    verifier = TokenVerifier(
        factory.jwks_source(), issuer=factory.issuer, audience=factory.audience, leeway=5, clock=clock
    )
    claims = factory.claims(subject="ivanov")
    claims["exp"] = int(clock.now) + 60
    token = factory.encode(claims)
    assert (await verifier.verify(token)).subject == "ivanov"
    clock.now = claims["exp"] + 5  # within the leeway: still the remembered principal
    assert (await verifier.verify(token)).subject == "ivanov"
    clock.now = claims["exp"] + 6
    with pytest.raises(Unauthorized):
        await verifier.verify(token)
    assert token not in verifier._verified  # forgotten once refused


async def test_verification_is_done_once_per_token(factory, monkeypatch):
    """A remembered token is answered without its signature being checked again; a different
    token (one character changed) is checked — and refused."""
    verifier = TokenVerifier(
        factory.jwks_source(), issuer=factory.issuer, audience=factory.audience, leeway=0
    )
    token = factory.token(subject="ivanov")
    first = await verifier.verify(token)
    calls = []
    original = verifier._verify

    async def counted(t: str):
        calls.append(t)
        return await original(t)

    monkeypatch.setattr(verifier, "_verify", counted)
    assert await verifier.verify(token) is first
    assert calls == []
    head, payload, signature = token.split(".")
    forged = f"{head}.{payload}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}{signature[-1]}"
    with pytest.raises(Unauthorized):
        await verifier.verify(forged)
    assert calls == [forged]


async def test_remembered_tokens_are_bounded(factory, monkeypatch):
    monkeypatch.setattr("oms_kit.auth.tokens.VERIFIED_CACHE_SIZE", 2)
    verifier = TokenVerifier(
        factory.jwks_source(), issuer=factory.issuer, audience=factory.audience, leeway=0
    )
    tokens = [factory.token(subject=f"user{i}") for i in range(3)]
    for t in tokens:
        await verifier.verify(t)
    assert list(verifier._verified) == tokens[1:]  # the oldest forgotten
