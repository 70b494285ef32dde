/** Small API replies for unit tests, typed by the generated schema so they cannot drift. */
import type {
  BacktestRow,
  ForecastDay,
  ForecastDocument,
  ModelCard,
  Quantiles,
  VerificationReport,
  VerifiedDay,
} from "../api/client";
import { addDays } from "./format";

export const band = (p50: number, spread = 2): Quantiles => ({ p10: p50 - spread, p50, p90: p50 + spread });

export function forecastDay(date: string, lead: number, base: number): ForecastDay {
  return {
    date,
    lead_days: lead,
    ta_avg: band(base),
    ta_max: band(base + 5),
    ta_min: band(base - 5),
    pm10_avg: band(40 + lead, 20),
    pm10_grade: "moderate",
    pm10_grade_probabilities: { good: 0.2, moderate: 0.7, bad: 0.1, very_bad: 0 },
  };
}

export function forecastDocument(issueDate: string): ForecastDocument {
  return {
    schema_version: 1,
    issue_date: issueDate,
    issued_at: `${issueDate}T05:00:31+09:00`,
    model: { name: "seoulcast-lstm", version: "7", alias: "champion", run_id: "r" },
    inputs: { first_date: "1907-10-01", last_date: addDays(issueDate, -1), missing_days: [] },
    degraded: false,
    warnings: [],
    units: { temperature: "°C", pm10: "µg/m³" },
    days: Array.from({ length: 7 }, (_, i) => forecastDay(addDays(issueDate, i), i + 1, 10 + i)),
  };
}

export function verifiedDay(date: string, observed: number | null, forecast: number | null): VerifiedDay {
  return {
    date,
    observed:
      observed === null ? null : { ta_avg: observed, ta_max: observed + 5, ta_min: observed - 5, pm10_avg: 50 },
    forecasts:
      forecast === null
        ? []
        : [
            {
              issue_date: date,
              lead_days: 1,
              ta_avg: band(forecast),
              ta_max: band(forecast + 5),
              ta_min: band(forecast - 5),
              pm10_avg: band(45, 15),
              pm10_grade: "moderate",
            },
            {
              issue_date: addDays(date, -1),
              lead_days: 2,
              ta_avg: band(forecast + 3),
              ta_max: band(forecast + 8),
              ta_min: band(forecast - 2),
              pm10_avg: band(60, 15),
              pm10_grade: "moderate",
            },
          ],
  };
}

export function report(days: VerifiedDay[]): VerificationReport {
  return {
    start: days[0]!.date,
    end: days[days.length - 1]!.date,
    units: { temperature: "°C", pm10: "µg/m³" },
    days,
    scores: [
      { target: "ta_avg", lead_days: 1, n: 2, mae: 0.5, coverage80: 1 },
      { target: "ta_avg", lead_days: 2, n: 2, mae: 3, coverage80: 0 },
      { target: "pm10_avg", lead_days: 1, n: 2, mae: 5, coverage80: 1 },
    ],
  };
}

export function modelCard(rows: Partial<BacktestRow>[]): ModelCard {
  return {
    name: "seoulcast-lstm",
    version: "7",
    run_id: "r",
    promoted_at: "2026-11-20T05:12:03+09:00",
    trained_through: "2026-11-19",
    observations_source: null,
    family: "lstm",
    config: "lstm()",
    units: { temperature: "°C", pm10: "µg/m³" },
    backtest: rows.map((row) => ({
      model: "lstm",
      target: "ta_avg",
      lead_days: 1,
      mae: 1,
      rmse: 1.3,
      coverage80: null,
      grade_accuracy: null,
      n: 365,
      ...row,
    })),
  };
}
