/** The last 30 days observed against the D+1 forecasts, then the week ahead. */
import { useMemo, useState } from "react";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ForecastDocument, Target, VerificationReport } from "../api/client";
import { TARGETS } from "../domain/accuracy";
import { formatShortDay } from "../domain/format";
import { GRADE_STYLES } from "../domain/grades";
import { historyRows } from "../domain/history";
import { TARGET_NAMES, useText } from "../i18n";

const OBSERVED = "#1f2937";
const FORECAST = "#2563eb";
const OUTLOOK = "#7c3aed";

/** PM10 grade bands behind the PM10 chart, so a reader sees where 보통 ends and 나쁨 begins. */
const PM10_BANDS = [
  { from: 0, to: 30, grade: "good" },
  { from: 30, to: 80, grade: "moderate" },
  { from: 80, to: 150, grade: "bad" },
  { from: 150, to: 1000, grade: "very_bad" },
] as const;

/** The grade boundaries as axis ticks, then round fifties above them. */
function pm10Ticks(top: number): number[] {
  const ticks = [0, 30, 80, 150].filter((tick) => tick <= top);
  for (let tick = 200; tick <= top; tick += 50) ticks.push(tick);
  return ticks;
}

export function HistoryChart({
  report,
  forecast,
}: {
  report: VerificationReport;
  forecast: ForecastDocument | undefined;
}) {
  const { t, lang } = useText();
  const [target, setTarget] = useState<Target>("ta_avg");
  const rows = useMemo(() => historyRows(report, forecast, target), [report, forecast, target]);
  // Only series with something to draw get a line, and so an entry in the legend.
  const drawn = {
    observed: rows.some((row) => row.observed != null),
    forecast: rows.some((row) => row.forecast != null),
    outlook: rows.some((row) => row.outlook != null),
  };
  const drawnNames = Object.entries(drawn)
    .filter(([, shown]) => shown)
    .map(([name]) => name)
    .join(" ");
  const unit = target === "pm10_avg" ? "µg/m³" : "°C";
  const maxValue = Math.max(
    0,
    ...rows.flatMap((row) => [row.observed, row.forecastBand?.[1], row.outlookBand?.[1]] as const)
      .filter((value): value is number => value != null),
  );
  const pm10Top = Math.ceil(maxValue / 50) * 50;
  const format = (value: unknown) =>
    typeof value === "number"
      ? `${target === "pm10_avg" ? Math.round(value) : value.toFixed(1)} ${unit}`
      : Array.isArray(value)
        ? value.map((v) => (typeof v === "number" ? v.toFixed(target === "pm10_avg" ? 0 : 1) : v)).join(" ~ ") + ` ${unit}`
        : String(value);

  return (
    <section className="panel" aria-labelledby="history-title">
      <div className="panel-head">
        <h2 id="history-title">{t("historyTitle")}</h2>
        <div className="tabs" role="tablist">
          {TARGETS.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={name === target}
              className={name === target ? "tab selected" : "tab"}
              onClick={() => setTarget(name)}
            >
              {TARGET_NAMES[name][lang]}
            </button>
          ))}
        </div>
      </div>
      <p className="note">{t(drawn.forecast ? "historyNote" : "historyNoteNoForecast")}</p>
      <div className="chart" data-testid="history-chart" data-drawn={drawnNames}>
        <ResponsiveContainer width="100%" height={300}>
          <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
            {target === "pm10_avg" &&
              PM10_BANDS.filter((band) => band.from < maxValue).map((band) => (
                <ReferenceArea
                  key={band.grade}
                  y1={band.from}
                  y2={Math.min(band.to, pm10Top)}
                  fill={GRADE_STYLES[band.grade].color}
                  fillOpacity={0.08}
                  ifOverflow="hidden"
                />
              ))}
            <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="date"
              tickFormatter={formatShortDay}
              minTickGap={18}
              tick={{ fontSize: 12, fill: "#6b7280" }}
            />
            <YAxis
              tick={{ fontSize: 12, fill: "#6b7280" }}
              domain={target === "pm10_avg" ? [0, pm10Top] : ["auto", "auto"]}
              ticks={target === "pm10_avg" ? pm10Ticks(pm10Top) : undefined}
              width={44}
            />
            <Tooltip
              formatter={format}
              labelFormatter={(label) => String(label)}
              contentStyle={{ borderRadius: 8, fontSize: 13 }}
            />
            <Legend wrapperStyle={{ fontSize: 13 }} />
            {drawn.forecast && (
              <Area
                dataKey="forecastBand"
                name={`${t("forecastD1")} 80%`}
                stroke="none"
                fill={FORECAST}
                fillOpacity={0.14}
                legendType="none"
                isAnimationActive={false}
              />
            )}
            {drawn.outlook && (
              <Area
                dataKey="outlookBand"
                name={`${t("outlook")} 80%`}
                stroke="none"
                fill={OUTLOOK}
                fillOpacity={0.14}
                legendType="none"
                isAnimationActive={false}
              />
            )}
            {drawn.observed && (
              <Line
                dataKey="observed"
                name={t("observed")}
                stroke={OBSERVED}
                strokeWidth={2}
                dot={{ r: 2 }}
                connectNulls={false}
                isAnimationActive={false}
              />
            )}
            {drawn.forecast && (
              <Line
                dataKey="forecast"
                name={t("forecastD1")}
                stroke={FORECAST}
                strokeWidth={2}
                strokeDasharray="5 3"
                dot={false}
                isAnimationActive={false}
              />
            )}
            {drawn.outlook && (
              <Line
                dataKey="outlook"
                name={t("outlook")}
                stroke={OUTLOOK}
                strokeWidth={2}
                dot={{ r: 3 }}
                isAnimationActive={false}
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
