import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, select

from oms_kit.errors import InvalidInput
from oms_kit.pagination import parse_sort

t = Table("t", MetaData(), Column("name", String), Column("size", Integer), Column("secret", String))
ALLOWED = {"name": t.c.name, "size": t.c.size}


def test_sort_builds_order_by_in_given_order():
    sql = str(select(t).order_by(*parse_sort("-size,name", ALLOWED, "name")).compile())
    assert sql.endswith("ORDER BY t.size DESC, t.name ASC")


def test_default_sort_applies_when_absent():
    assert str(select(t).order_by(*parse_sort(None, ALLOWED, "-name")).compile()).endswith("t.name DESC")


def test_column_outside_allow_list_is_rejected_by_name():
    with pytest.raises(InvalidInput, match="secret"):
        parse_sort("secret", ALLOWED, "name")


async def test_sort_dependency_works_in_an_endpoint():
    import httpx
    from fastapi import Depends, FastAPI

    from oms_kit.errors import install_problem_handlers
    from oms_kit.pagination import sorting

    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/rows")
    async def rows(order=Depends(sorting(ALLOWED, "name"))) -> list[str]:
        return [str(c) for c in order]

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        ok = await c.get("/rows", params={"sort": "-size"})
        assert ok.status_code == 200, ok.text
        assert ok.json() == ["t.size DESC"]
        bad = await c.get("/rows", params={"sort": "secret"})
        assert bad.status_code == 422
        assert "secret" in bad.json()["detail"]
        schema = app.openapi()["paths"]["/rows"]["get"]["parameters"][0]
        assert "size" in schema["description"]
