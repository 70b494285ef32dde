/** The chosen day's forecast: temperatures with their 80% ranges, and PM10 with its grade. */
import type { ForecastDay, Quantiles } from "../api/client";
import { formatPercent, formatPm10, formatRange, formatTemperature } from "../domain/format";
import { BADGE_TEXT, GRADES, GRADE_STYLES, gradeLabel } from "../domain/grades";
import { useText } from "../i18n";

/** "80% range 1.8–8.4 °C": the label is part of the text, so no range is read as high~low. */
function Range({ band, unit, testId }: { band: Quantiles; unit: "°C" | "µg/m³"; testId: string }) {
  const { t } = useText();
  return (
    <span className="range" data-testid={testId}>
      {t("range")} <span className="range-values">{formatRange(band, unit)}</span>
    </span>
  );
}

export function TemperatureCard({ day }: { day: ForecastDay }) {
  const { t } = useText();
  return (
    <article className="card temperature-card" aria-label={t("temperature")}>
      <header className="card-head">
        <span className="card-title">{t("temperature")}</span>
        <span className="card-unit">°C</span>
      </header>
      <div className="temperature-main">
        <span className="big-number" data-testid="value-ta_avg">
          {formatTemperature(day.ta_avg.p50)}
        </span>
        <span className="caption">
          {t("dailyMean")} · <Range band={day.ta_avg} unit="°C" testId="interval-ta_avg" />
        </span>
      </div>
      <dl className="high-low">
        <div className="high">
          <dt>{t("high")}</dt>
          <dd>
            <span className="mid-number" data-testid="value-ta_max">
              {formatTemperature(day.ta_max.p50)}
            </span>
            <Range band={day.ta_max} unit="°C" testId="interval-ta_max" />
          </dd>
        </div>
        <div className="low">
          <dt>{t("low")}</dt>
          <dd>
            <span className="mid-number" data-testid="value-ta_min">
              {formatTemperature(day.ta_min.p50)}
            </span>
            <Range band={day.ta_min} unit="°C" testId="interval-ta_min" />
          </dd>
        </div>
      </dl>
      <p className="footnote">{t("rangeNote")}</p>
    </article>
  );
}

export function Pm10Card({ day }: { day: ForecastDay }) {
  const { t, lang } = useText();
  const style = GRADE_STYLES[day.pm10_grade];
  return (
    <article
      className="card pm10-card"
      aria-label={t("pm10")}
      style={{ background: style.tint, borderColor: style.color }}
      data-grade={day.pm10_grade}
    >
      <header className="card-head">
        <span className="card-title">{t("pm10")} PM10</span>
        <span className="card-unit">µg/m³</span>
      </header>
      <div className="pm10-main">
        <span
          className="grade-badge"
          style={{ background: style.ink, color: BADGE_TEXT }}
          data-testid="grade-label"
        >
          {gradeLabel(day.pm10_grade, lang)}
        </span>
        <span className="big-number" style={{ color: style.ink }} data-testid="value-pm10_avg">
          {formatPm10(day.pm10_avg.p50)}
        </span>
      </div>
      <p className="caption">
        {t("dailyMean")} · <Range band={day.pm10_avg} unit="µg/m³" testId="interval-pm10_avg" />
      </p>
      <p className="advice" style={{ color: style.ink }}>
        {style.advice[lang]}
      </p>
      <div className="grade-chances" aria-label={t("gradeChance")}>
        <div className="chance-bar">
          {GRADES.map((grade) => (
            <span
              key={grade}
              style={{
                width: `${day.pm10_grade_probabilities[grade] * 100}%`,
                background: GRADE_STYLES[grade].color,
              }}
              title={`${gradeLabel(grade, lang)} ${formatPercent(day.pm10_grade_probabilities[grade])}`}
            />
          ))}
        </div>
        <ul className="chance-legend">
          {GRADES.map((grade) => (
            <li key={grade}>
              <i style={{ background: GRADE_STYLES[grade].color }} />
              {gradeLabel(grade, lang)} {formatPercent(day.pm10_grade_probabilities[grade])}
            </li>
          ))}
        </ul>
      </div>
    </article>
  );
}
