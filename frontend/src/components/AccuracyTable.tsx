/** The champion model, and its D+1 error against the baselines and over the last days. */
import type { ModelCard, TargetScore } from "../api/client";
import { SERVED_MODELS, accuracyRows, modelColumns } from "../domain/accuracy";
import { formatKstTimestamp } from "../domain/format";
import { FAMILY_NAMES, MODEL_NAMES, TARGET_NAMES, useText } from "../i18n";

/** "SeoulCast (LightGBM)": the served model's row names the family the model sweep chose. */
export function servedModelLabel(family: string | null | undefined): string {
  return `SeoulCast (${FAMILY_NAMES[family ?? "lstm"] ?? family})`;
}

function formatMae(value: number | null | undefined, target: string): string {
  if (value == null) return "–";
  return target === "pm10_avg" ? value.toFixed(1) : value.toFixed(2);
}

/**
 * A table on wide screens; on a phone each target becomes a block listing every column with
 * its heading (the `data-label` of each cell, styles.css), so no column is cut off; there the
 * backtest columns are named by model alone, under a line saying they are backtests.
 */
export function AccuracyTable({ card, scores }: { card: ModelCard; scores: TargetScore[] }) {
  const { t, lang } = useText();
  const rows = accuracyRows(card, scores);
  const columns = modelColumns(card);
  const recentDays = Math.max(0, ...rows.map((row) => row.recentDays));
  const scored = recentDays > 0;
  const recentLabel = t("recent", { n: recentDays });
  const modelLabel = (model: string) =>
    (SERVED_MODELS as readonly string[]).includes(model)
      ? servedModelLabel(card.family)
      : (MODEL_NAMES[model]?.[lang] ?? model);
  return (
    <section className="panel" aria-labelledby="accuracy-title">
      <div className="panel-head">
        <h2 id="accuracy-title">{t("accuracyTitle")}</h2>
        <span className="model-chip" data-testid="model-version">
          {card.name} v{card.version}
        </span>
      </div>
      <p className="note">
        {t("accuracyNote")} · {t("promoted")} {formatKstTimestamp(card.promoted_at).slice(0, 10)} ·{" "}
        {t("trainedThrough")} {card.trained_through}
      </p>
      <p className="note phone-only">{t("backtestPhoneNote")}</p>
      {!scored && (
        <p className="note no-scores" data-testid="no-recent-scores">
          {t("noScoresYet")}
        </p>
      )}
      <table className="accuracy" data-testid="accuracy-table">
        <thead>
          <tr>
            <th scope="col">{t("target")}</th>
            {scored && (
              <th scope="col" className="recent">
                {recentLabel}
              </th>
            )}
            {columns.map((model) => (
              <th scope="col" key={model}>
                {t("backtest")}
                <br />
                <span className="model-name">{modelLabel(model)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.target}>
              <th scope="row">
                {TARGET_NAMES[row.target][lang]}
                <span className="unit">{row.target === "pm10_avg" ? " µg/m³" : " °C"}</span>
              </th>
              {scored && (
                <td
                  className="recent"
                  data-label={recentLabel}
                  data-testid={`recent-mae-${row.target}`}
                >
                  {formatMae(row.recent, row.target)}
                </td>
              )}
              {columns.map((model) => (
                <td
                  key={model}
                  className={row.best === model ? "best" : undefined}
                  title={row.best === model ? t("best") : undefined}
                  data-label={modelLabel(model)}
                  data-testid={`mae-${model}-${row.target}`}
                >
                  {formatMae(row.backtest[model], row.target)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
