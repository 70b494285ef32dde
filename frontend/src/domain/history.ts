/**
 * Rows for the history chart: the last days' observations beside the D+1 forecasts made for
 * them, then the latest forecast's week ahead.
 */
import type { ForecastDocument, Target, VerificationReport } from "../api/client";

export interface HistoryRow {
  date: string;
  observed: number | null;
  /** p50 of the forecast made the day before (lead 1). */
  forecast: number | null;
  /** p10..p90 of that forecast, as recharts draws a ranged area. */
  forecastBand: [number, number] | null;
  /** p50 of the latest forecast, for the days still to come. */
  outlook: number | null;
  outlookBand: [number, number] | null;
}

export function historyRows(
  report: VerificationReport,
  forecast: ForecastDocument | undefined,
  target: Target,
): HistoryRow[] {
  const rows: HistoryRow[] = report.days.map((day) => {
    const nextDay = day.forecasts.find((run) => run.lead_days === 1);
    const band = nextDay?.[target];
    return {
      date: day.date,
      observed: day.observed?.[target] ?? null,
      forecast: band?.p50 ?? null,
      forecastBand: band ? [band.p10, band.p90] : null,
      outlook: null,
      outlookBand: null,
    };
  });
  for (const day of forecast?.days ?? []) {
    if (day.date <= report.end) continue;
    const band = day[target];
    rows.push({
      date: day.date,
      observed: null,
      forecast: null,
      forecastBand: null,
      outlook: band.p50,
      outlookBand: [band.p10, band.p90],
    });
  }
  return rows;
}
