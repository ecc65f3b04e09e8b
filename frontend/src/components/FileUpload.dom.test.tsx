import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FileUpload } from "./FileUpload";
import { FakeXhr, Providers, job, sessionApi, xhrs } from "./jobTesting";

const ACCEPT = [
  { extension: ".csv", mediaType: "text/csv" },
  { extension: ".json", mediaType: "application/json" },
];

function setup(onUploaded = vi.fn()) {
  const user = userEvent.setup({ applyAccept: false });
  render(
    <Providers api={sessionApi()}>
      <FileUpload label="Файл справочника" accept={ACCEPT} maxBytes={1024} url="/api/registry/nsi/dictionaries/icd10/imports?version=2&valid_from=2026-01-01" onUploaded={onUploaded} />
    </Providers>,
  );
  return { user, onUploaded, input: screen.getByLabelText<HTMLInputElement>("Файл справочника") };
}

const csv = (name = "МКБ-10 (новая).csv", text = "MKB_CODE;MKB_NAME\nA00;Холера\n") => new File([text], name, { type: "" });

beforeEach(() => {
  xhrs.length = 0;
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
});
afterEach(() => vi.unstubAllGlobals());

describe("FileUpload", () => {
  it("checks type, emptiness and size before sending anything", async () => {
    const { user, input } = setup();
    const send = screen.getByRole("button", { name: "Загрузить" });
    await user.upload(input, new File(["x"], "scan.pdf"));
    expect(screen.getByRole("alert").textContent).toContain("Допустимы: .csv, .json");
    expect(send).toHaveProperty("disabled", true);
    await user.upload(input, csv("пустой.csv", ""));
    expect(screen.getByRole("alert").textContent).toBe("Файл пуст.");
    await user.upload(input, csv("большой.csv", "x".repeat(2048)));
    expect(screen.getByRole("alert").textContent).toMatch(/Файл слишком большой: 2,0\s+КБ\. Допустимо не больше 1,0\s+КБ\./);
    expect(xhrs).toHaveLength(0);
  });

  it("sends the raw file with its name and type, shows progress, then hands over the answer", async () => {
    const { user, input, onUploaded } = setup();
    const file = csv();
    await user.upload(input, file);
    expect(screen.getByTestId("chosen-file").textContent).toContain("МКБ-10 (новая).csv");
    await user.click(screen.getByRole("button", { name: "Загрузить" }));
    const xhr = xhrs[0]!;
    expect(xhr.method).toBe("POST");
    expect(xhr.body).toBe(file);
    expect(xhr.headers).toMatchObject({
      "Content-Type": "text/csv",
      "Content-Disposition": "attachment; filename*=UTF-8''%D0%9C%D0%9A%D0%91-10%20%28%D0%BD%D0%BE%D0%B2%D0%B0%D1%8F%29.csv",
      Authorization: "Bearer access-1",
    });
    act(() => xhr.progress(12, 30));
    const bar = screen.getByRole("progressbar", { name: "Загрузка файла" });
    expect(bar.getAttribute("aria-valuenow")).toBe("40");
    expect(bar.getAttribute("aria-valuemin")).toBe("0");
    expect(bar.getAttribute("aria-valuemax")).toBe("100");
    const answer = job();
    await act(async () => xhr.respond(202, answer));
    expect(onUploaded).toHaveBeenCalledWith(answer, file);
    expect(screen.queryByRole("progressbar")).toBeNull();
  });

  it("cancels a running upload", async () => {
    const { user, input, onUploaded } = setup();
    await user.upload(input, csv());
    await user.click(screen.getByRole("button", { name: "Загрузить" }));
    await user.click(screen.getByRole("button", { name: "Отменить загрузку" }));
    expect(xhrs[0]!.aborted).toBe(true);
    await screen.findByText("Загрузка отменена.");
    expect(onUploaded).not.toHaveBeenCalled();
  });

  it("shows the server's problem (413) with its request id", async () => {
    const { user, input } = setup();
    await user.upload(input, csv());
    await user.click(screen.getByRole("button", { name: "Загрузить" }));
    await act(async () =>
      xhrs[0]!.respond(
        413,
        { type: "urn:oms:problem:payload-too-large", title: "Файл слишком большой", detail: "Не больше 100 МБ", status: 413 },
        { "X-Request-ID": "req-42" },
      ),
    );
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Файл слишком большой");
    expect(alert.textContent).toContain("Не больше 100 МБ");
    expect(alert.textContent).toContain("req-42");
  });
});
