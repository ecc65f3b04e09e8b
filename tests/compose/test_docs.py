"""The docs follow the code: docs/operations.md lists exactly the environment variables the
code reads, and the README lists the demo logins the gateway seeds."""

from __future__ import annotations

import re

from oms_embedded.config import EmbeddedSettings

# Read with os.environ by the test plugin, not by a Settings class.
TEST_ONLY = {"OMS_TEST_POSTGRES_DSN", "OMS_TEST_BROKER_URL"}


def documentation_problems(text: str, read: set[str]) -> list[str]:
    mentioned = set(re.findall(r"\bOMS_[A-Z0-9_]*[A-Z0-9]\b", text)) - TEST_ONLY
    problems = [f"{name} is read by the code but not documented" for name in sorted(read - mentioned)]
    problems += [f"{name} is documented but read by no Settings class" for name in sorted(mentioned - read)]
    return problems


def test_every_variable_is_documented_and_every_documented_one_is_read(env_names_by_service, deploy) -> None:
    # The concrete services' Settings (they inherit every shared field); the abstract
    # ServiceSettings' own database_url is overridden by each service's aliased one.
    read = set(deploy.env_names(EmbeddedSettings))
    for names in env_names_by_service.values():
        read |= set(names)
    text = (deploy.REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    assert documentation_problems(text, read) == []
    assert documentation_problems(text.replace("OMS_RELAY_BATCH_SIZE", "OMS_RELAY_BATCH"), read) == [
        "OMS_RELAY_BATCH_SIZE is read by the code but not documented",
        "OMS_RELAY_BATCH is documented but read by no Settings class",
    ]


def readme_login_problems(readme: str, users: list[tuple[str, str]]) -> list[str]:
    rows = dict(re.findall(r"^\| `([a-z0-9_]+)` \| `([a-z_]+)`", readme, flags=re.MULTILINE))
    problems = [
        f"README: demo login {login} ({role}) is missing" for login, role in users if rows.get(login) != role
    ]
    problems += [f"README: {login} is no demo login" for login in sorted(set(rows) - {u for u, _ in users})]
    return problems


def test_readme_lists_the_demo_logins(deploy) -> None:
    from gateway import demo

    users = [(user.login, user.role) for user in demo.USERS]
    readme = (deploy.REPO / "README.md").read_text(encoding="utf-8")
    assert demo.DEMO_PASSWORD == "demo" and "password **`demo`**" in readme
    assert readme_login_problems(readme, users) == []
    assert readme_login_problems(readme, [*users, ("auditor", "auditor")]) == [
        "README: demo login auditor (auditor) is missing"
    ]
