import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../../../app/i18n";
import type { KosguInfo } from "../budget/grid";
import { DecisionForm, type Choice } from "./DecisionForm";
import type { ClassifierRead, ReviewItem } from "./hooks";
import { ModelSummary } from "./ModelCard";
import { ReviewTable } from "./ReviewTable";

const ITEM: ReviewItem = {
  id: "p1",
  mo_id: "mo",
  mo_name: "ГБУЗ «Тестовая»",
  direction: "out",
  doc_number: "45",
  doc_date: "2025-06-10",
  amount: "12500.00",
  counterparty_name: "ООО «Торговый дом «Альянс»",
  counterparty_inn: "5001234567",
  purpose: "Оплата по счёту № 45 от 03.06.2025",
  kbk: null,
  kvfo: 7,
  kosgu: "346",
  kosgu_name: "Увеличение стоимости прочих оборотных запасов (материалов)",
  classified_by: "model",
  confidence: 0.42,
  classified_at: "2025-06-11T10:00:00Z",
  alternatives: [
    { kvfo: 7, kosgu: "341", kosgu_name: "Медикаменты", probability: 0.31 },
    { kvfo: 7, kosgu: "345", kosgu_name: "Мягкий инвентарь", probability: 0.12 },
  ],
};
const UNKNOWN: ReviewItem = { ...ITEM, id: "p2", doc_number: "46", kvfo: null, kosgu: null, kosgu_name: null, classified_by: null, confidence: null, alternatives: [] };

function Table({ canWrite = true, onConfirm = vi.fn(), onCorrect = vi.fn() }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  return (
    <I18nProvider initial="ru">
      <ReviewTable
        items={[ITEM, UNKNOWN]}
        threshold={0.75}
        selected={selected}
        canWrite={canWrite}
        onToggle={(id) => setSelected((s) => new Set(s.has(id) ? [...s].filter((x) => x !== id) : [...s, id]))}
        onToggleAll={(ids, on) => setSelected(new Set(on ? ids : []))}
        onConfirm={onConfirm}
        onCorrect={onCorrect}
      />
      <output data-testid="selected">{[...selected].join(",")}</output>
    </I18nProvider>
  );
}

describe("ReviewTable", () => {
  it("shows the suggestion with its confidence bar and the alternatives", () => {
    render(<Table />);
    expect(screen.getByTestId("suggested-p1").textContent).toContain("7 · 346");
    expect(screen.getByTestId("suggested-p1").textContent).toContain("модель");
    const [meter] = screen.getAllByRole("meter");
    expect(meter?.getAttribute("aria-valuenow")).toBe("42");
    expect(screen.getByRole("button", { name: "7 · 341" })).toBeTruthy();
    expect(screen.getByTestId("suggested-p2").textContent).toContain("не определено");
  });

  it("confirms, corrects with an alternative, and selects only rows with a suggestion", async () => {
    const onConfirm = vi.fn();
    const onCorrect = vi.fn();
    render(<Table onConfirm={onConfirm} onCorrect={onCorrect} />);
    const [, first, second] = screen.getAllByRole("row");
    if (!first || !second) throw new Error("two rows expected");
    await userEvent.click(within(first).getByRole("button", { name: "Подтвердить" }));
    expect(onConfirm).toHaveBeenCalledWith(ITEM);
    expect(within(second).getByRole<HTMLButtonElement>("button", { name: "Подтвердить" }).disabled).toBe(true);
    await userEvent.click(screen.getByRole("button", { name: "7 · 341" }));
    expect(onCorrect).toHaveBeenCalledWith(ITEM, { kvfo: 7, kosgu: "341" });
    await userEvent.click(screen.getByRole("checkbox", { name: "Выбрать все на странице" }));
    expect(screen.getByTestId("selected").textContent).toBe("p1");
  });

  it("has no decision controls for a reader", () => {
    render(<Table canWrite={false} />);
    expect(screen.queryByRole("button", { name: "Подтвердить" })).toBeNull();
    expect(screen.queryByRole("checkbox")).toBeNull();
  });
});

const KOSGU: KosguInfo[] = [
  { code: "132", name: "Доходы по ОМС", flow: "income", group: "", cmi_allowed: "yes" },
  { code: "341", name: "Медикаменты", flow: "expense", group: "", cmi_allowed: "yes" },
  { code: "346", name: "Прочие запасы", flow: "expense", group: "", cmi_allowed: "yes" },
];
const KVFO = [
  { code: 4, name: "Субсидия на ГЗ" },
  { code: 7, name: "Средства ОМС" },
];

function Form({ item = ITEM }: { item?: ReviewItem }) {
  const [value, setValue] = useState<Choice>({ kvfo: "7", kosgu: "346" });
  return (
    <I18nProvider initial="ru">
      <DecisionForm item={item} kosgu={KOSGU} kvfo={KVFO} value={value} onChange={setValue} />
      <output data-testid="choice">{`${value.kvfo}/${value.kosgu}`}</output>
    </I18nProvider>
  );
}

describe("DecisionForm", () => {
  it("offers the КОСГУ of the payment's section and takes an alternative", async () => {
    render(<Form />);
    const kosgu = screen.getByRole("combobox", { name: "КОСГУ" });
    const codes = within(kosgu).getAllByRole("option").map((o) => (o as HTMLOptionElement).value).filter(Boolean);
    expect(codes).toEqual(["341", "346"]); // no income code for a payment out
    await userEvent.click(screen.getByRole("button", { name: "7 · 341" }));
    expect(screen.getByTestId("choice").textContent).toBe("7/341");
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "КВФО" }), "4");
    expect(screen.getByTestId("choice").textContent).toBe("4/341");
  });

  it("lists the earlier decisions, old → new", () => {
    render(
      <I18nProvider initial="ru">
        <DecisionForm item={ITEM} kosgu={KOSGU} kvfo={KVFO} value={{ kvfo: "7", kosgu: "346" }} onChange={() => undefined}
          history={[{ id: "d1", payment_id: "p1", action: "correct", decided_by: "economist", decided_at: "2025-06-12T09:00:00Z",
            old_kvfo: 7, old_kosgu: "346", old_classified_by: "model", old_confidence: 0.4, new_kvfo: 4, new_kosgu: "341" }]} />
      </I18nProvider>,
    );
    expect(screen.getByText("История решений")).toBeTruthy();
    expect(screen.getByRole("listitem").textContent).toContain("economist: 7 · 346 → 4 · 341");
    expect(screen.getByRole("listitem").textContent).toContain("исправлено");
  });

  it("offers income codes for a payment in", () => {
    render(<Form item={{ ...ITEM, direction: "in", alternatives: [] }} />);
    const codes = within(screen.getByRole("combobox", { name: "КОСГУ" })).getAllByRole("option").map((o) => (o as HTMLOptionElement).value).filter(Boolean);
    expect(codes).toEqual(["132"]);
  });
});

const MODEL: ClassifierRead = {
  id: "m1",
  trained_at: "2025-06-01T08:00:00Z",
  trained_by: "demo",
  samples: 6000,
  held_out: 1200,
  seconds: 40,
  macro_f1_kosgu: 0.991,
  macro_f1_kvfo: 0.93,
  macro_f1_pair: 0.944,
  accuracy_pair: 0.97,
  per_class_kosgu: [
    { label: "211", name: "Заработная плата", precision: 1, recall: 0.99, f1: 0.995, support: 120 },
    { label: "341", name: "Медикаменты", precision: 0.98, recall: 0.99, f1: 0.985, support: 300 },
  ],
  per_class_kvfo: [],
  decisions_since: { confirm: 3, correct: 2 },
  review_threshold: 0.75,
};

describe("ModelSummary", () => {
  it("shows macro-F1, the decisions since training and the per-class chart", () => {
    render(
      <I18nProvider initial="ru">
        <ModelSummary model={MODEL} />
      </I18nProvider>,
    );
    expect(screen.getByText("Macro-F1 (КВФО + КОСГУ)").parentElement?.textContent).toContain("0,944");
    expect(screen.getByText("Решений после обучения").parentElement?.textContent).toContain("5");
    expect(screen.getByTestId("model-per-class").textContent).toContain("211 Заработная плата");
  });
});
