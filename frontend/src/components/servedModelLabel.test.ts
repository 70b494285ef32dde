import { describe, expect, it } from "vitest";
import { servedModelLabel } from "./AccuracyTable";

describe("servedModelLabel", () => {
  it("names the family the model card records", () => {
    expect(servedModelLabel("lightgbm")).toBe("SeoulCast (LightGBM)");
    expect(servedModelLabel("gru")).toBe("SeoulCast (GRU)");
  });
  it("is the LSTM for a card from before the sweep", () => {
    expect(servedModelLabel(null)).toBe("SeoulCast (LSTM)");
    expect(servedModelLabel(undefined)).toBe("SeoulCast (LSTM)");
  });
});
