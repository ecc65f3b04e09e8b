import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { BatchPicker } from "./BatchPicker";
import type { BatchChoice } from "./hooks";
import { dispensingText, type DispensingKey } from "./texts";

const t = (key: DispensingKey, params?: Record<string, string | number>) => dispensingText("ru", key, params);
const EARLY: BatchChoice = {
  batch_id: "b-early",
  drug_id: "d1",
  trade_name: "Бинт стерильный",
  series: "AX1001",
  expiry_date: "2027-03-01",
  free: 3,
  unit_price: "38.00",
};
const LATE: BatchChoice = { ...EARLY, batch_id: "b-late", series: "KM2002", expiry_date: "2028-01-15", free: 5, unit_price: "40.10" };

describe("the batch picker of an unmarked drug", () => {
  it("shows the batches, the FEFO one chosen and the prescribed quantity, and sends the batch picked by keyboard", async () => {
    const onDispense = vi.fn();
    const user = userEvent.setup();
    render(<BatchPicker batches={[EARLY, LATE]} prescribed={2} disabled={false} pending={false} onDispense={onDispense} t={t} />);

    const table = screen.getByRole("table", { name: "Партия для отпуска" });
    const headers = within(table).getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers).toEqual(["Выбор партии", "Серия", "Годен до", "Свободно", "Цена"]);
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows[0]!.textContent).toContain("AX1001");
    expect(rows[0]!.textContent).toContain("01.03.2027");
    expect(rows[0]!.textContent).toContain("38,00");
    expect(rows[1]!.textContent).toContain("KM2002");
    const early = screen.getByRole<HTMLInputElement>("radio", { name: "Партия AX1001, годен до 01.03.2027" });
    const late = screen.getByRole<HTMLInputElement>("radio", { name: "Партия KM2002, годен до 15.01.2028" });
    expect(early.checked).toBe(true);
    expect(late.checked).toBe(false);
    const quantity = screen.getByLabelText<HTMLInputElement>("Количество упаковок");
    expect(quantity.value).toBe("2");
    expect(screen.getByText("Как выписано")).toBeTruthy();

    // Space picks the focused batch; Enter in the quantity dispenses (jsdom has no CSS.escape,
    // which user-event's arrow keys in a radio group need)
    late.focus();
    await user.keyboard(" ");
    expect(late.checked).toBe(true);
    await user.click(quantity);
    await user.keyboard("{Enter}");
    expect(onDispense).toHaveBeenCalledWith("b-late", 2);
  });

  it("refuses more than the chosen batch has free or a quantity that is not a whole number", async () => {
    const onDispense = vi.fn();
    render(<BatchPicker batches={[EARLY, LATE]} prescribed={4} disabled={false} pending={false} onDispense={onDispense} t={t} />);
    const button = screen.getByRole<HTMLButtonElement>("button", { name: "Отпустить" });
    expect(button.disabled).toBe(true);
    expect(screen.getByText("В партии AX1001 свободно только 3 уп.")).toBeTruthy();
    expect(screen.getByLabelText("Количество упаковок").getAttribute("aria-invalid")).toBe("true");

    fireEvent.click(screen.getByRole("radio", { name: /KM2002/ }));
    expect(button.disabled).toBe(false);
    fireEvent.change(screen.getByLabelText("Количество упаковок"), { target: { value: "0" } });
    expect(button.disabled).toBe(true);
    expect(screen.getByText("Введите целое число упаковок больше нуля")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Количество упаковок"), { target: { value: "3" } });
    expect(screen.getByText("Выписано 4 уп.: отпуск только в выписанном количестве")).toBeTruthy();
    fireEvent.click(button);
    expect(onDispense).toHaveBeenCalledWith("b-late", 3);
  });

  it("says so when the pharmacy has no batch to fill it from, and waits while a dispense is sent", () => {
    const { rerender } = render(
      <BatchPicker batches={[]} prescribed={1} disabled={false} pending={false} onDispense={() => undefined} t={t} />,
    );
    expect(screen.getByRole("status").textContent).toContain("нет партий этого препарата");
    expect(screen.queryByRole("button", { name: "Отпустить" })).toBeNull();
    rerender(<BatchPicker batches={[EARLY]} prescribed={1} disabled={false} pending onDispense={() => undefined} t={t} />);
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Отпустить" }).disabled).toBe(true);
  });
});
