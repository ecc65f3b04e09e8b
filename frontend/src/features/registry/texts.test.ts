import { describe, expect, it } from "vitest";
import { en, registryText, ru } from "./texts";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the register's texts", () => {
  it("has every Russian key in English, with the same placeholders", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort());
    for (const key of Object.keys(ru) as (keyof typeof ru)[]) expect(placeholders(en[key]), key).toEqual(placeholders(ru[key]));
  });

  it("substitutes parameters and leaves unknown ones visible", () => {
    expect(registryText("ru", "reg.new.registered", { oip: 1000001 })).toBe("Застрахованное лицо зарегистрировано, ОИП 1000001.");
    expect(registryText("en", "reg.dup.keep", { oip: 7 })).toBe("OIP 7 — {name}");
  });
});
