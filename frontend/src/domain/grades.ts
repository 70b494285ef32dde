/**
 * PM10 grades of the Korean Ministry of Environment for a daily mean (µg/m³), with the colours
 * AirKorea uses for them: good ≤ 30 (blue), moderate 31–80 (green), bad 81–150 (orange),
 * very bad ≥ 151 (red).
 */
import type { Pm10Grade } from "../api/client";
import type { Lang } from "../i18n";

export const GRADES: readonly Pm10Grade[] = ["good", "moderate", "bad", "very_bad"];

/** Upper bound (inclusive) of each grade but the last. */
const UPPER_BOUNDS: Record<Exclude<Pm10Grade, "very_bad">, number> = {
  good: 30,
  moderate: 80,
  bad: 150,
};

export function pm10Grade(dailyMean: number): Pm10Grade {
  if (dailyMean <= UPPER_BOUNDS.good) return "good";
  if (dailyMean <= UPPER_BOUNDS.moderate) return "moderate";
  if (dailyMean <= UPPER_BOUNDS.bad) return "bad";
  return "very_bad";
}

/** The text colour of grade badges, which sit on the grade's `ink`. */
export const BADGE_TEXT = "#ffffff";

interface GradeStyle {
  /** The standard grade colour (bars, dots, chart bands): too light to carry white text. */
  color: string;
  /**
   * A darker shade of it: readable as text on white and on `tint`, and the badge background
   * under white text (WCAG contrast ≥ 4.5:1 for all of them).
   */
  ink: string;
  /** A pale tint for card backgrounds. */
  tint: string;
  label: Record<Lang, string>;
  advice: Record<Lang, string>;
}

export const GRADE_STYLES: Record<Pm10Grade, GradeStyle> = {
  good: {
    color: "#32a1ff",
    ink: "#0b5cad",
    tint: "#e8f4ff",
    label: { ko: "좋음", en: "Good" },
    advice: { ko: "야외 활동하기 좋아요", en: "Fine for outdoor activities" },
  },
  moderate: {
    color: "#00c73c",
    ink: "#087a2c",
    tint: "#e6f9ec",
    label: { ko: "보통", en: "Moderate" },
    advice: { ko: "민감군은 장시간 야외 활동 주의", en: "Sensitive groups: limit long exertion outdoors" },
  },
  bad: {
    color: "#fd9b5a",
    ink: "#b04a00",
    tint: "#fff1e7",
    label: { ko: "나쁨", en: "Unhealthy" },
    advice: { ko: "장시간 야외 활동 자제, 마스크 권장", en: "Cut down on outdoor exertion; wear a mask" },
  },
  very_bad: {
    color: "#ff5959",
    ink: "#b71c1c",
    tint: "#ffeded",
    label: { ko: "매우나쁨", en: "Very unhealthy" },
    advice: { ko: "야외 활동을 피하세요", en: "Avoid outdoor activities" },
  },
};

export function gradeLabel(grade: Pm10Grade, lang: Lang): string {
  return GRADE_STYLES[grade].label[lang];
}
