/** Korean and English wording of the page. Korean is the default: the page is about Seoul. */
import { createContext, useContext } from "react";
import type { Target } from "./api/client";

export type Lang = "ko" | "en";

export const TEXT = {
  ko: {
    title: "서울 날씨 예보",
    subtitle: "기온과 미세먼지(PM10), 관측 자료로 매일 새로 예측합니다",
    issued: "발표",
    model: "모델",
    cardsTitle: "예보",
    temperature: "기온",
    mean: "평균",
    high: "최고",
    low: "최저",
    pm10: "미세먼지",
    interval: "80% 예측 구간",
    gradeChance: "등급 확률",
    outlookTitle: "7일 예보",
    historyTitle: "최근 30일 관측과 예측",
    historyNote: "관측값과 하루 전(D+1) 예측, 음영은 80% 예측 구간",
    observed: "관측",
    forecastD1: "D+1 예측",
    outlook: "앞으로 7일 예보",
    accuracyTitle: "모델 정확도",
    accuracyNote: "D+1 평균절대오차(MAE), 낮을수록 정확",
    backtest: "백테스트",
    recent: "최근 {n}일",
    promoted: "배포",
    trainedThrough: "학습 데이터",
    target: "항목",
    best: "최저 오차",
    degraded: "최근 관측 일부가 빠진 채로 만든 예보입니다.",
    stale: "최신 예보가 {h}시간 전에 발표되었습니다. 업데이트가 늦어지고 있어요.",
    staleCopy: "저장소에 연결할 수 없어 마지막으로 확인한 예보를 보여 줍니다.",
    loading: "불러오는 중…",
    noForecast: "아직 발표된 예보가 없습니다. 매일 05:00(KST)에 새 예보가 나옵니다.",
    error: "예보를 불러오지 못했습니다",
    retry: "다시 시도",
    footer: "자료: 기상청 종관기상관측(ASOS, 서울 108)과 PM10 관측",
    languageName: "English",
  },
  en: {
    title: "Seoul weather forecast",
    subtitle: "Temperature and fine dust (PM10), forecast afresh every day from observations",
    issued: "Issued",
    model: "Model",
    cardsTitle: "Forecast",
    temperature: "Temperature",
    mean: "Mean",
    high: "High",
    low: "Low",
    pm10: "Fine dust",
    interval: "80% prediction interval",
    gradeChance: "Grade chances",
    outlookTitle: "7-day outlook",
    historyTitle: "Last 30 days: observed and forecast",
    historyNote: "Observed values and the forecast made the day before (D+1); shading: 80% interval",
    observed: "Observed",
    forecastD1: "D+1 forecast",
    outlook: "Week ahead",
    accuracyTitle: "Model accuracy",
    accuracyNote: "D+1 mean absolute error (MAE); lower is better",
    backtest: "Backtest",
    recent: "Last {n} days",
    promoted: "Promoted",
    trainedThrough: "Trained through",
    target: "Target",
    best: "lowest error",
    degraded: "Made with some recent observations missing.",
    stale: "The latest forecast was issued {h} hours ago; the update is late.",
    staleCopy: "The store is unreachable; showing the last forecast the server could confirm.",
    loading: "Loading…",
    noForecast: "No forecast has been published yet. A new one comes out daily at 05:00 KST.",
    error: "Could not load the forecast",
    retry: "Try again",
    footer: "Data: KMA surface observations (ASOS, Seoul 108) and PM10 monitoring",
    languageName: "한국어",
  },
} satisfies Record<Lang, Record<string, string>>;

export type TextKey = keyof (typeof TEXT)["ko"];

export const TARGET_NAMES: Record<Target, Record<Lang, string>> = {
  ta_avg: { ko: "평균 기온", en: "Mean temp." },
  ta_max: { ko: "최고 기온", en: "High temp." },
  ta_min: { ko: "최저 기온", en: "Low temp." },
  pm10_avg: { ko: "미세먼지", en: "PM10" },
};

export const MODEL_NAMES: Record<string, Record<Lang, string>> = {
  lstm: { ko: "SeoulCast (LSTM)", en: "SeoulCast (LSTM)" },
  persistence: { ko: "어제와 같음", en: "Persistence" },
  climatology: { ko: "평년값", en: "Climatology" },
  linear: { ko: "선형 회귀", en: "Linear" },
};

/** `t("recent", { n: 30 })`: the phrase in the current language with its blanks filled. */
export function translate(lang: Lang, key: TextKey, values: Record<string, string | number> = {}) {
  return TEXT[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ""));
}

export const LangContext = createContext<Lang>("ko");

export function useText() {
  const lang = useContext(LangContext);
  return {
    lang,
    t: (key: TextKey, values?: Record<string, string | number>) => translate(lang, key, values),
  };
}

export function initialLang(search: string, stored: string | null): Lang {
  const asked = new URLSearchParams(search).get("lang") ?? stored;
  return asked === "en" ? "en" : "ko";
}
