import httpx
import pytest

from oms_embedded.site import Site


@pytest.fixture
def dist(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<div id=root></div>", encoding="utf-8")
    (tmp_path / "assets" / "app-1a2b.js").write_text("console.log(1)", encoding="utf-8")
    return tmp_path


def _client(directory) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=Site(directory)), base_url="http://oms")


async def test_built_spa_serves_files_and_index_for_client_routes(dist):
    async with _client(dist) as client:
        assert (await client.get("/")).text == "<div id=root></div>"
        assert (await client.get("/assets/app-1a2b.js")).text == "console.log(1)"
        route = await client.get("/finance/bill-registries/42")
        assert route.status_code == 200
        assert route.text == "<div id=root></div>"
        assert (await client.get("/assets/missing.js")).status_code == 404


async def test_without_a_build_a_russian_page_points_at_the_api(tmp_path):
    async with _client(tmp_path / "dist") as client:
        page = await client.get("/")
        assert page.status_code == 200
        assert "ещё не собран" in page.text
        assert 'href="/api/docs"' in page.text and 'href="/api/openapi.json"' in page.text
        assert (await client.get("/some/route")).status_code == 404


async def test_a_build_made_while_running_is_picked_up(tmp_path):
    async with _client(tmp_path) as client:
        assert "ещё не собран" in (await client.get("/")).text
        (tmp_path / "index.html").write_text("built", encoding="utf-8")
        assert (await client.get("/")).text == "built"
