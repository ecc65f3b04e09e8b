import { describe, expect, it } from "vitest";
import { conflictCandidates, reasonBars, scoreScale } from "./reasons";

describe("reasonBars", () => {
  it("sizes each bar by its weight against the strongest, signed by direction", () => {
    const bars = reasonBars([
      { field: "birth_date", level: "exact", weight: 14.5, detail: "Дата рождения: совпадает" },
      { field: "surname", level: "close", weight: 4.4, detail: "Фамилия: похожа" },
      { field: "snils", level: "disagree", weight: -8.97, detail: "СНИЛС: различается" },
      { field: "sex", level: "unknown", weight: 0, detail: "Пол: не указан" },
    ]);
    expect(bars.map((b) => [b.field, b.direction, b.percent])).toEqual([
      ["birth_date", "for", 100],
      ["surname", "for", 30.3],
      ["snils", "against", 61.9],
      ["sex", "neutral", 0],
    ]);
  });
});

describe("scoreScale", () => {
  it("marks the thresholds on a scale a fifth past «certain», the score clamped to it", () => {
    const s = scoreScale(31.5, { certain: 36, probable: 23, possible: 16 });
    expect(s.max).toBeCloseTo(43.2);
    expect(s.score).toBeCloseTo(72.9, 1);
    expect(s.marks.map((m) => [m.grade, m.percent])).toEqual([
      ["possible", 37],
      ["probable", 53.2],
      ["certain", 83.3],
    ]);
    expect(scoreScale(-5).score).toBe(0);
    expect(scoreScale(60).score).toBe(100);
  });
});

describe("conflictCandidates", () => {
  it("reads the candidates of a refused registration", () => {
    const body = {
      type: "urn:oms:problem:probable-duplicate",
      title: "Похоже, эта персона уже есть в регистре",
      status: 409,
      candidates: [
        {
          person_id: "p-1",
          oip: 1000001,
          score: 31.5,
          grade: "probable",
          reasons: [{ field: "surname", level: "exact", weight: 7.5, detail: "Фамилия: совпадает" }],
          person: null,
        },
        { person_id: 5, oip: "x" },
      ],
    };
    expect(conflictCandidates(body)).toEqual([
      {
        person_id: "p-1",
        oip: 1000001,
        score: 31.5,
        grade: "probable",
        reasons: [{ field: "surname", level: "exact", weight: 7.5, detail: "Фамилия: совпадает" }],
        person: null,
      },
    ]);
  });

  it("is null for another conflict", () => {
    expect(conflictCandidates({ title: "Конфликт", status: 409, detail: "СНИЛС уже у другой персоны" })).toBeNull();
    expect(conflictCandidates("<html>")).toBeNull();
  });
});
