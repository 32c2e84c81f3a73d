import { afterEach, describe, expect, it } from "vitest";
import { startDashboard } from "../src/dashboard.js";
import { startSandbox, type ProviderHandle, type Sandbox } from "../src/index.js";
import { createJournal } from "../src/journal.js";

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields),
});

describe("request journal", () => {
  it("records method, route template, status, latency, credential id and the refusal reason", async () => {
    sandbox = await startSandbox({ providers: ["echo"] });
    const base = sandbox.urls.echo as string;
    const grant = { grant_type: "client_credentials", client_id: "echo-demo-client" };
    await fetch(`${base}/oauth/token`, form({ ...grant, client_secret: "wrong" }));
    const ok = await fetch(`${base}/oauth/token`, form({ ...grant, client_secret: "echo-demo-secret" }));
    const { access_token } = (await ok.json()) as { access_token: string };
    await fetch(`${base}/echo`, { method: "POST", headers: { authorization: `Bearer ${access_token}` }, body: "x" });

    const [refused, issued, echoed] = sandbox.requests();
    expect(refused).toMatchObject({
      provider: "echo",
      method: "POST",
      path: "/oauth/token",
      route: "/oauth/token",
      status: 401,
      credential: "echo-demo-client",
    });
    expect(refused?.reason).toMatch(/invalid_client/);
    expect(refused?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(issued).toMatchObject({ status: 200 });
    expect(issued?.reason).toBeUndefined();
    // A bearer token is shown as a fingerprint, the same one the token journal gives it, never its value.
    expect(echoed?.credential).toMatch(/^bearer #[0-9a-f]{8}$/);
    expect(JSON.stringify(sandbox.requests())).not.toContain(access_token);
    const [token] = sandbox.tokens();
    expect(token).toMatchObject({ provider: "echo", event: "issued", credential: "echo-demo-client" });
    expect(echoed?.credential).toBe(`bearer ${token?.token}`);
    expect(Date.parse(token?.expiresAt ?? "")).toBeGreaterThan(Date.now());
  });

  it("says which requests the sandbox answered itself, and why", async () => {
    sandbox = await startSandbox({ providers: ["echo"] });
    sandbox.provider("echo").setFaults({ failNext: { status: 503, count: 1, retryAfter: 2 }, dropNext: 0 });
    await fetch(`${sandbox.urls.echo}/nope`);
    expect(sandbox.requests()[0]).toMatchObject({ status: 503, fault: "fail" });
    expect(sandbox.requests()[0]?.reason).toBe("injected 503 by the sandbox (failNext, Retry-After 2)");
    expect(sandbox.provider("echo").faults()).toEqual({
      failNext: { status: 503, count: 0, retryAfter: 2 },
      dropNext: 0,
    });
  });

  it("names the credential whatever the provider's scheme, a secret only by fingerprint", async () => {
    sandbox = await startSandbox({ providers: ["october", "sfs"] });
    const { october, sfs } = sandbox.demoCredentials as Record<string, Record<string, string>>;
    await fetch(`${sandbox.urls.october}/requests`, {
      headers: { userid: october?.userId ?? "", sessiontoken: october?.sessionToken ?? "" },
    });
    await fetch(`${sandbox.urls.sfs}/api/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: { action: "create", apiKey: sfs?.apiKey, secret: sfs?.secret } }),
    });
    const [octoberCall, sfsToken] = sandbox.requests();
    expect(octoberCall?.credential).toBe(october?.userId);
    // The refusal names the header that was missing, not only October's generic answer.
    expect(octoberCall?.reason).toBe("missing header: October-Version");
    expect(sfsToken?.credential).toMatch(/^apiKey #[0-9a-f]{8}$/);
    expect(sandbox.tokens()[0]).toMatchObject({ provider: "sfs", event: "issued", credential: sfsToken?.credential });
  });
});

describe("journal", () => {
  it("keeps the last `limit` requests", () => {
    const journal = createJournal(2);
    for (const path of ["/a", "/b", "/c"]) {
      journal.record({
        type: "request",
        request: { id: 0, at: "", provider: "echo", method: "GET", path, status: 200, latencyMs: 0 },
      });
    }
    expect(journal.requests().map((r) => [r.id, r.path])).toEqual([
      [2, "/b"],
      [3, "/c"],
    ]);
  });
});

describe("dashboard server", () => {
  it("serves the page and the state on 127.0.0.1, with demo credentials masked", async () => {
    sandbox = await startSandbox({ dashboard: true });
    const url = sandbox.dashboardUrl as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(url);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain('<script src="/dashboard.js">');
    expect((await fetch(`${url}dashboard.js`)).status).toBe(200);

    const state = await (await fetch(`${url}api/state`)).text();
    for (const [name, credentials] of Object.entries(sandbox.demoCredentials)) {
      expect(state).toContain(`"name":"${name}"`);
      for (const value of Object.values(credentials as Record<string, string>)) {
        if (value.length > 4) expect(state).not.toContain(value);
      }
    }
  });

  it("applies faults posted by the page and refuses what another site could send", async () => {
    sandbox = await startSandbox({ providers: ["echo"], dashboard: true });
    const url = `${sandbox.dashboardUrl}api/providers/echo/faults`;
    const body = JSON.stringify({ failNext: { status: 503, count: 1 } });
    // A cross-site form post cannot set a JSON content type without a CORS preflight, which is never allowed.
    expect((await fetch(url, { method: "POST", headers: { "content-type": "text/plain" }, body })).status).toBe(415);
    const applied = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(await applied.json()).toEqual({ failNext: { status: 503, count: 1 } });
    expect((await fetch(`${sandbox.urls.echo}/echo`)).status).toBe(503);

    const invalid = JSON.stringify({ failNext: { status: 200, count: 1 } });
    const refused = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: invalid,
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ message: "failNext.status must be an integer in 400..599" });
  });
});

describe("dashboard event stream", () => {
  it("sends the state first, then each event, and the callbacks an emulator sent as they change", async () => {
    const sent: Array<{ kind: string; url: string; status: number }> = [];
    const handle = {
      name: "fake",
      url: "http://127.0.0.1:9",
      demoCredentials: { clientSecret: "fake-demo-secret" },
      control: { callbacks: () => [...sent] },
      stats: () => ({ requests: 0, tokensIssued: {} }),
      faults: () => ({}),
      setFaults: () => {},
      reset: () => {},
    } satisfies ProviderHandle;
    const journal = createJournal();
    const dashboard = await startDashboard({ handles: [handle], journal, port: 0 });
    const controller = new AbortController();
    try {
      const response = await fetch(`${dashboard.url}/api/events`, { signal: controller.signal });
      expect(response.headers.get("content-type")).toBe("text/event-stream");
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = "";
      const until = async (needle: string) => {
        while (!text.includes(needle)) text += decoder.decode((await reader.read()).value, { stream: true });
      };
      await until("event: state");
      await until("\n\n");
      expect(text).not.toContain("fake-demo-secret");

      journal.record({ type: "faults", provider: "fake", faults: { latencyMs: 5 } });
      await until('"latencyMs":5');
      sent.push({ kind: "success", url: "http://127.0.0.1:9/callback", status: 204 });
      await until("event: callbacks");
      await until('"status":204');
      expect(text).toContain('[{"provider":"fake","kind":"success","url":"http://127.0.0.1:9/callback","status":204}]');
    } finally {
      controller.abort();
      await dashboard.close();
    }
  });
});
