import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { I18nProvider } from "../../../app/i18n";
import { BudgetGrid } from "./BudgetGrid";
import { localErrors, serverErrors, bodyOf, type CellErrors, type KosguInfo, type ServerCell, type Values } from "./grid";

const KOSGU: KosguInfo[] = [
  { code: "132", name: "Доходы по ОМС", flow: "income", group: "", cmi_allowed: "yes" },
  { code: "211", name: "Заработная плата", flow: "expense", group: "Оплата труда и начисления", cmi_allowed: "yes" },
  { code: "293", name: "Штрафы по контрактам", flow: "expense", group: "", cmi_allowed: "no" },
  { code: "341", name: "Медикаменты", flow: "expense", group: "", cmi_allowed: "yes" },
];

function Editable({ initial, serverErrs = {}, server, readOnly = false }: { initial: Values; serverErrs?: CellErrors; server?: Record<string, ServerCell>; readOnly?: boolean }) {
  const [values, setValues] = useState(initial);
  const errors = { ...serverErrs, ...localErrors(values) };
  return (
    <I18nProvider initial="ru">
      <BudgetGrid
        kosgu={KOSGU}
        values={values}
        errors={errors}
        server={server}
        readOnly={readOnly}
        showAll={false}
        onChange={(key, column, text) => setValues((v) => ({ ...v, [key]: { planned: "", actual: "", ...v[key], [column]: text } }))}
      />
    </I18nProvider>
  );
}

const START: Values = {
  "income:7:132": { planned: "", actual: "10 000,00" },
  "expense:7:211": { planned: "6 000", actual: "5 000,50" },
  "expense:4:211": { planned: "", actual: "1 000" },
};

describe("BudgetGrid", () => {
  it("totals rows and columns as one types «1 234,56»", async () => {
    render(<Editable initial={START} />);
    expect(screen.getByTestId("row-total-expense-211-actual").textContent).toContain("6\u00a0000,50");
    expect(within(screen.getByTestId("grid-expense")).getByText("Оплата труда и начисления")).toBeTruthy();
    const cell = screen.getByTestId("cell-expense:4:211-actual");
    await userEvent.clear(cell);
    await userEvent.type(cell, "1 234,56");
    expect(screen.getByTestId("row-total-expense-211-actual").textContent).toContain("6\u00a0235,06");
    expect(screen.getByTestId("col-total-expense-4-actual").textContent).toContain("1\u00a0234,56");
    expect(screen.getByTestId("col-total-expense-all-actual").textContent).toContain("6\u00a0235,06");
    expect(screen.getByTestId("col-total-income-all-actual").textContent).toContain("10\u00a0000,00");
    await userEvent.tab(); // leaving the cell writes the amount out in full
    expect((cell as HTMLInputElement).value).toBe("1\u00a0234,56");
  });

  it("shows a typing mistake under its cell at once", async () => {
    render(<Editable initial={START} />);
    const cell = screen.getByTestId("cell-expense:7:211-planned");
    await userEvent.clear(cell);
    await userEvent.type(cell, "12,345");
    expect(cell.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("error-expense:7:211-planned").textContent).toContain("двумя знаками");
  });

  it("shows the server's per-cell errors on the cells they name", () => {
    const initial: Values = { ...START, "expense:7:293": { planned: "", actual: "187 450" } };
    const sent = bodyOf(initial);
    const index = sent.findIndex((c) => c.kosgu === "293");
    const errs = serverErrors(sent, [{ field: `body.${index}.kosgu`, message: "КОСГУ 293 не допускается для КВФО 7" }]);
    render(<Editable initial={initial} serverErrs={errs} />);
    const error = screen.getByTestId("error-expense:7:293-actual");
    expect(error.textContent).toContain("КОСГУ 293 не допускается для КВФО 7");
    expect(error.getAttribute("role")).toBe("alert");
    expect(screen.getByTestId("cell-expense:7:293-actual").getAttribute("aria-invalid")).toBe("true");
    // CMI may not pay fines: the cell says so
    expect(screen.getByTestId("cell-expense:7:293-actual").getAttribute("title")).toBe("Расходы по этой статье из средств ОМС не допускаются");
    expect(screen.queryByTestId("error-expense:7:211-actual")).toBeNull();
  });

  it("is read only when the period is closed, and names the payment orders behind a cell", () => {
    const server: Record<string, ServerCell> = {
      "expense:7:211": { flow: "expense", kvfo: 7, kosgu: "211", planned: "6000.00", actual: "5000.50", entered: true, payments: "4000.50", difference: "1000.00" },
    };
    render(<Editable initial={START} server={server} readOnly />);
    const grid = screen.getByTestId("grid-expense");
    expect(within(grid).queryAllByRole("textbox")).toHaveLength(0);
    expect(screen.getByTestId("cell-expense:7:211-actual").textContent).toContain("5 000,50");
    expect(within(grid).getByText(/По платёжным поручениям: 4\s000,50/)).toBeTruthy();
  });

  it("takes the keyboard focus itself when read only (it scrolls sideways with no inputs in it)", () => {
    const { unmount } = render(<Editable initial={START} readOnly />);
    const region = screen.getByRole("region", { name: "Доходы и расходы" });
    expect(region.tabIndex).toBe(0);
    expect(region.classList.contains("budget-grid-wrap")).toBe(true);
    unmount();
    render(<Editable initial={START} />); // editable: the inputs take the focus, no extra tab stop
    expect(screen.queryByRole("region")).toBeNull();
  });
});
