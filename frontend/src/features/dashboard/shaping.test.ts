import { describe, expect, it } from "vitest";
import {
  busiestHour,
  countOfKind,
  dayLabel,
  nsiSummary,
  organizationsByKind,
  peakDay,
  signInHeatMap,
  signInLine,
  type SignInActivity,
} from "./shaping";

function matrix(cells: [number, number, number][]): number[][] {
  const m = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  for (const [weekday, hour, count] of cells) m[weekday]![hour] = count;
  return m;
}

const activity: SignInActivity = {
  days: 3,
  tz: "Europe/Moscow",
  since: "2026-11-21",
  until: "2026-11-23",
  successful: 9,
  failed: 2,
  daily: [
    { date: "2026-11-21", successful: 0, failed: 1 },
    { date: "2026-11-22", successful: 4, failed: 0 },
    { date: "2026-11-23", successful: 5, failed: 1 },
  ],
  weekday_hour: matrix([
    [0, 9, 5],
    [6, 10, 3],
    [6, 14, 1],
  ]),
  by_role: [{ role: "doctor", successful: 9, failed: 2 }],
};

describe("sign-ins as a line", () => {
  it("labels days dd.MM from the calendar date, with no time-zone shift", () => {
    expect(dayLabel("2026-01-01")).toBe("01.01");
    expect(dayLabel("2026-11-23")).toBe("23.11");
  });
  it("gives one label per day and successful/refused series in order", () => {
    expect(signInLine(activity, { successful: "Успешные", failed: "Отказы" })).toEqual({
      labels: ["21.11", "22.11", "23.11"],
      series: [
        { label: "Успешные", values: [0, 4, 5] },
        { label: "Отказы", values: [1, 0, 1] },
      ],
    });
  });
  it("finds the peak day (the latest of equals) and none in a quiet period", () => {
    expect(peakDay(activity)).toEqual({ date: "2026-11-23", successful: 5 });
    const tie = { ...activity, daily: [{ date: "2026-11-22", successful: 5, failed: 0 }, { date: "2026-11-23", successful: 5, failed: 0 }] };
    expect(peakDay(tie)?.date).toBe("2026-11-23");
    expect(peakDay({ ...activity, daily: [{ date: "2026-11-23", successful: 0, failed: 3 }] })).toBeNull();
  });
});

describe("sign-ins as a heat map", () => {
  const weekdays = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"];
  it("keeps weekdays as rows and cuts the empty hours at the edges only", () => {
    const heat = signInHeatMap(activity, weekdays);
    expect(heat.rows).toEqual(weekdays);
    expect(heat.columns).toEqual(["09", "10", "11", "12", "13", "14"]);
    expect(heat.values[0]).toEqual([5, 0, 0, 0, 0, 0]);
    expect(heat.values[6]).toEqual([0, 3, 0, 0, 0, 1]);
    expect(heat.values[3]).toEqual([0, 0, 0, 0, 0, 0]);
  });
  it("shows the working day with zeros when nobody signed in", () => {
    const heat = signInHeatMap({ ...activity, weekday_hour: matrix([]) }, weekdays);
    expect(heat.columns[0]).toBe("08");
    expect(heat.columns.at(-1)).toBe("18");
    expect(heat.values.flat().every((v) => v === 0)).toBe(true);
  });
  it("keeps a night hour when someone signed in then", () => {
    const heat = signInHeatMap({ ...activity, weekday_hour: matrix([[2, 0, 1], [2, 23, 1]]) }, weekdays);
    expect(heat.columns).toHaveLength(24);
  });
  it("names the busiest weekday and hour", () => {
    expect(busiestHour(activity)).toEqual({ weekday: 0, hour: 9, count: 5 });
    expect(busiestHour({ ...activity, weekday_hour: matrix([]) })).toBeNull();
  });
});

describe("organizations", () => {
  const orgs = [{ kind: "mo" }, { kind: "mo" }, { kind: "pharmacy" }, { kind: "tfoms" }, { kind: "mo" }];
  it("counts by kind, largest first, labelled", () => {
    const labels: Record<string, string> = { mo: "Медицинская организация", pharmacy: "Аптека", tfoms: "ТФОМС" };
    expect(organizationsByKind(orgs, (k) => labels[k] ?? k)).toEqual([
      { label: "Медицинская организация", value: 3 },
      { label: "Аптека", value: 1 },
      { label: "ТФОМС", value: 1 },
    ]);
  });
  it("counts one kind, zero when absent", () => {
    expect(countOfKind(orgs, "mo")).toBe(3);
    expect(countOfKind(orgs, "insurer")).toBe(0);
  });
});

describe("NSI summary", () => {
  it("counts dictionaries and finds ICD-10 by code or by its OID", () => {
    const dicts = [
      { code: "f011", identifier: "F011", current_version: { version: "1.0", valid_from: "2020-01-01" } },
      { code: "icd10", identifier: "1.2.643.5.1.13.13.11.1005", current_version: { version: "WHO-2019", valid_from: "1999-01-01" } },
    ];
    expect(nsiSummary(dicts)).toEqual({ dictionaries: 2, icd10: { version: "WHO-2019", validFrom: "1999-01-01" } });
    expect(nsiSummary([{ code: "mkb", identifier: "1.2.643.5.1.13.13.11.1005", current_version: { version: "2.21", valid_from: "2024-01-01" } }]).icd10?.version).toBe("2.21");
  });
  it("has no ICD-10 version when it is missing or not in force", () => {
    expect(nsiSummary([])).toEqual({ dictionaries: 0, icd10: null });
    expect(nsiSummary([{ code: "icd10", current_version: null }]).icd10).toBeNull();
  });
});
