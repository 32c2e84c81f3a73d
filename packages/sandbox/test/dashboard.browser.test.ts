import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { startSandbox } from "../src/index.js";

// Debian's Chromium (`apt-get install -y chromium`, as .ci/run does): no browser can be downloaded here.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const ARTIFACTS = fileURLToPath(new URL("../artifacts/", import.meta.url));
if (!hasChromium) {
  console.warn(
    `dashboard browser test SKIPPED: no Chromium at ${CHROMIUM}; install it with apt-get install -y chromium`,
  );
}

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describe("dashboard in Chromium", () => {
  it.skipIf(!hasChromium)(
    "shows requests, a Salt Edge signature refusal and an injected 503, and a fault set from the page applies",
    async () => {
      const sandbox = await startSandbox({ providers: ["echo", "saltedge"], dashboard: true });
      const profile = await mkdtemp(join(tmpdir(), "x-sandbox-chromium-"));
      const browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
        viewport: { width: 1400, height: 1000 },
      });
      try {
        const page = browser.pages()[0] ?? (await browser.newPage());
        await page.goto(sandbox.dashboardUrl as string);
        await page.locator("#status[data-state=live]").waitFor();

        // The flow: a token, a Salt Edge request whose signature does not verify, then an injected 503.
        const echo = sandbox.urls.echo as string;
        const token = () =>
          fetch(`${echo}/oauth/token`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "grant_type=client_credentials&client_id=echo-demo-client&client_secret=echo-demo-secret",
          });
        expect((await token()).status).toBe(200);
        const app = sandbox.demoCredentials.saltedge as Record<string, string>;
        // Whichever API version the emulator speaks: v6 reads App-id and Secret, v3 Client-id and App-secret.
        const saltedge = await fetch(`${sandbox.urls.saltedge}/customers`, {
          headers: {
            "app-id": app.appId ?? "",
            secret: app.secret ?? "",
            "client-id": app.clientId ?? "",
            "app-secret": app.appSecret ?? "",
            "expires-at": String(Math.floor(Date.now() / 1000) + 600),
            signature: Buffer.from("not the signature of this request").toString("base64"),
          },
        });
        expect(saltedge.status).toBe(401);
        sandbox.provider("echo").setFaults({ failNext: { status: 503, count: 1, retryAfter: 1 } });
        expect((await token()).status).toBe(503);

        const rows = page.locator("#requests tbody tr");
        await expect.poll(() => rows.count()).toBe(3);
        const refusal = page.locator('#requests tr[data-provider="saltedge"]');
        await expect.poll(() => refusal.locator("td.status").textContent()).toBe("401");
        expect(await refusal.locator("td.reason").textContent()).toMatch(/SignatureNotMatch/);
        expect(await refusal.locator("td.path").textContent()).toBe("/customers");
        const injected = page.locator('#requests tr[data-status="503"]');
        expect(await injected.locator("td.reason").textContent()).toBe(
          "injected 503 by the sandbox (failNext, Retry-After 1)",
        );
        expect(await page.locator("#tokens tbody tr").first().textContent()).toContain("issued");

        // A fault set from the page: the next echo call fails with it, the one after is served again.
        const card = page.locator('.provider[data-provider="echo"]');
        await card.locator("input[name=status]").fill("502");
        await card.locator("input[name=count]").fill("1");
        await card.locator("button.apply").click();
        await expect.poll(() => card.locator(".faults-in-force").textContent()).toBe("In force: next 1 fail with 502");
        expect((await token()).status).toBe(502);
        expect((await token()).status).toBe(200);
        await expect.poll(() => rows.count()).toBe(5);
        expect(await rows.nth(1).locator("td.status").textContent()).toBe("502");
        expect(await card.locator(".faults-in-force").textContent()).toBe("No faults.");
        // Nothing secret is rendered: demo credentials are masked.
        expect(await page.content()).not.toContain("echo-demo-secret");

        await mkdir(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });
      } finally {
        await browser.close();
        await sandbox.close();
        await rm(profile, { recursive: true, force: true });
      }
    },
    30_000,
  );
});
