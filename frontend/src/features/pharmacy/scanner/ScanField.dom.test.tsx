import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ScanField } from "./ScanField";
import { GS } from "./wedge";

describe("the scanner field", () => {
  it("turns the wedge's Ctrl+] into GS and hands each code over on Enter, then clears", () => {
    const onScan = vi.fn();
    render(<ScanField label="Код" onScan={onScan} />);
    const input = screen.getByLabelText<HTMLInputElement>("Код");
    fireEvent.change(input, { target: { value: "010460700000001121ABCDEFGHIJKLM" } });
    fireEvent.keyDown(input, { key: "]", code: "BracketRight", ctrlKey: true });
    expect(input.value).toBe("010460700000001121ABCDEFGHIJKLM␝"); // shown, not an invisible character
    fireEvent.change(input, { target: { value: `${input.value}91EE10` } });
    fireEvent.keyDown(input, { key: "F8" });
    fireEvent.change(input, { target: { value: `${input.value}92abc` } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(onScan).toHaveBeenCalledWith(`010460700000001121ABCDEFGHIJKLM${GS}91EE10${GS}92abc`);
    expect(input.value).toBe("");
    fireEvent.keyDown(input, { key: "Enter" });
    expect(onScan).toHaveBeenCalledTimes(1);
  });

  it("puts GS at the caret, not at the end", () => {
    const onScan = vi.fn();
    render(<ScanField label="Код" onScan={onScan} />);
    const input = screen.getByLabelText<HTMLInputElement>("Код");
    fireEvent.change(input, { target: { value: "219191EE10" } });
    input.setSelectionRange(4, 4);
    fireEvent.keyDown(input, { key: "]", code: "BracketRight", ctrlKey: true });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(onScan).toHaveBeenCalledWith(`2191${GS}91EE10`);
  });

  it("shows a refusal as an alert at the field", () => {
    render(<ScanField label="Код" onScan={() => undefined} error="Код уже отсканирован" />);
    expect(screen.getByRole("alert").textContent).toBe("Код уже отсканирован");
  });
});
