import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
// @x/october is not a dependency of the sandbox (it depends on the sandbox): its parser is read from source.
import { startSandbox, type Sandbox } from "../src/index.js";

let sandbox: Sandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox({ providers: ["october"], options: { october: { reportDelayMs: 300 } } });
  base = sandbox.urls.october as string;
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const good = {
  userId: "64b0c0ffee00000000000001",
  sessionToken: "october-demo-session-token",
  "October-Version": "2023-06-01",
};
const call = (path: string, headers: Record<string, string>, body?: unknown) =>
  fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe("october emulator", () => {
  it("documents the credentials it accepts", () => {
    const { userId, sessionToken } = sandbox.provider("october").demoCredentials;
    expect({ userId, sessionToken }).toEqual({ userId: good.userId, sessionToken: good.sessionToken });
  });

  it.each(["userId", "sessionToken", "October-Version"])(
    "refuses a request without the %s header with 401 and October's error body",
    async (missing) => {
      const headers: Record<string, string> = { ...good };
      delete headers[missing];
      const response = await call("/requests", headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ name: "NotAuthenticated", code: 401 });
    },
  );

  it("refuses a wrong userId/sessionToken pair with 401", async () => {
    expect((await call("/requests", { ...good, sessionToken: "nope" })).status).toBe(401);
    expect((await call("/requests", { ...good, userId: "64b0c0ffee00000000000002" })).status).toBe(401);
  });

  it("accepts only known October-Version values", async () => {
    expect((await call("/requests", { ...good, "October-Version": "2024-01-25" })).status).toBe(200);
    const response = await call("/requests", { ...good, "October-Version": "2022-01-01" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ name: "BadRequest" });
  });

  it(
    "serves storage without October headers, sets media online " +
      "only once the bytes are there, then produces reports",
    async () => {
      const { request } = (await (
        await call("/requests", good, { code: { type: "siren", id: "514673987" } })
      ).json()) as { request: { id: string } };
      const meta = { name: "march.pdf", size: 5, type: "application/pdf" };
      const { medium } = (await (
        await call("/media", good, { name: "bank_statement", type: "document", meta, request: request.id })
      ).json()) as {
        medium: {
          id: string;
          status: string;
          upload: { url: string; method: string; headers: Record<string, string> };
        };
      };
      expect(medium.status).toBe("draft");
      expect(medium.upload.url).toBe(`${base}/__storage/${medium.id}`);

      const tooEarly = await call(`/media/${medium.id}`, good, { status: "online" });
      expect(tooEarly.status).toBe(400);
      const stored = await fetch(medium.upload.url, {
        method: medium.upload.method,
        headers: medium.upload.headers,
        body: "12345",
      });
      expect(stored.status).toBe(200);
      expect((await call(`/media/${medium.id}`, good, { status: "online" })).status).toBe(200);

      const list = async () =>
        (
          (await (await call(`/requests/${request.id}/reports?kind=bank`, good)).json()) as {
            reports: Array<{ status: string; score: string | null }>;
          }
        ).reports;
      expect((await list())[0]).toMatchObject({ status: "processing", score: null });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await list())[0]).toMatchObject({ status: "ready", score: expect.stringMatching(/^[A-E]$/) });
      expect(sandbox.provider("october").control.storageUploads).toHaveLength(1);
      expect(sandbox.provider("october").stats().tokensIssued).toEqual({});
    },
  );

  const newRequest = async () =>
    (
      (await (await call("/requests", good, { code: { type: "kvk", id: "1" } })).json()) as {
        request: { id: string };
      }
    ).request.id;
  const createMedium = (request: string, name: string, size = 3) =>
    call("/media", good, {
      name,
      type: "document",
      meta: { name: "fy 2023.pdf", size, type: "application/pdf" },
      request,
    });

  it("takes the four medium names October lists and refuses others", async () => {
    const request = await newRequest();
    for (const name of ["certified_financial_statement", "bank_statement", "interim_financial_statement", "other"]) {
      expect((await createMedium(request, name)).status).toBe(200);
    }
    for (const name of ["balance_sheet", "kbis", "tax_return"]) {
      const response = await createMedium(request, name);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ name: "BadRequest" });
    }
  });

  it("answers a medium's url as a path relative to October's CDN, the upload target apart", async () => {
    const request = await newRequest();
    const { medium } = (await (await createMedium(request, "bank_statement")).json()) as {
      medium: { id: string; url: string; upload: { url: string } };
    };
    expect(medium.url).toBe(`requests/${request}/${medium.id}-fy_2023.pdf`);
    expect(() => new URL(medium.url)).toThrow();
    expect(medium.upload.url).toBe(`${base}/__storage/${medium.id}`);
  });

  it("keeps the period and date in meta when a medium goes online, and refuses an unknown period", async () => {
    const request = await newRequest();
    const { medium } = (await (await createMedium(request, "bank_statement")).json()) as {
      medium: { id: string; upload: { url: string } };
    };
    await fetch(medium.upload.url, { method: "PUT", body: "abc" });
    const wrong = await call(`/media/${medium.id}`, good, { status: "online", meta: { period: "week" } });
    expect(wrong.status).toBe(400);
    const online = await call(`/media/${medium.id}`, good, {
      status: "online",
      meta: { period: "quarter", date: "2024-03-31" },
    });
    expect(online.status).toBe(200);
    const body = (await online.json()) as { medium: Record<string, unknown> };
    expect(body.medium.meta).toEqual({
      name: "fy 2023.pdf",
      size: 3,
      type: "application/pdf",
      period: "quarter",
      date: "2024-03-31",
    });
    expect(body.medium).not.toHaveProperty("period");
  });

  it("shows the demo business's webhook settings, each with its validation key", async () => {
    const { businessId } = sandbox.provider("october").demoCredentials;
    const response = await call(`/businesses/${businessId}`, good);
    expect(response.status).toBe(200);
    const { business } = (await response.json()) as {
      business: { id: string; settings: { webhooks: Array<{ url: string; events: string[]; key: string }> } };
    };
    expect(business.id).toBe(businessId);
    expect(business.settings.webhooks).toEqual([
      {
        url: expect.stringMatching(/^https:\/\//),
        events: ["new_report"],
        key: expect.stringMatching(/^[0-9a-f]{48}$/),
      },
    ]);
    expect((await call(`/businesses/${"0".repeat(24)}`, good)).status).toBe(404);
    expect((await call(`/businesses/${businessId}`, { ...good, sessionToken: "nope" })).status).toBe(401);
  });

  it("refuses a medium over 20 MB at creation", async () => {
    const { request } = (await (await call("/requests", good, { code: { type: "kvk", id: "1" } })).json()) as {
      request: { id: string };
    };
    const response = await call("/media", good, {
      name: "other",
      type: "document",
      meta: { name: "x", size: 20 * 1024 * 1024 + 1, type: "application/pdf" },
      request: request.id,
    });
    expect(response.status).toBe(413);
  });
});

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The app: a real server on 127.0.0.1 that answers every delivery with `status` and keeps what it received. */
async function startApp(status: number) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/october/hooks`;
  const close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { url, received, close };
}

describe("october new_report webhooks", () => {
  const control = () => sandbox.provider("october").control;
  const business = async () => {
    const { businessId } = sandbox.provider("october").demoCredentials;
    const { business } = (await (await call(`/businesses/${businessId}`, good)).json()) as {
      business: { settings: { webhooks: Array<{ url: string; events: string[]; key: string }> } };
    };
    return business.settings.webhooks;
  };
  // A SIREN request gets its Manager X-Ray without any media: the quickest report to turn ready.
  const sirenRequest = async () =>
    (
      (await (await call("/requests", good, { code: { type: "siren", id: "514673987" } })).json()) as {
        request: { id: string };
      }
    ).request.id;
  const waitForDeliveries = (count: number) =>
    vi.waitFor(
      () => {
        expect(control().callbacks()).toHaveLength(count);
      },
      { timeout: 3000, interval: 20 },
    );

  it("posts each ready report to the app's URL, unsigned, in the spec's new_report shape", async () => {
    const app = await startApp(204);
    try {
      control().setWebhookUrl(app.url);
      const [setting] = await business();
      expect(setting).toMatchObject({ url: app.url, events: ["new_report"] });
      const request = await sirenRequest();
      await waitForDeliveries(1);

      expect(app.received).toHaveLength(1);
      const [delivery] = app.received;
      expect(delivery).toMatchObject({ method: "POST", path: "/october/hooks" });
      expect(delivery?.headers["content-type"]).toBe("application/json");
      // How a delivery carries the key is unpublished: it must not appear anywhere in what is sent.
      expect(JSON.stringify(delivery)).not.toContain(setting?.key);
      // The spec's NewReportEvent shape, exactly; @x/october's tests check that parseWebhook accepts a delivery.
      const event = JSON.parse(delivery?.body ?? "") as { event: string; data: { report: unknown } };
      const { reports } = (await (await call(`/requests/${request}/reports?kind=manager`, good)).json()) as {
        reports: Array<{ id: string }>;
      };
      expect(event.data.report).toMatchObject({ id: reports[0]?.id, request, kind: "manager", status: "ready" });
      expect(event).toEqual({ event: "new_report", data: { report: event.data.report } });

      expect(control().callbacks()).toEqual([{ kind: "new_report", url: app.url, status: 204, body: delivery?.body }]);
    } finally {
      await app.close();
    }
  });

  it("records a failing app's 500 and an unreachable app's network error", async () => {
    const app = await startApp(500);
    try {
      // The sandbox-only route an app that sees only the sandbox URL uses; October's headers are required.
      const put = (headers: Record<string, string>, url: string | null) =>
        fetch(`${base}/__webhook_url`, {
          method: "PUT",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify({ url }),
        });
      expect((await put({ ...good, sessionToken: "nope" }, app.url)).status).toBe(401);
      expect((await put(good, "not a url")).status).toBe(400);
      expect((await put(good, app.url)).status).toBe(200);
      await sirenRequest();
      await waitForDeliveries(1);
      expect(app.received).toHaveLength(1);
      expect(control().callbacks()[0]).toMatchObject({ kind: "new_report", url: app.url, status: 500 });
    } finally {
      await app.close();
    }
    // The app is gone now: the next delivery cannot connect.
    await sirenRequest();
    await waitForDeliveries(2);
    expect(control().callbacks()[1]).toMatchObject({
      url: app.url,
      status: 0,
      error: expect.stringMatching(/ECONNREFUSED/),
    });
  });

  it("takes the URL as the webhookUrl option, and the dashboard lists the delivery with the app's answer", async () => {
    const app = await startApp(202);
    const own = await startSandbox({
      providers: ["october"],
      dashboard: true,
      options: { october: { reportDelayMs: 20, webhookUrl: app.url } },
    });
    try {
      const response = await fetch(`${own.urls.october}/requests`, {
        method: "POST",
        headers: { ...good, "content-type": "application/json" },
        body: JSON.stringify({ code: { type: "siren", id: "514673987" } }),
      });
      expect(response.status).toBe(200);
      await vi.waitFor(() => expect(own.provider("october").control.callbacks()).toHaveLength(1), { timeout: 3000 });
      const state = (await (await fetch(`${own.dashboardUrl}api/state`)).json()) as { callbacks: unknown[] };
      expect(state.callbacks).toEqual([{ provider: "october", kind: "new_report", url: app.url, status: 202 }]);
    } finally {
      await own.close();
      await app.close();
    }
  });

  it("sends nothing until the app's URL is set, and refuses a URL that is not http(s)", async () => {
    const [setting] = await business();
    expect(setting?.url).toMatch(/^https:\/\/example\.com\//);
    await sirenRequest();
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(control().callbacks()).toEqual([]);
    expect(() => control().setWebhookUrl("ftp://127.0.0.1/hooks")).toThrow(
      /webhookUrl must be an absolute http\(s\) URL/,
    );
  });
});
