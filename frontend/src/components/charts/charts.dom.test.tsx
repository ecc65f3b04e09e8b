import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { PieChart } from "./charts";

// The names of the demo region: long enough for Chart.js's canvas legend to cut them off.
const data = [
  { label: "Управление по страхованию неработающего населения Приозёрской области", value: 1 },
  { label: "Территориальный фонд обязательного медицинского страхования", value: 1 },
  { label: "Медицинская организация", value: 3 },
];

describe("PieChart", () => {
  it("shows each full label in an HTML legend, with its value and share", () => {
    const { container } = render(<PieChart title="Организации по типам" valueLabel="Количество" data={data} testId="pie" />);
    const legend = container.querySelector(".chart-legend");
    expect(legend).not.toBeNull();
    const items = within(legend as HTMLElement).getAllByRole("listitem", { hidden: true });
    expect(items.map((li) => li.querySelector(".chart-legend-label")?.textContent)).toEqual(data.map((d) => d.label));
    expect(items[2]!.textContent).toContain("3");
    expect(items[2]!.textContent).toContain("60,0\u00a0%");
    // The full text is also the tooltip, for a label that wraps in a narrow card.
    expect(items[0]!.getAttribute("title")).toContain(data[0]!.label);
  });

  it("keeps the accessible summary and the data table, and reads the legend once", () => {
    render(<PieChart title="Организации по типам" valueLabel="Количество" data={data} testId="pie" />);
    const figure = screen.getByTestId("pie");
    expect(figure.getAttribute("aria-label")).toBe(
      "Организации по типам: " + data.map((d) => `${d.label} — ${d.value}`).join(", "),
    );
    const table = within(figure).getByRole("table");
    expect(within(table).getAllByRole("rowheader").map((th) => th.textContent)).toEqual([
      `${data[0]!.label} (20,0 %)`,
      `${data[1]!.label} (20,0 %)`,
      `${data[2]!.label} (60,0 %)`,
    ]);
    expect(figure.querySelector(".chart-legend")?.getAttribute("aria-hidden")).toBe("true");
  });
});
