import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { basename } from "node:path";
import { createOctoberClient, parseWebhook, type OctoberClient, type OctoberWebhookEvent } from "@x/october";
import type { Flow } from "./types.js";

/**
 * October's lending journey: create a request for a company, upload its bank statement (three steps, the
 * bytes straight to storage), wait for the Bank X-Ray and show its score. Against the sandbox, a local server
 * also receives the `new_report` webhook for that X-Ray. Against the real API it needs a real statement to
 * analyse, so OCTOBER_BANK_STATEMENT (a file path) is part of `realEnv`; the webhook URL is set in October's
 * web app there, out of this process's reach.
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
    const receiver = real ? undefined : await webhookReceiver(client);
    try {
      const { request } = await client.requests.create({ code: { type: "siren", id: siren } });

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
      // The list pages itself (with skip) as the loop asks; newest first, so the new request ends it on page one.
      let listed = false;
      for await (const each of client.requests.list({ limit: 10 })) {
        listed = each.id === request.id;
        if (listed) break;
      }
      if (!listed) throw new Error(`request ${request.id} is missing from GET /requests`);
      const { reports } = await client.reports.list({ id: request.id });
      const result = `Bank X-Ray score ${report.score ?? "?"} for SIREN ${siren}, ${reports.length} X-Ray(s) started`;
      if (!receiver) return { result };
      await receiver.reportReady(report.id);
      return { result: `${result}, new_report webhook received for it` };
    } finally {
      await receiver?.close();
    }
  },
};

/**
 * A local HTTP server registered as the demo business's webhook URL through the sandbox-only
 * `PUT /__webhook_url` (October's configuration lives in its web app). Each body goes through `parseWebhook`;
 * `reportReady(id)` resolves once the `new_report` event for that report has arrived.
 */
async function webhookReceiver(client: OctoberClient) {
  const events: OctoberWebhookEvent[] = [];
  const waiting = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        events.push(parseWebhook(new Uint8Array(Buffer.concat(chunks))));
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end();
      }
      for (const check of waiting) check();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const setUrl = async (url: string | null) => {
    const response = await client.fetch(`${client.baseUrl}/__webhook_url`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url }),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`could not set the sandbox webhook URL (${response.status})`);
  };
  await setUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/october/webhooks`);
  return {
    reportReady: (id: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`no new_report webhook for report ${id} within 5 s`));
        }, 5000);
        const check = () => {
          if (!events.some((e) => e.event === "new_report" && e.data.report.id === id)) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
      }),
    async close() {
      // Stops further deliveries (the other X-Rays of the request) before the server goes away.
      try {
        await setUrl(null);
      } finally {
        await new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
      }
    },
  };
}
