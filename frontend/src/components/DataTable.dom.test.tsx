import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, useLocation } from "react-router-dom";
import { describe, expect, it, vi } from "vitest";
import { ApiProblem } from "../api/problem";
import { I18nProvider } from "../app/i18n";
import { PagedTable, type Column } from "./DataTable";
import { useListParams } from "./listParams";

interface Org {
  id: string;
  name: string;
}

const ORGS: Org[] = Array.from({ length: 60 }, (_, i) => ({ id: `o${i}`, name: `Организация ${String(i).padStart(2, "0")}` }));
const columns: Column<Org>[] = [
  { key: "name", header: "Наименование", sortField: "name", cell: (o) => o.name },
  { key: "id", header: "Код", cell: (o) => o.id },
];

type QueryLike = Parameters<typeof PagedTable<Org>>[0]["query"];

/** A list page in miniature: the "server" pages and sorts ORGS by what the URL says. */
function OrgList({ state }: { state?: Partial<QueryLike> }) {
  const { params, update } = useListParams({ sort: "name" });
  const sorted = [...ORGS].sort((a, b) => a.name.localeCompare(b.name) * (params.sort === "-name" ? -1 : 1));
  const data = { items: sorted.slice(params.offset, params.offset + params.limit), total: ORGS.length, limit: params.limit, offset: params.offset };
  const query: QueryLike = { data, error: null, isPending: false, isFetching: false, refetch: () => undefined, ...state };
  return <PagedTable query={query} columns={columns} rowKey={(o) => o.id} params={params} update={update} label="Организации" />;
}

function Search() {
  return <div data-testid="search">{useLocation().search}</div>;
}

function renderList(state?: Partial<QueryLike>, url = "/orgs") {
  return render(
    <I18nProvider initial="ru">
      <MemoryRouter initialEntries={[url]}>
        <OrgList state={state} />
        <Search />
      </MemoryRouter>
    </I18nProvider>,
  );
}

const search = () => new URLSearchParams(screen.getByTestId("search").textContent ?? "");
const firstCell = () => within(screen.getByRole("table", { name: "Организации" })).getAllByRole("cell")[0]?.textContent;

describe("PagedTable", () => {
  it("toggles the sort in the URL from the column header and says so with aria-sort", async () => {
    const user = userEvent.setup();
    renderList();
    const header = screen.getByRole("columnheader", { name: /Наименование/ });
    expect(header.getAttribute("aria-sort")).toBe("ascending");
    expect(screen.getByRole("columnheader", { name: "Код" }).getAttribute("aria-sort")).toBeNull();
    expect(firstCell()).toBe("Организация 00");

    await user.click(screen.getByRole("button", { name: /Наименование/ }));
    expect(search().get("sort")).toBe("-name");
    expect(header.getAttribute("aria-sort")).toBe("descending");
    expect(firstCell()).toBe("Организация 59");

    await user.click(screen.getByRole("button", { name: /Наименование/ }));
    expect(search().get("sort")).toBe("name");
    expect(firstCell()).toBe("Организация 00");
  });

  it("pages through the URL and starts again at the first page on a new page size or sort", async () => {
    const user = userEvent.setup();
    renderList();
    const pager = screen.getByRole("group", { name: "Страницы списка" });
    expect(pager.textContent).toContain("1–25 из 60");
    expect(within(pager).getByRole("button", { name: /Назад/ })).toHaveProperty("disabled", true);

    await user.click(within(pager).getByRole("button", { name: /Вперёд/ }));
    expect(search().get("offset")).toBe("25");
    expect(pager.textContent).toContain("26–50 из 60");
    expect(firstCell()).toBe("Организация 25");

    await user.selectOptions(within(pager).getByLabelText("На странице"), "50");
    expect(search().get("limit")).toBe("50");
    expect(search().get("offset")).toBe("0");

    await user.click(within(pager).getByRole("button", { name: /Вперёд/ }));
    expect(pager.textContent).toContain("51–60 из 60");
    expect(within(pager).getByRole("button", { name: /Вперёд/ })).toHaveProperty("disabled", true);
    await user.click(screen.getByRole("button", { name: /Наименование/ }));
    expect(search().has("offset")).toBe(false);
  });

  it("reads paging from a linked URL", () => {
    renderList(undefined, "/orgs?offset=50&limit=5&sort=-name");
    expect(screen.getByRole("group", { name: "Страницы списка" }).textContent).toContain("51–55 из 60");
    expect(firstCell()).toBe("Организация 09");
  });

  it("shows loading, then empty, then error with a retry", async () => {
    const user = userEvent.setup();
    const { unmount } = renderList({ isPending: true, data: undefined });
    expect(screen.getByRole("status").textContent).toContain("Загрузка");
    expect(screen.queryByRole("table")).toBeNull();
    unmount();

    const empty = renderList({ data: { items: [], total: 0, limit: 25, offset: 0 } });
    expect(screen.getByText("Нет данных")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
    empty.unmount();

    const refetch = vi.fn();
    const problem = new ApiProblem({ status: 503, title: "Сервис недоступен", detail: "registry", requestId: "req-1" });
    renderList({ data: undefined, error: problem, refetch });
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Сервис недоступен");
    expect(alert.textContent).toContain("req-1");
    await user.click(within(alert).getByRole("button", { name: "Повторить" }));
    expect(refetch).toHaveBeenCalledOnce();
  });

  it("marks a table that is refetching as busy", () => {
    renderList({ isFetching: true });
    expect(screen.getByRole("table").parentElement?.getAttribute("aria-busy")).toBe("true");
  });
});
