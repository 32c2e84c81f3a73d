import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../src/index.js";

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function token(base: string, secret = "echo-demo-secret"): Promise<Response> {
  return fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: "echo-demo-client",
      client_secret: secret,
    }),
  });
}

async function echo(base: string, accessToken: string): Promise<Response> {
  return fetch(`${base}/echo?x=1`, { method: "POST", headers: { authorization: `Bearer ${accessToken}` }, body: "hi" });
}

describe("startSandbox", () => {
  it("starts each emulator on its own loopback port and counts requests and tokens", async () => {
    sandbox = await startSandbox({ providers: ["echo"] });
    const base = sandbox.urls.echo as string;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const { access_token } = (await (await token(base)).json()) as { access_token: string };
    const response = await echo(base, access_token);
    expect(await response.json()).toEqual({ method: "POST", path: "/echo", query: { x: "1" }, body: "hi" });

    expect(sandbox.stats()).toEqual({ echo: { requests: 2, tokensIssued: { access: 1 } } });
    // The same numbers over HTTP, for tools that are not in this process; control calls are not counted.
    expect(await (await fetch(`${base}/__sandbox/stats`)).json()).toEqual({ requests: 2, tokensIssued: { access: 1 } });
  });

  it("enforces the emulator's auth rules: wrong secret, missing and expired tokens", async () => {
    sandbox = await startSandbox();
    const base = sandbox.urls.echo as string;
    expect((await token(base, "wrong")).status).toBe(401);
    expect((await echo(base, "made-up")).status).toBe(401);

    const { access_token } = (await (await token(base)).json()) as { access_token: string };
    sandbox.provider("echo").control.expireAllTokens();
    expect((await echo(base, access_token)).status).toBe(401);
  });

  it("answers 404 for unknown paths and 405 for known paths with the wrong method", async () => {
    sandbox = await startSandbox();
    const base = sandbox.urls.echo as string;
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/echo`)).status).toBe(405);
  });

  it("injects failures with Retry-After, then recovers", async () => {
    sandbox = await startSandbox();
    const base = sandbox.urls.echo as string;
    sandbox.provider("echo").setFaults({ failNext: { status: 429, count: 2, retryAfter: 1 } });
    for (let i = 0; i < 2; i++) {
      const response = await token(base);
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("1");
    }
    expect((await token(base)).status).toBe(200);
    expect(sandbox.stats().echo).toEqual({ requests: 3, tokensIssued: { access: 1 } });
  });

  it("drops connections and adds latency on demand, also through the HTTP control endpoint", async () => {
    sandbox = await startSandbox();
    const base = sandbox.urls.echo as string;
    await fetch(`${base}/__sandbox/faults`, { method: "POST", body: JSON.stringify({ dropNext: 1, latencyMs: 50 }) });
    await expect(token(base)).rejects.toThrow();
    const started = Date.now();
    expect((await token(base)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("reset() clears counters, faults and issued tokens", async () => {
    sandbox = await startSandbox();
    const base = sandbox.urls.echo as string;
    const { access_token } = (await (await token(base)).json()) as { access_token: string };
    sandbox.provider("echo").setFaults({ latencyMs: 1000 });
    sandbox.reset();
    expect(sandbox.stats().echo).toEqual({ requests: 0, tokensIssued: {} });
    expect((await echo(base, access_token)).status).toBe(401);
  });

  it("passes per-provider options to the emulator", async () => {
    sandbox = await startSandbox({ options: { echo: { tokenTtlSeconds: 7 } } });
    expect(await (await token(sandbox.urls.echo as string)).json()).toMatchObject({ expires_in: 7 });
  });

  it("rejects unknown providers with the list of available ones", async () => {
    await expect(startSandbox({ providers: ["nope" as "echo"] })).rejects.toThrow(
      /unknown provider\(s\) nope; available: echo/,
    );
  });
});

describe("x-sandbox CLI", () => {
  it("prints each emulator's URL and demo credentials, and stops on SIGINT", async () => {
    const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
    const child = spawn(process.execPath, [cli], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ctrl+C")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`exited early with ${code}: ${output}`)));
    });
    const url = /echo\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    expect(output).toContain("clientSecret=echo-demo-secret");
    expect((await fetch(`${url}/__sandbox/stats`)).status).toBe(200);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });
});
