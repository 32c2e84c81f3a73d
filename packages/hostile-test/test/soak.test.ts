// The soak's short run in CI: 500 calls per provider under faults. Every call must settle (no hang), every failure
// must be one of the SDK's typed errors, no rejection may go unhandled, and no create may be sent twice.
import { describe, expect, it } from "vitest";
import { PROVIDERS, soak } from "../src/soak.mjs";

describe("the fault soak, short", () => {
  it("500 calls per provider, 32 at a time: 0 hung, 0 untyped errors, 0 unhandled, 0 creates sent twice", async () => {
    const rows = await soak({ calls: 500, concurrency: 32, outerDeadlineMs: 60_000 });
    console.table(rows.map(({ errors, ...counts }) => counts));
    expect(rows.map((row) => row.provider)).toEqual(PROVIDERS);
    for (const row of rows) {
      expect(row.ok + row["typed errors"], row.provider).toBe(500);
      expect(row.ok, row.provider).toBeGreaterThan(250); // the faults hit some calls, not the SDK's normal path
      expect({ provider: row.provider, hung: row.hung, other: row["other errors"], unhandled: row.unhandled }).toEqual({
        provider: row.provider,
        hung: 0,
        other: 0,
        unhandled: 0,
      });
      expect(row["creates sent twice"], row.provider).toBe(0);
    }
  }, 300_000);
});
