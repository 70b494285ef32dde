/**
 * What the page shows, from its four API requests (api/page.ts): the forecast as soon as it
 * comes, then the verification, model card and health as each arrives.
 */
import type { Health, LatestForecast, ModelCard, VerificationReport } from "../api/client";

export interface PageData {
  latest: LatestForecast;
  verification?: VerificationReport;
  model?: ModelCard;
  health?: Health;
}

export interface PageRequests {
  latest: Promise<LatestForecast>;
  verification: Promise<VerificationReport>;
  model: Promise<ModelCard>;
  health: Promise<Health>;
}

/**
 * Calls `show` with the data so far each time a reply that belongs on the page arrives (the
 * forecast first: nothing is shown without it), or `fail` if the forecast cannot be had.
 */
export function followPage(
  requests: PageRequests,
  show: (data: PageData) => void,
  fail: (error: unknown) => void,
): void {
  const data: Partial<PageData> = {};
  const update = () => {
    if (data.latest) show({ ...data, latest: data.latest });
  };
  requests.latest.then((latest) => {
    data.latest = latest;
    update();
  }, fail);
  const extras = ["verification", "model", "health"] as const;
  for (const name of extras) {
    (requests[name] as Promise<PageData[typeof name]>).then((value) => {
      data[name] = value as never;
      update();
    }, () => undefined);
  }
}
