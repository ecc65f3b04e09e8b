import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../../../app/i18n";
import type { PaymentImportRead } from "./hooks";
import { ImportReport } from "./ImportReport";

function report(overrides: Partial<PaymentImportRead> = {}): PaymentImportRead {
  return {
    id: "7f1c0000-0000-4000-8000-000000000001",
    mo_id: "5a000000-0000-4000-8000-000000000001",
    job_id: null,
    file_name: "kl_to_1c.txt",
    file_format: "1c",
    status: "awaiting_decision",
    documents: 5,
    valid: 3,
    invalid: 2,
    inserted: 0,
    duplicates: 0,
    repeated_in_file: 1,
    header: {
      version: "1.03",
      encoding: "Windows (windows-1251)",
      date_from: "01.03.2026",
      date_to: "05.03.2026",
      accounts: ["03224643500000001234"],
      balances: [{ account: "03224643500000001234", opening: "1 500 000,00", received: "0", written_off: "12345,50", closing: "1487654,50" }],
    },
    problems: [
      { line: 41, field: "Сумма", message: "сумма «12,345.50»: в ней и запятая, и точка", document: "№ 3 от 03.03.2026" },
      { line: 77, field: "ПолучательИНН", message: "ИНН «12» должен состоять из 10 или 12 цифр", document: "№ 4 от 03.03.2026" },
    ],
    problems_total: 2,
    warnings: ["Строка 90: документ № 1 от 03.03.2026 на 1001.50 повторяет документ строки 19 — загружается один раз"],
    error: null,
    created_by: "economist",
    created_at: "2026-03-05T10:00:00Z",
    decided_by: null,
    decided_at: null,
    ...overrides,
  };
}

function show(value: PaymentImportRead, onDecide = vi.fn()) {
  render(
    <I18nProvider initial="ru">
      <MemoryRouter>
        <ImportReport report={value} onDecide={onDecide} />
      </MemoryRouter>
    </I18nProvider>,
  );
  return onDecide;
}

describe("ImportReport", () => {
  it("lists every bad line with its field, document and reason, and offers the choice", async () => {
    const onDecide = show(report());
    expect(screen.getByRole("status").textContent).toContain("корректных документов 3, с ошибками 2. Ничего не записано");
    const table = screen.getByRole("table", { name: "Ошибки по строкам" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getAllByRole("cell").map((c) => c.textContent)).toEqual([
      "41",
      "Сумма",
      "№ 3 от 03.03.2026",
      "сумма «12,345.50»: в ней и запятая, и точка",
    ]);
    expect(screen.getByText(/повторяет документ строки 19/)).toBeTruthy();
    expect(screen.getByText(/Повторов одного документа в файле: 1/)).toBeTruthy();
    expect(screen.getByText(/Остатки по счёту 03224643500000001234: начальный 1 500 000,00/)).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Загрузить только корректные строки (3)" }));
    expect(onDecide).toHaveBeenLastCalledWith(true);
    await userEvent.click(screen.getByRole("button", { name: "Отказаться от загрузки" }));
    expect(onDecide).toHaveBeenLastCalledWith(false);
  });

  it("cannot load the valid lines when there are none", () => {
    show(report({ valid: 0, invalid: 5 }));
    expect(screen.getByRole<HTMLButtonElement>("button", { name: /Загрузить только корректные строки/ }).disabled).toBe(true);
  });

  it("an imported file says how many were new and already there, without a choice", () => {
    show(report({ status: "imported", valid: 5, invalid: 0, inserted: 3, duplicates: 2, problems: [], problems_total: 0, warnings: [] }));
    expect(screen.getByRole("status").textContent).toContain("документов 5, записано новых 3, уже были загружены 2");
    expect(screen.queryByRole("button", { name: /Загрузить только корректные/ })).toBeNull();
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.getByRole("link", { name: "Показать загруженные" }).getAttribute("href")).toBe(
      "/finance/payments?import_id=7f1c0000-0000-4000-8000-000000000001",
    );
  });

  it("a failed job shows the reason and more errors than shown are counted", () => {
    show(report({ status: "failed", error: { title: "Файл обрывается", detail: "Нет строки «КонецФайла»" }, problems: [], problems_total: 0 }));
    expect(screen.getByRole("status").textContent).toContain("не загружен: Файл обрывается: Нет строки «КонецФайла»");
    cleanup();
    show(report({ problems_total: 4500 }));
    expect(screen.getByText(/^Показаны первые 2 ошибок из 4\s500\.$/)).toBeTruthy();
  });
});
