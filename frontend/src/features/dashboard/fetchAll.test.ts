import { describe, expect, it } from "vitest";
import { fetchAll } from "./hooks";

function pager(total: number) {
  const calls: [number, number][] = [];
  const fetchPage = async (offset: number, limit: number) => {
    calls.push([offset, limit]);
    const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i);
    return { items, total };
  };
  return { calls, fetchPage };
}

describe("fetchAll", () => {
  it("pages through with limit/offset until total", async () => {
    const p = pager(1201);
    const items = await fetchAll(p.fetchPage);
    expect(items).toHaveLength(1201);
    expect(items[1200]).toBe(1200);
    expect(p.calls).toEqual([[0, 500], [500, 500], [1000, 500]]);
  });
  it("asks once for a short list and once for an empty one", async () => {
    const p = pager(3);
    expect(await fetchAll(p.fetchPage)).toEqual([0, 1, 2]);
    expect(p.calls).toHaveLength(1);
    const e = pager(0);
    expect(await fetchAll(e.fetchPage)).toEqual([]);
    expect(e.calls).toHaveLength(1);
  });
  it("stops at an exact multiple of the page without an extra call", async () => {
    const p = pager(500);
    expect(await fetchAll(p.fetchPage)).toHaveLength(500);
    expect(p.calls).toHaveLength(1);
  });
});
