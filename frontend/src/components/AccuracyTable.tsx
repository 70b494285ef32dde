/** The champion model, and its D+1 error against the baselines and over the last days. */
import type { ModelCard, TargetScore } from "../api/client";
import { MODELS, accuracyRows } from "../domain/accuracy";
import { formatKstTimestamp } from "../domain/format";
import { MODEL_NAMES, TARGET_NAMES, useText } from "../i18n";

function formatMae(value: number | null | undefined, target: string): string {
  if (value == null) return "–";
  return target === "pm10_avg" ? value.toFixed(1) : value.toFixed(2);
}

export function AccuracyTable({ card, scores }: { card: ModelCard; scores: TargetScore[] }) {
  const { t, lang } = useText();
  const rows = accuracyRows(card, scores);
  const recentDays = Math.max(0, ...rows.map((row) => row.recentDays));
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
      <div className="table-scroll">
        <table className="accuracy">
          <thead>
            <tr>
              <th scope="col">{t("target")}</th>
              <th scope="col" className="recent">
                {t("recent", { n: recentDays })}
              </th>
              {MODELS.map((model) => (
                <th scope="col" key={model}>
                  {t("backtest")}
                  <br />
                  <span className="model-name">{MODEL_NAMES[model]?.[lang] ?? model}</span>
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
                <td className="recent" data-testid={`recent-mae-${row.target}`}>
                  {formatMae(row.recent, row.target)}
                </td>
                {MODELS.map((model) => (
                  <td
                    key={model}
                    className={row.best === model ? "best" : undefined}
                    title={row.best === model ? t("best") : undefined}
                    data-testid={`mae-${model}-${row.target}`}
                  >
                    {formatMae(row.backtest[model], row.target)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
