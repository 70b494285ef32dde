/**
 * Typed access to the SeoulCast API. Every type comes from `schema.ts`, which is generated from
 * the API's OpenAPI document (`npm run api:types`), so a change to the API shows up here as a
 * type error rather than as a blank card.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

export type ForecastDocument = components["schemas"]["ForecastDocument"];
export type ForecastDay = components["schemas"]["ForecastDay"];
export type Quantiles = components["schemas"]["Quantiles"];
export type Pm10Grade = ForecastDay["pm10_grade"];
export type VerificationReport = components["schemas"]["VerificationReport"];
export type VerifiedDay = components["schemas"]["VerifiedDay"];
export type TargetScore = components["schemas"]["TargetScore"];
export type Target = TargetScore["target"];
export type ModelCard = components["schemas"]["ModelCard"];
export type BacktestRow = components["schemas"]["BacktestRow"];
export type Health = components["schemas"]["Health"];

const api = createClient<paths>({ baseUrl: window.location.origin });

/** Thrown when the API answers with an error; `status` lets the page tell 404 from 503. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    const detail =
      typeof result.error === "object" && result.error !== null && "detail" in result.error
        ? String((result.error as { detail: unknown }).detail)
        : result.response.statusText;
    throw new ApiError(result.response.status, detail);
  }
  return result.data;
}

export interface LatestForecast {
  forecast: ForecastDocument;
  /** Set when the server could not reach its store and served its last confirmed copy. */
  staleSince: string | null;
}

export async function fetchLatestForecast(): Promise<LatestForecast> {
  const result = await api.GET("/api/v1/forecasts/latest");
  return {
    forecast: unwrap(result),
    staleSince: result.response.headers.get("X-SeoulCast-Stale"),
  };
}

export async function fetchVerification(days: number): Promise<VerificationReport> {
  return unwrap(await api.GET("/api/v1/verification", { params: { query: { days } } }));
}

export async function fetchModelCard(): Promise<ModelCard> {
  return unwrap(await api.GET("/api/v1/model"));
}

export async function fetchHealth(): Promise<Health> {
  // /health answers 503 with the same body when storage is down; both are worth showing.
  const result = await api.GET("/health");
  const report = result.data ?? (result.error as Health | undefined);
  return report ?? unwrap(result);
}
