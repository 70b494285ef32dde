/** The model's D+1 accuracy beside the baselines, and its recent live error. */
import type { BacktestRow, ModelCard, Target, TargetScore } from "../api/client";

export const TARGETS: readonly Target[] = ["ta_avg", "ta_max", "ta_min", "pm10_avg"];
/** The served model's rows are named by its family (the card's `family`); then the baselines. */
export const SERVED_MODELS = ["lstm", "gru", "lightgbm", "linear_tuned"] as const;
export const BASELINES = ["persistence", "climatology", "linear", "linear_all"] as const;
export const MODELS = [...SERVED_MODELS, ...BASELINES] as const;

/** The name of the served model's rows: its family, as `ModelSpec.table_name` says. */
export function servedModelName(family: string | null | undefined): ModelName {
  const name = family === "linear" ? "linear_tuned" : (family ?? "lstm");
  return (SERVED_MODELS as readonly string[]).includes(name) ? (name as ModelName) : "lstm";
}

/** The table's model columns: the served model, then the baselines. */
export function modelColumns(card: ModelCard): ModelName[] {
  return [servedModelName(card.family), ...BASELINES];
}
export type ModelName = (typeof MODELS)[number];

export interface AccuracyRow {
  target: Target;
  /** Backtest MAE at lead 1 (D+1), by model (undefined when the card has no such row). */
  backtest: Partial<Record<ModelName, number>>;
  /** The model with the lowest backtest MAE. */
  best: ModelName | undefined;
  /** MAE of the served D+1 forecasts over the verification window. */
  recent: number | null;
  recentDays: number;
}

export function accuracyRows(
  card: ModelCard,
  scores: readonly TargetScore[],
  lead = 1,
): AccuracyRow[] {
  return TARGETS.map((target) => {
    const backtest: Partial<Record<ModelName, number>> = {};
    for (const row of card.backtest as BacktestRow[]) {
      if (row.target === target && row.lead_days === lead && isModel(row.model)) {
        backtest[row.model] = row.mae;
      }
    }
    const ranked = (Object.entries(backtest) as [ModelName, number][]).sort((a, b) => a[1] - b[1]);
    const recent = scores.find((score) => score.target === target && score.lead_days === lead);
    return {
      target,
      backtest,
      best: ranked[0]?.[0],
      recent: recent?.mae ?? null,
      recentDays: recent?.n ?? 0,
    };
  });
}

function isModel(name: string): name is ModelName {
  return (MODELS as readonly string[]).includes(name);
}
