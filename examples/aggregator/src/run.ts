import type { ProviderName, Sandbox } from "@x/sandbox";
import type { Flow } from "./flows/types.js";

export interface FlowRow {
  provider: string;
  flow: string;
  target: "sandbox" | "real";
  ok: boolean;
  result: string;
  /** Requests the sandbox served and tokens it issued during the flow; undefined against real endpoints. */
  requests: number | undefined;
  tokens: number | undefined;
  ms: number;
}

const totalTokens = (issued: Record<string, number>) => Object.values(issued).reduce((a, b) => a + b, 0);

/** Runs flows one after another so each one's sandbox counter deltas are its own. */
export async function runFlows(
  flows: Flow[],
  sandbox: Sandbox,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FlowRow[]> {
  const rows: FlowRow[] = [];
  for (const flow of flows) {
    const real = flow.realEnv.length > 0 && flow.realEnv.every((name) => Boolean(env[name]));
    const handle = sandbox.provider(flow.provider as ProviderName);
    const before = handle.stats();
    const started = performance.now();
    let ok = true;
    let result: string;
    try {
      ({ result } = await flow.run({ sandboxUrl: handle.url, demoCredentials: handle.demoCredentials, real, env }));
    } catch (err) {
      ok = false;
      result = `FAILED: ${err instanceof Error ? err.message : String(err)}`;
    }
    const ms = Math.round(performance.now() - started);
    const after = handle.stats();
    rows.push({
      provider: flow.provider,
      flow: flow.name,
      target: real ? "real" : "sandbox",
      ok,
      result,
      requests: real ? undefined : after.requests - before.requests,
      tokens: real ? undefined : totalTokens(after.tokensIssued) - totalTokens(before.tokensIssued),
      ms,
    });
  }
  return rows;
}

/** A plain-text table that reads well in a terminal and in CI logs (no colors, no box-drawing dependency). */
export function formatTable(rows: FlowRow[]): string {
  const header = ["provider", "flow", "target", "result", "requests", "tokens fetched", "time ms"];
  const cells = rows.map((r) => [
    r.provider,
    r.flow,
    r.target,
    r.result,
    r.requests === undefined ? "-" : String(r.requests),
    r.tokens === undefined ? "-" : String(r.tokens),
    String(r.ms),
  ]);
  const numeric = new Set([4, 5, 6]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (numeric.has(i) ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}
