/** The SeoulCast page: the chosen day's forecast, the week ahead, history and accuracy. */
import { type ReactNode, Suspense, lazy, useCallback, useEffect, useState } from "react";
import { ApiError } from "./api/client";
import { AccuracyTable } from "./components/AccuracyTable";
import { Pm10Card, TemperatureCard } from "./components/ForecastCards";
import { Notices } from "./components/Notices";
import { Outlook } from "./components/Outlook";
import { DataSourceLine, SyntheticDataNotice } from "./components/SourceNotice";
import { formatDay, formatKstTimestamp, kstToday, relativeDay } from "./domain/format";
import { defaultDay } from "./domain/outlook";
import { requestPage } from "./api/page";
import { type PageData, type PageRequests, followPage } from "./domain/pageData";
import { observationsSource } from "./domain/sources";
import { LangContext, type Lang, initialLang, translate } from "./i18n";


const LANG_KEY = "seoulcast.lang";

type Load = { state: "loading" } | { state: "ready"; data: PageData } | { state: "failed"; error: unknown };

// The data is asked for as soon as the script runs, not after React's first render.
let firstRequests: PageRequests | undefined = requestPage();

// The chart library is most of the page's script: a chunk of its own, fetched and run once the
// forecast has come, so that evaluating it does not hold up the cards.
const HistoryChart = lazy(() =>
  (firstRequests?.latest ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => import("./components/HistoryChart"))
    .then((module) => ({ default: module.HistoryChart })),
);

export function App() {
  const [lang, setLang] = useState<Lang>(() =>
    initialLang(window.location.search, window.localStorage.getItem(LANG_KEY)),
  );
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [selected, setSelected] = useState<string>();
  const today = kstToday();
  const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) =>
    translate(lang, key, values);

  const refresh = useCallback(() => {
    setLoad({ state: "loading" });
    const requests = firstRequests ?? requestPage();
    firstRequests = undefined;
    followPage(
      requests,
      (data) => setLoad({ state: "ready", data }),
      (error: unknown) => setLoad({ state: "failed", error }),
    );
  }, []);
  useEffect(refresh, [refresh]);

  useEffect(() => {
    document.documentElement.lang = lang;
    window.localStorage.setItem(LANG_KEY, lang);
  }, [lang]);

  const toggleLang = () => setLang((current) => (current === "ko" ? "en" : "ko"));

  let body;
  let footerSource: ReactNode = null;
  if (load.state === "loading") {
    body = <p className="placeholder">{t("loading")}</p>;
  } else if (load.state === "failed") {
    const notFound = load.error instanceof ApiError && load.error.status === 404;
    body = (
      <div className="placeholder">
        <p>{notFound ? t("noForecast") : `${t("error")}: ${String((load.error as Error).message ?? load.error)}`}</p>
        <button type="button" className="retry" onClick={refresh}>
          {t("retry")}
        </button>
      </div>
    );
  } else {
    const { latest, verification, model, health } = load.data;
    const forecast = latest.forecast;
    const day = forecast.days.find((entry) => entry.date === selected) ?? defaultDay(forecast, today);
    const source = observationsSource(forecast, model, health);
    footerSource = <DataSourceLine source={source} />;
    body = (
      <>
        <SyntheticDataNotice source={source} />
        <p className="issued">
          {t("issued")} {formatKstTimestamp(forecast.issued_at)} KST · {t("model")} {forecast.model.name} v
          {forecast.model.version}
        </p>
        <Notices forecast={forecast} health={health} staleCopy={latest.staleSince !== null} />
        {day && (
          <section className="hero" aria-labelledby="day-title">
            <h2 id="day-title" data-testid="selected-day" data-date={day.date}>
              <span className="relative">{relativeDay(day.date, today, lang)}</span>
              <span className="date">{formatDay(day.date, lang)}</span>
            </h2>
            <div className="cards">
              <TemperatureCard day={day} />
              <Pm10Card day={day} />
            </div>
          </section>
        )}
        <Outlook days={forecast.days} today={today} selected={day?.date} onSelect={setSelected} />
        {verification && (
          <Suspense fallback={<section className="panel chart-placeholder" />}>
            <HistoryChart report={verification} forecast={forecast} />
          </Suspense>
        )}
        {model && <AccuracyTable card={model} scores={verification?.scores ?? []} />}
      </>
    );
  }

  return (
    <LangContext.Provider value={lang}>
      <div className="page">
        <header className="masthead">
          <div className="brand">
            <img src="/favicon.svg" alt="" width={36} height={36} />
            <div>
              <h1>
                SeoulCast <span className="title-local">{t("title")}</span>
              </h1>
              <p className="subtitle">{t("subtitle")}</p>
            </div>
          </div>
          <button type="button" className="lang-toggle" onClick={toggleLang} data-testid="lang-toggle">
            {t("languageName")}
          </button>
        </header>
        <main>{body}</main>
        <footer className="footer">
          {footerSource}
          <p>
            <a href="/schema">API</a> · <a href="/api/v1/forecasts/latest">JSON</a>
          </p>
        </footer>
      </div>
    </LangContext.Provider>
  );
}
