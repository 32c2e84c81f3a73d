import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { createOctoberClient } from "@x/october";
import type { Flow } from "./types.js";

/**
 * October's lending journey: create a request for a company, upload its bank statement (three steps, the
 * bytes straight to storage), wait for the Bank X-Ray and show its score. Against the real API it needs a
 * real statement to analyse, so OCTOBER_BANK_STATEMENT (a file path) is part of `realEnv`.
 */
export const octoberFlow: Flow = {
  provider: "october",
  name: "request + statement -> Bank X-Ray",
  realEnv: ["OCTOBER_USER_ID", "OCTOBER_SESSION_TOKEN", "OCTOBER_BANK_STATEMENT"],
  async run({ sandboxUrl, demoCredentials, real, env }) {
    const client = createOctoberClient(
      real
        ? {
            userId: env.OCTOBER_USER_ID ?? "",
            sessionToken: env.OCTOBER_SESSION_TOKEN ?? "",
            ...(env.OCTOBER_BASE_URL ? { baseUrl: env.OCTOBER_BASE_URL } : {}),
          }
        : {
            userId: demoCredentials.userId ?? "",
            sessionToken: demoCredentials.sessionToken ?? "",
            baseUrl: sandboxUrl,
          },
    );
    const siren = env.OCTOBER_SIREN ?? "514673987";
    const { request } = await client.unwrap(client.POST("/requests", { body: { code: { type: "siren", id: siren } } }));

    const path = env.OCTOBER_BANK_STATEMENT;
    const statement =
      real && path
        ? new File([await readFile(path)], basename(path), { type: "application/pdf" })
        : new File(["%PDF-1.7 demo bank statement"], "statement.pdf", { type: "application/pdf" });
    await client.uploadMedium(request.id, statement, { name: "bank_statement" });

    // The sandbox produces reports in ~100 ms; October takes minutes, so poll gently there.
    const report = await client.waitForReport(
      request.id,
      "bank",
      real ? { timeoutMs: 15 * 60_000 } : { intervalMs: 50, timeoutMs: 10_000 },
    );
    return { result: `Bank X-Ray score ${report.score ?? "?"} for SIREN ${siren}` };
  },
};
