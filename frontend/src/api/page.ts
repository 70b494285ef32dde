/** The page's four API requests, started together. */
import { fetchHealth, fetchLatestForecast, fetchModelCard, fetchVerification } from "./client";
import type { PageRequests } from "../domain/pageData";

export const HISTORY_DAYS = 30;

export function requestPage(): PageRequests {
  const requests = {
    latest: fetchLatestForecast(),
    verification: fetchVerification(HISTORY_DAYS),
    model: fetchModelCard(),
    health: fetchHealth(),
  };
  // The page copes without the others; a failure of one is not an unhandled rejection.
  for (const request of Object.values(requests)) request.catch(() => undefined);
  return requests;
}
