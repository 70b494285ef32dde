/** Where the observations behind a forecast came from, as the API reports it. */
import type { ForecastDocument, Health, ModelCard } from "../api/client";

export type ObservationsSource = NonNullable<ForecastDocument["inputs"]["source"]>;

/**
 * The forecast's own `inputs.source`, else what the model card or /health says; null when none
 * of them records it (documents written before the field existed).
 */
export function observationsSource(
  forecast: ForecastDocument,
  model?: ModelCard,
  health?: Health,
): ObservationsSource | null {
  return forecast.inputs.source ?? model?.observations_source ?? health?.observations_source ?? null;
}
