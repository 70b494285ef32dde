/** Warnings a reader should see before trusting the numbers. */
import type { ForecastDocument, Health } from "../api/client";
import { useText } from "../i18n";

export function Notices({
  forecast,
  health,
  staleCopy,
}: {
  forecast: ForecastDocument;
  health: Health | undefined;
  staleCopy: boolean;
}) {
  const { t } = useText();
  const notices: string[] = [];
  if (health?.latest_forecast?.stale) {
    notices.push(t("stale", { h: Math.round(health.latest_forecast.age_hours) }));
  }
  if (staleCopy) notices.push(t("staleCopy"));
  if (forecast.degraded) notices.push(t("degraded"), ...forecast.warnings);
  if (notices.length === 0) return null;
  return (
    <div className="notice" role="status">
      {notices.map((notice) => (
        <p key={notice}>{notice}</p>
      ))}
    </div>
  );
}
