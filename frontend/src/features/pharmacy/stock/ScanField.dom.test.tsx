import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { GS } from "../dispensing/scanInput";
import { ScanField } from "./ScanField";

describe("the scanner field", () => {
  it("turns the wedge's Ctrl+] into GS and hands each code over on Enter, then clears", () => {
    const onScan = vi.fn();
    render(<ScanField label="Код" onScan={onScan} />);
    const input = screen.getByLabelText<HTMLInputElement>("Код");
    fireEvent.change(input, { target: { value: "010460700000001121ABCDEFGHIJKLM" } });
    fireEvent.keyDown(input, { key: "]", code: "BracketRight", ctrlKey: true });
    fireEvent.change(input, { target: { value: `${input.value}91EE10` } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(onScan).toHaveBeenCalledWith(`010460700000001121ABCDEFGHIJKLM${GS}91EE10`);
    expect(input.value).toBe("");
    fireEvent.keyDown(input, { key: "Enter" });
    expect(onScan).toHaveBeenCalledTimes(1);
  });

  it("shows a refusal as an alert at the field", () => {
    render(<ScanField label="Код" onScan={() => undefined} error="Код уже отсканирован" />);
    expect(screen.getByRole("alert").textContent).toBe("Код уже отсканирован");
  });
});
