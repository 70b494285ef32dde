import { describe, expect, it } from "vitest";
import { contrastRatio } from "./contrast";
import { BADGE_TEXT, GRADE_STYLES, GRADES, gradeLabel, pm10Grade } from "./grades";

describe("pm10Grade", () => {
  it.each([
    [0, "good"],
    [30, "good"],
    [30.4, "moderate"],
    [31, "moderate"],
    [80, "moderate"],
    [81, "bad"],
    [150, "bad"],
    [151, "very_bad"],
    [480, "very_bad"],
  ] as const)("grades a daily mean of %s µg/m³ as %s", (value, grade) => {
    expect(pm10Grade(value)).toBe(grade);
  });
});

describe("grade labels and colours", () => {
  it("uses the Ministry of Environment names in Korean", () => {
    expect(GRADES.map((grade) => gradeLabel(grade, "ko"))).toEqual(["좋음", "보통", "나쁨", "매우나쁨"]);
  });

  it("has English names too", () => {
    expect(GRADES.map((grade) => gradeLabel(grade, "en"))).toEqual([
      "Good",
      "Moderate",
      "Unhealthy",
      "Very unhealthy",
    ]);
  });

  it("colours the grades blue, green, orange, red", () => {
    const hue = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      const d = max - min;
      const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
      return (h * 60 + 360) % 360;
    };
    const hues = GRADES.map((grade) => hue(GRADE_STYLES[grade].color));
    expect(hues[0]).toBeGreaterThan(190); // blue
    expect(hues[0]).toBeLessThan(240);
    expect(hues[1]).toBeGreaterThan(90); // green
    expect(hues[1]).toBeLessThan(160);
    expect(hues[2]).toBeGreaterThan(15); // orange
    expect(hues[2]).toBeLessThan(45);
    const red = hues[3]!;
    expect(red < 10 || red > 350).toBe(true); // red
  });

  it("keeps each grade's text shade darker than its badge colour", () => {
    const luminance = (hex: string) =>
      [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).reduce((sum, c) => sum + c, 0);
    for (const grade of GRADES) {
      expect(luminance(GRADE_STYLES[grade].ink)).toBeLessThan(luminance(GRADE_STYLES[grade].color));
    }
  });

  it("gives every text on a grade colour WCAG AA contrast (4.5:1)", () => {
    for (const grade of GRADES) {
      const { ink, tint } = GRADE_STYLES[grade];
      expect(contrastRatio(BADGE_TEXT, ink)).toBeGreaterThanOrEqual(4.5); // the badge
      expect(contrastRatio(ink, tint)).toBeGreaterThanOrEqual(4.5); // the PM10 card
      expect(contrastRatio(ink, "#ffffff")).toBeGreaterThanOrEqual(4.5); // the outlook
    }
  });
});

describe("contrastRatio", () => {
  it("follows WCAG 2", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#ffffff", "#ffffff")).toBeCloseTo(1, 5);
    expect(contrastRatio("#ffffff", "#32a1ff")).toBeCloseTo(2.74, 2); // the old "good" badge
  });
});
