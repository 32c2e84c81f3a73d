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
