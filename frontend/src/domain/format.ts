/**
 * How numbers and dates read on the page. Dates are KST calendar days written YYYY-MM-DD by the
 * API; they are handled as plain calendar dates (UTC midnight) so no browser time zone can shift
 * them by a day.
 */
import type { Lang } from "../i18n";

const DASH = "–";

export function formatTemperature(value: number | null | undefined): string {
  return value == null ? DASH : `${value.toFixed(1)}°C`;
}

/** Temperatures without the unit, for compact places such as the outlook and intervals. */
export function formatDegrees(value: number | null | undefined): string {
  return value == null ? DASH : `${value.toFixed(1)}°`;
}

/** PM10 in whole µg/m³: the grades are defined on integers, and decimals suggest false precision. */
export function formatPm10(value: number | null | undefined): string {
  return value == null ? DASH : `${Math.round(value)}`;
}

/**
 * An 80% range as "1.8–8.4 °C" or "18–61 µg/m³"; with a negative bound the dash gets spaces
 * ("-3.6 – -0.2 °C") so it cannot be read as a minus sign.
 */
export function formatRange(band: { p10: number; p90: number }, unit: "°C" | "µg/m³"): string {
  const write = unit === "°C" ? (value: number) => value.toFixed(1) : formatPm10;
  const low = write(band.p10);
  const high = write(band.p90);
  const dash = low.startsWith("-") || high.startsWith("-") ? " – " : "–";
  return `${low}${dash}${high} ${unit}`;
}

export function formatPercent(share: number | null | undefined): string {
  return share == null ? DASH : `${Math.round(share * 100)}%`;
}

function calendarDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

export function addDays(iso: string, days: number): string {
  const date = calendarDate(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Today's date in Seoul, whatever the viewer's time zone. */
export function kstToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Seoul" }).format(now);
}

const LOCALES: Record<Lang, string> = { ko: "ko-KR", en: "en-GB" };

/** "11월 24일 (화)" / "Tue 24 Nov". */
export function formatDay(iso: string, lang: Lang): string {
  const date = calendarDate(iso);
  const dayMonth = new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: "UTC",
    month: lang === "ko" ? "long" : "short",
    day: "numeric",
  }).format(date);
  return lang === "ko" ? `${dayMonth} (${weekday(iso, lang)})` : `${weekday(iso, lang)} ${dayMonth}`;
}

export function weekday(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { timeZone: "UTC", weekday: "short" }).format(
    calendarDate(iso),
  );
}

/** "11/24" for chart axes. */
export function formatShortDay(iso: string): string {
  return `${Number(iso.slice(5, 7))}/${Number(iso.slice(8, 10))}`;
}

/** "오늘"/"내일"/"모레" (today, tomorrow, the day after) relative to `today`, else the weekday. */
export function relativeDay(iso: string, today: string, lang: Lang): string {
  const names: Record<Lang, string[]> = {
    ko: ["오늘", "내일", "모레"],
    en: ["Today", "Tomorrow"],
  };
  const offset = Math.round((calendarDate(iso).getTime() - calendarDate(today).getTime()) / 86_400_000);
  return names[lang][offset] ?? weekday(iso, lang);
}

/** "2026-11-23 05:00" in KST, from an ISO timestamp with any offset. */
export function formatKstTimestamp(iso: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Seoul",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}
