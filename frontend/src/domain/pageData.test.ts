import { describe, expect, it } from "vitest";
import type { Health, LatestForecast, ModelCard, VerificationReport } from "../api/client";
import { forecastDocument, modelCard, report, verifiedDay } from "./fixtures";
import { type PageData, type PageRequests, followPage } from "./pageData";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

function pending() {
  const parts = {
    latest: deferred<LatestForecast>(),
    verification: deferred<VerificationReport>(),
    model: deferred<ModelCard>(),
    health: deferred<Health>(),
  };
  const requests: PageRequests = {
    latest: parts.latest.promise,
    verification: parts.verification.promise,
    model: parts.model.promise,
    health: parts.health.promise,
  };
  return { parts, requests };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const latest: LatestForecast = { forecast: forecastDocument("2026-11-23"), staleSince: null };

describe("followPage", () => {
  it("shows the forecast as soon as it comes, then adds each other reply", async () => {
    const { parts, requests } = pending();
    const shown: PageData[] = [];
    followPage(requests, (data) => shown.push(data), () => undefined);
    parts.model.resolve(modelCard([]));
    await settle();
    expect(shown).toEqual([]); // nothing without the forecast
    parts.latest.resolve(latest);
    await settle();
    expect(shown.at(-1)).toEqual({ latest, model: modelCard([]) });
    parts.verification.resolve(report([verifiedDay("2026-11-22", 1, 1)]));
    parts.health.reject(new Error("503"));
    await settle();
    expect(Object.keys(shown.at(-1)!).sort()).toEqual(["latest", "model", "verification"]);
  });

  it("fails when the forecast cannot be had", async () => {
    const { parts, requests } = pending();
    const failures: unknown[] = [];
    followPage(requests, () => undefined, (error) => failures.push(error));
    parts.latest.reject(new Error("404"));
    await settle();
    expect(failures).toHaveLength(1);
  });
});
