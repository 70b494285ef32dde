/** The seven forecast days as a strip of buttons; choosing one shows it in the cards. */
import type { ForecastDay } from "../api/client";
import { formatDegrees, formatPm10, relativeDay, formatShortDay } from "../domain/format";
import { GRADE_STYLES, gradeLabel } from "../domain/grades";
import { useText } from "../i18n";

interface Props {
  days: ForecastDay[];
  today: string;
  selected: string | undefined;
  onSelect: (date: string) => void;
}

export function Outlook({ days, today, selected, onSelect }: Props) {
  const { t, lang } = useText();
  return (
    <section className="panel" aria-labelledby="outlook-title">
      <h2 id="outlook-title">{t("outlookTitle")}</h2>
      <ol className="outlook">
        {days.map((day) => {
          const style = GRADE_STYLES[day.pm10_grade];
          return (
            <li key={day.date}>
              <button
                type="button"
                className={day.date === selected ? "outlook-day selected" : "outlook-day"}
                aria-pressed={day.date === selected}
                onClick={() => onSelect(day.date)}
                data-testid={`outlook-${day.date}`}
              >
                <span className="outlook-name">{relativeDay(day.date, today, lang)}</span>
                <span className="outlook-date">{formatShortDay(day.date)}</span>
                <span className="outlook-temps">
                  <span className="high" data-testid="outlook-max">{formatDegrees(day.ta_max.p50)}</span>
                  <span className="low" data-testid="outlook-min">{formatDegrees(day.ta_min.p50)}</span>
                </span>
                <span className="outlook-pm" style={{ color: style.ink }}>
                  <i style={{ background: style.color }} />
                  <span data-testid="outlook-grade">{gradeLabel(day.pm10_grade, lang)}</span>
                  <span className="outlook-pm-value">{formatPm10(day.pm10_avg.p50)}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
