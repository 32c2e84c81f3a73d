import { describe, expect, it } from "vitest";
import { FAST_RETRY } from "../src/index.js";

describe("FAST_RETRY", () => {
  it("keeps two retries with millisecond delays, the settings the providers' tests wrote out one by one", () => {
    expect(FAST_RETRY).toEqual({ retries: 2, minDelayMs: 1, maxDelayMs: 5 });
  });

  it("cannot be changed by one test for the others", () => {
    expect(Object.isFrozen(FAST_RETRY)).toBe(true);
    expect(() => {
      (FAST_RETRY as { retries: number }).retries = 9;
    }).toThrow(TypeError);
  });
});
