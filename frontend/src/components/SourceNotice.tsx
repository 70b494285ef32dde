/** Where the numbers come from: a plain warning for demo data, and the footer's data line. */
import type { ObservationsSource } from "../domain/sources";
import { type TextKey, useText } from "../i18n";

const SOURCE_LINE: Record<ObservationsSource | "unknown", TextKey> = {
  kma: "sourceKma",
  "emulator-synthetic": "sourceEmulatorSynthetic",
  "emulator-observed": "sourceEmulatorObserved",
  "portal-import": "sourcePortalImport",
  unknown: "sourceUnknown",
};

export function SyntheticDataNotice({ source }: { source: ObservationsSource | null }) {
  const { t } = useText();
  if (source !== "emulator-synthetic") return null;
  return (
    <div className="synthetic-notice" role="note" data-testid="synthetic-notice">
      <strong>{t("syntheticTitle")}</strong>
      <p>{t("syntheticDetail")}</p>
    </div>
  );
}

export function DataSourceLine({ source }: { source: ObservationsSource | null }) {
  const { t } = useText();
  return (
    <p data-testid="data-source" data-source={source ?? "unknown"}>
      {t(SOURCE_LINE[source ?? "unknown"])}
    </p>
  );
}
