import { describe, expect, it } from "vitest";
import {
  addDays,
  formatDay,
  formatKstTimestamp,
  formatPercent,
  formatPm10,
  formatRange,
  formatShortDay,
  formatTemperature,
  kstToday,
  relativeDay,
} from "./format";

describe("numbers", () => {
  it("writes temperatures with one decimal and the unit", () => {
    expect(formatTemperature(4.8)).toBe("4.8°C");
    expect(formatTemperature(-0.04)).toBe("-0.0°C");
    expect(formatTemperature(12)).toBe("12.0°C");
    expect(formatTemperature(null)).toBe("–");
  });

  it("writes PM10 in whole µg/m³", () => {
    expect(formatPm10(35.2)).toBe("35");
    expect(formatPm10(80.5)).toBe("81");
    expect(formatPm10(undefined)).toBe("–");
  });

  it("writes 80% ranges with their unit and an unambiguous dash", () => {
    expect(formatRange({ p10: 1.8, p90: 8.44 }, "°C")).toBe("1.8–8.4 °C");
    expect(formatRange({ p10: -3.6, p90: -0.2 }, "°C")).toBe("-3.6 – -0.2 °C");
    expect(formatRange({ p10: -1, p90: 2 }, "°C")).toBe("-1.0 – 2.0 °C");
    expect(formatRange({ p10: 18.2, p90: 61.5 }, "µg/m³")).toBe("18–62 µg/m³");
  });
  it("writes shares as percentages", () => {
    expect(formatPercent(0.55)).toBe("55%");
    expect(formatPercent(0.005)).toBe("1%");
  });
});

describe("dates", () => {
  it("adds days across months and leap days", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });

  it("takes today from Seoul's clock, not the viewer's", () => {
    expect(kstToday(new Date("2026-11-23T14:59:00Z"))).toBe("2026-11-23");
    expect(kstToday(new Date("2026-11-23T15:00:00Z"))).toBe("2026-11-24");
  });

  it("names the days around today", () => {
    expect(relativeDay("2026-11-23", "2026-11-23", "ko")).toBe("오늘");
    expect(relativeDay("2026-11-24", "2026-11-23", "ko")).toBe("내일");
    expect(relativeDay("2026-11-25", "2026-11-23", "ko")).toBe("모레");
    expect(relativeDay("2026-11-24", "2026-11-23", "en")).toBe("Tomorrow");
    expect(relativeDay("2026-11-26", "2026-11-23", "en")).toBe("Thu");
    expect(relativeDay("2026-11-26", "2026-11-23", "ko")).toBe("목");
  });

  it("formats days for each language", () => {
    expect(formatDay("2026-11-24", "ko")).toBe("11월 24일 (화)");
    expect(formatDay("2026-11-24", "en")).toBe("Tue 24 Nov");
    expect(formatShortDay("2026-01-05")).toBe("1/5");
  });

  it("shows issue times in KST", () => {
    expect(formatKstTimestamp("2026-11-23T05:00:31+09:00")).toBe("2026-11-23 05:00");
    expect(formatKstTimestamp("2026-11-22T20:00:00Z")).toBe("2026-11-23 05:00");
  });
});
