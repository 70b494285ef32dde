/** The chosen day's forecast: temperatures with their 80% intervals, and PM10 with its grade. */
import type { ForecastDay, Quantiles } from "../api/client";
import { formatDegrees, formatPercent, formatPm10, formatTemperature } from "../domain/format";
import { GRADES, GRADE_STYLES, gradeLabel } from "../domain/grades";
import { useText } from "../i18n";

function Interval({ band, unit, testId }: { band: Quantiles; unit: "temp" | "pm10"; testId: string }) {
  const { t } = useText();
  const low = unit === "temp" ? formatDegrees(band.p10) : formatPm10(band.p10);
  const high = unit === "temp" ? formatDegrees(band.p90) : formatPm10(band.p90);
  return (
    <span className="interval" title={t("interval")} data-testid={testId}>
      {low} ~ {high}
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
          {t("mean")} · <Interval band={day.ta_avg} unit="temp" testId="interval-ta_avg" />
        </span>
      </div>
      <dl className="high-low">
        <div className="high">
          <dt>{t("high")}</dt>
          <dd>
            <span className="mid-number" data-testid="value-ta_max">
              {formatTemperature(day.ta_max.p50)}
            </span>
            <Interval band={day.ta_max} unit="temp" testId="interval-ta_max" />
          </dd>
        </div>
        <div className="low">
          <dt>{t("low")}</dt>
          <dd>
            <span className="mid-number" data-testid="value-ta_min">
              {formatTemperature(day.ta_min.p50)}
            </span>
            <Interval band={day.ta_min} unit="temp" testId="interval-ta_min" />
          </dd>
        </div>
      </dl>
      <p className="footnote">{t("interval")}</p>
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
        <span className="grade-badge" style={{ background: style.color }} data-testid="grade-label">
          {gradeLabel(day.pm10_grade, lang)}
        </span>
        <span className="big-number" style={{ color: style.ink }} data-testid="value-pm10_avg">
          {formatPm10(day.pm10_avg.p50)}
        </span>
      </div>
      <p className="caption">
        {t("mean")} · <Interval band={day.pm10_avg} unit="pm10" testId="interval-pm10_avg" /> µg/m³
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
