/** Choosing which forecast day the cards show. */
import type { ForecastDay, ForecastDocument } from "../api/client";
import { addDays } from "./format";

/**
 * Tomorrow (in Seoul) when the forecast covers it, which it does on the day it is issued;
 * otherwise the forecast's first day, so an older forecast still shows something sensible.
 */
export function defaultDay(forecast: ForecastDocument, today: string): ForecastDay | undefined {
  const tomorrow = addDays(today, 1);
  return forecast.days.find((day) => day.date === tomorrow) ?? forecast.days[0];
}
