import { describe, expect, it } from "vitest";
import { accuracyRows } from "./accuracy";
import { forecastDocument, modelCard, report, verifiedDay } from "./fixtures";
import { historyRows } from "./history";
import { defaultDay } from "./outlook";
import { initialLang, translate } from "../i18n";

describe("defaultDay", () => {
  const forecast = forecastDocument("2026-11-23");

  it("shows tomorrow when the forecast covers it", () => {
    expect(defaultDay(forecast, "2026-11-23")?.date).toBe("2026-11-24");
  });

  it("falls back to the forecast's first day when tomorrow is not in it", () => {
    expect(defaultDay(forecast, "2026-12-31")?.date).toBe("2026-11-23");
  });
});

describe("historyRows", () => {
  const past = report([
    verifiedDay("2026-11-20", 4, 5),
    verifiedDay("2026-11-21", null, 6),
    verifiedDay("2026-11-22", 7, null),
  ]);
  const forecast = forecastDocument("2026-11-23");

  it("pairs each observed day with the D+1 forecast made for it", () => {
    const rows = historyRows(past, forecast, "ta_avg");
    expect(rows.slice(0, 3)).toEqual([
      { date: "2026-11-20", observed: 4, forecast: 5, forecastBand: [3, 7], outlook: null, outlookBand: null },
      { date: "2026-11-21", observed: null, forecast: 6, forecastBand: [4, 8], outlook: null, outlookBand: null },
      { date: "2026-11-22", observed: 7, forecast: null, forecastBand: null, outlook: null, outlookBand: null },
    ]);
  });

  it("continues with the latest forecast's days after the window", () => {
    const rows = historyRows(past, forecast, "ta_max");
    const ahead = rows.slice(3);
    expect(ahead.map((row) => row.date)).toEqual(forecast.days.map((day) => day.date));
    expect(ahead.map((row) => row.outlook)).toEqual(forecast.days.map((day) => day.ta_max.p50));
    expect(ahead.every((row) => row.observed === null && row.forecast === null)).toBe(true);
  });

  it("does not repeat forecast days the window already covers", () => {
    const overlapping = forecastDocument("2026-11-21");
    const dates = historyRows(past, overlapping, "pm10_avg").map((row) => row.date);
    expect(new Set(dates).size).toBe(dates.length);
    expect(dates[3]).toBe("2026-11-23");
  });
});

describe("accuracyRows", () => {
  const card = modelCard([
    { model: "lstm", target: "ta_avg", lead_days: 1, mae: 1.3 },
    { model: "persistence", target: "ta_avg", lead_days: 1, mae: 1.9 },
    { model: "climatology", target: "ta_avg", lead_days: 1, mae: 3.1 },
    { model: "linear", target: "ta_avg", lead_days: 1, mae: 1.1 },
    { model: "lstm", target: "ta_avg", lead_days: 2, mae: 0.1 },
    { model: "lstm", target: "pm10_avg", lead_days: 1, mae: 12 },
  ]);
  const rows = accuracyRows(card, report([verifiedDay("2026-11-22", 1, 1)]).scores);

  it("takes the D+1 backtest MAE of every model for every target", () => {
    const taAvg = rows.find((row) => row.target === "ta_avg")!;
    expect(taAvg.backtest).toEqual({ lstm: 1.3, persistence: 1.9, climatology: 3.1, linear: 1.1 });
    expect(taAvg.best).toBe("linear");
    expect(rows.map((row) => row.target)).toEqual(["ta_avg", "ta_max", "ta_min", "pm10_avg"]);
  });

  it("adds the recent live D+1 error from verification", () => {
    const taAvg = rows.find((row) => row.target === "ta_avg")!;
    expect([taAvg.recent, taAvg.recentDays]).toEqual([0.5, 2]);
    const taMax = rows.find((row) => row.target === "ta_max")!;
    expect([taMax.recent, taMax.best]).toEqual([null, undefined]);
  });
});

describe("language", () => {
  it("defaults to Korean and honours ?lang=en or a stored choice", () => {
    expect(initialLang("", null)).toBe("ko");
    expect(initialLang("?lang=en", "ko")).toBe("en");
    expect(initialLang("", "en")).toBe("en");
    expect(initialLang("?lang=fr", null)).toBe("ko");
  });

  it("fills in the blanks of a phrase", () => {
    expect(translate("ko", "recent", { n: 30 })).toBe("최근 30일");
    expect(translate("en", "recent", { n: 7 })).toBe("Last 7 days");
  });
});
