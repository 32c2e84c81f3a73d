import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
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
