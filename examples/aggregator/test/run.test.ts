import { startSandbox, type Sandbox } from "@x/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flows } from "../src/flows/index.js";
import type { Flow } from "../src/flows/types.js";
import { formatTable, runFlows } from "../src/run.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

describe("runFlows", () => {
  it("runs every registered flow against the sandbox and measures requests and tokens per flow", async () => {
    const rows = await runFlows(flows, sandbox, {});
    for (const row of rows) expect(row, row.result).toMatchObject({ ok: true, target: "sandbox" });
    expect(rows.find((r) => r.provider === "echo")).toMatchObject({ requests: 3, tokens: 1 });
  });

  it("marks a throwing flow failed and keeps going", async () => {
    const broken: Flow = {
      provider: "echo",
      name: "broken",
      realEnv: [],
      run: () => Promise.reject(new Error("boom")),
    };
    const rows = await runFlows([broken, ...flows], sandbox, {});
    expect(rows[0]).toMatchObject({ ok: false, result: "FAILED: boom", requests: 0 });
    expect(rows[1]?.ok).toBe(true);
  });

  it("switches a flow to real endpoints only when all its env vars are set", async () => {
    const seen: boolean[] = [];
    const flow: Flow = {
      provider: "echo",
      name: "env",
      realEnv: ["ECHO_A", "ECHO_B"],
      run: async ({ real }) => {
        seen.push(real);
        return { result: "ok" };
      },
    };
    await runFlows([flow], sandbox, { ECHO_A: "1" });
    const [row] = await runFlows([flow], sandbox, { ECHO_A: "1", ECHO_B: "2" });
    expect(seen).toEqual([false, true]);
    expect(row).toMatchObject({ target: "real", requests: undefined });
  });
});

describe("formatTable", () => {
  it("aligns columns and shows '-' for counts not measured against real endpoints", () => {
    const table = formatTable([
      {
        provider: "echo",
        flow: "f",
        target: "real",
        ok: true,
        result: "ok",
        requests: undefined,
        tokens: undefined,
        ms: 12,
      },
    ]);
    const [header, rule, row] = table.split("\n");
    expect(header).toMatch(/^provider\s+flow\s+target\s+result\s+requests\s+tokens fetched\s+time ms$/);
    expect(rule).toMatch(/^-+( +-+)+$/);
    expect(row).toMatch(/^echo\s+f\s+real\s+ok\s+-\s+-\s+12$/);
  });
});
