import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { JobProgress } from "./JobProgress";
import { Providers, job, jsonResponse, liveEventStream, sessionApi } from "./jobTesting";

const ID = job().id;
const BASE = `/api/registry/jobs/${ID}`;

/** Stubs fetch with answers per "METHOD path" (each a queue); records the requests. */
function stubFetch(answers: Record<string, (() => Response)[]>) {
  const calls: { key: string; auth: string | null }[] = [];
  vi.stubGlobal("fetch", async (request: Request) => {
    const key = `${request.method} ${new URL(request.url).pathname}`;
    calls.push({ key, auth: request.headers.get("Authorization") });
    const next = answers[key]?.shift();
    return next ? next() : jsonResponse(404, { title: "Не найдено", status: 404 });
  });
  return calls;
}

function renderJob(props: Partial<Parameters<typeof JobProgress>[0]> = {}) {
  render(
    <Providers api={sessionApi()}>
      <JobProgress service="registry" jobId={ID} {...props} />
    </Providers>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("JobProgress", () => {
  it("follows the event stream: status, stage, progress, then the result and files", async () => {
    const stream = liveEventStream();
    const calls = stubFetch({ [`GET ${BASE}/events`]: [() => stream.response] });
    const onFinished = vi.fn();
    renderJob({ onFinished });
    await act(async () => stream.send(job()));
    expect((await screen.findByTestId("job-status")).textContent).toBe("В очереди");
    const bar = screen.getByRole("progressbar", { name: "Ход выполнения" });
    expect(bar.hasAttribute("aria-valuenow")).toBe(false); // indeterminate while queued

    await act(async () =>
      stream.send(job({ status: "running", stage: "Запись версии", progress_done: 250, progress_total: 1000, percent: 25, started_at: "2026-01-01T10:00:01Z" })),
    );
    await screen.findByText("Выполняется");
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("25");
    expect(screen.getByTestId("job-stage").textContent).toBe("Запись версии");
    expect(screen.getByTestId("job-done").textContent?.replace(/\s/g, " ")).toBe("250 из 1 000");
    expect(screen.getByRole("button", { name: "Отменить задание" })).toBeTruthy();

    const done = job({
      status: "succeeded",
      percent: 100,
      progress_done: 1000,
      progress_total: 1000,
      finished_at: "2026-01-01T10:00:09Z",
      started_at: "2026-01-01T10:00:01Z",
      result: { rows_imported: 1000, message: "Загружена версия 2" },
      files: [{ id: "f1", role: "output", name: "nsi-icd10-2-errors.csv", media_type: "text/csv", size: 2048, sha256: null, created_at: "2026-01-01T10:00:09Z" }],
    });
    await act(async () => {
      stream.send(done);
      stream.close();
    });
    await screen.findByText("Готово");
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("100");
    expect(screen.getByTestId("job-elapsed").textContent).toBe("0:08");
    expect(within(screen.getByTestId("job-result")).getByText("Загружена версия 2")).toBeTruthy();
    expect(screen.getByRole("button", { name: "nsi-icd10-2-errors.csv" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Отменить задание" })).toBeNull();
    expect(onFinished).toHaveBeenCalledWith(done);
    expect(calls).toEqual([{ key: `GET ${BASE}/events`, auth: "Bearer access-1" }]);
  });

  it("polls the job when there is no event stream, and shows its error", async () => {
    const failed = job({ status: "failed", error: { title: "Файл не распознан", detail: "Нет строки заголовка" }, finished_at: "2026-01-01T10:00:02Z" });
    stubFetch({
      [`GET ${BASE}/events`]: [() => new Response("upstream timeout", { status: 504 })],
      [`GET ${BASE}`]: [() => jsonResponse(200, failed)],
    });
    renderJob();
    const error = await screen.findByTestId("job-error");
    expect(error.textContent).toContain("Файл не распознан");
    expect(error.textContent).toContain("Нет строки заголовка");
    expect(screen.getByTestId("job-status").textContent).toBe("Ошибка");
  });

  it("shows a job it may not read as the API's problem", async () => {
    stubFetch({
      [`GET ${BASE}/events`]: [() => jsonResponse(403, { title: "Недостаточно прав", detail: "Нужно право «registry.nsi:read»", status: 403 })],
      [`GET ${BASE}`]: [() => jsonResponse(403, { title: "Недостаточно прав", detail: "Нужно право «registry.nsi:read»", status: 403 })],
    });
    renderJob();
    expect((await screen.findByRole("alert")).textContent).toContain("Нужно право «registry.nsi:read»");
  });

  it("cancels a running job", async () => {
    const stream = liveEventStream();
    const running = job({ status: "running", percent: 10, progress_done: 1, progress_total: 10 });
    const calls = stubFetch({
      [`GET ${BASE}/events`]: [() => stream.response],
      [`POST ${BASE}/cancel`]: [() => jsonResponse(200, job({ status: "cancelled", finished_at: "2026-01-01T10:00:05Z" }))],
    });
    renderJob();
    await act(async () => stream.send(running));
    await userEvent.click(await screen.findByRole("button", { name: "Отменить задание" }));
    await screen.findByText("Отменено");
    expect(calls.map((c) => c.key)).toContain(`POST ${BASE}/cancel`);
  });

  it("downloads an output file under the server's name", async () => {
    const finished = job({
      status: "succeeded",
      files: [{ id: "f1", role: "output", name: "diff.csv", media_type: "text/csv", size: 5, sha256: null, created_at: "2026-01-01T10:00:09Z" }],
    });
    stubFetch({
      [`GET ${BASE}/events`]: [() => new Response(`event: job\ndata: ${JSON.stringify(finished)}\n\n`, { headers: { "Content-Type": "text/event-stream" } })],
      [`GET ${BASE}/files/f1`]: [
        () =>
          new Response("a;b\r\n", {
            headers: { "Content-Type": "text/csv", "Content-Length": "5", "Content-Disposition": "attachment; filename=\"diff.csv\"; filename*=UTF-8''%D1%80%D0%B0%D0%B7%D0%BD%D0%B8%D1%86%D0%B0.csv" },
          }),
      ],
    });
    const created: Blob[] = [];
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: (b: Blob) => (created.push(b), "blob:x"), revokeObjectURL: () => undefined }));
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    renderJob();
    await userEvent.click(await screen.findByRole("button", { name: "diff.csv" }));
    await vi.waitFor(() => expect(clicked).toEqual(["разница.csv"]));
    expect(await created[0]!.text()).toBe("a;b\r\n");
    click.mockRestore();
  });
});
