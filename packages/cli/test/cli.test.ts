import { spawn } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandbox, type Sandbox } from "@x/sandbox";
import { run } from "../src/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The built command, run as a process the way `npx x` runs it.
const X = fileURLToPath(new URL("../bin/x.js", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../../cfonb/test/fixtures/", import.meta.url));

function x(args: string[], env: Record<string, string> = {}) {
  // Only PATH from this process: no credential of the machine running the tests leaks into a command.
  const child = spawn(process.execPath, [X, ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("close", (code) => resolve({ code, stdout, stderr })),
  );
}

let sandbox: Sandbox<"finapi" | "inqom" | "october">;
let env: Record<string, Record<string, string>>;
beforeAll(async () => {
  sandbox = await startSandbox({ providers: ["finapi", "inqom", "october"] });
  const { finapi, inqom, october } = sandbox.demoCredentials;
  env = {
    finapi: {
      FINAPI_CLIENT_ID: finapi.clientId,
      FINAPI_CLIENT_SECRET: finapi.clientSecret,
      FINAPI_BASE_URL: sandbox.urls.finapi,
    },
    inqom: {
      INQOM_USERNAME: inqom.username,
      INQOM_PASSWORD: inqom.password,
      INQOM_CLIENT_ID: inqom.clientId,
      INQOM_CLIENT_SECRET: inqom.clientSecret,
      INQOM_BASE_URL: sandbox.urls.inqom,
    },
    october: {
      OCTOBER_USER_ID: october.userId,
      OCTOBER_SESSION_TOKEN: october.sessionToken,
      OCTOBER_BASE_URL: sandbox.urls.october,
    },
  };
});
afterAll(() => sandbox?.close());

describe("x", () => {
  it("--help lists the commands and each provider's variables; an unknown command exits 2", async () => {
    const help = await x(["--help"]);
    expect(help.code).toBe(0);
    for (const text of ["x token", "x call", "x verify-callback saltedge", "x cfonb", "FINAPI_CLIENT_ID"]) {
      expect(help.stdout).toContain(text);
    }
    expect(await x(["tokn"])).toMatchObject({
      code: 2,
      stderr: 'x: unknown command "tokn"; one of token, call, verify-callback, cfonb (x --help)\n',
    });
  });
});

describe("x token", () => {
  it("prints the expiry, never the token unless --show", async () => {
    const hidden = await x(["token", "finapi"], env.finapi);
    expect(hidden.code).toBe(0);
    expect(hidden.stdout).toMatch(/^finapi client_token: expires \d{4}-\d\d-\d\dT.+ \(in 60 min\)$/m);
    expect(hidden.stdout).toContain("token: hidden (--show prints it)");

    const shown = await x(["token", "finapi", "--show", "--json"], env.finapi);
    const { accessToken } = JSON.parse(shown.stdout) as { accessToken: string };
    // The printed token is the one the sandbox issued, and the hidden run printed none of it.
    expect(sandbox.provider("finapi").control.isTokenValid(accessToken)).toBe(true);
    expect(hidden.stdout + hidden.stderr).not.toContain(accessToken.slice(0, 12));
  });

  it("reads the scopes of a JWT", async () => {
    const { code, stdout } = await x(["token", "inqom", "--json"], env.inqom);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ provider: "inqom", scopes: expect.stringContaining("apidata") });
    expect(stdout).not.toContain("accessToken");
  });

  it("exits 2 naming the missing variable, or why a provider has no token", async () => {
    expect(await x(["token", "finapi"])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^x: FINAPI_CLIENT_ID is not set; export it for finapi .*\n$/),
    });
    expect(await x(["token", "october"], env.october)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^x: october has no token to get: it authenticates with a static session token/),
    });
    expect((await x(["token", "nope"])).stderr).toBe(
      'x: unknown provider "nope"; one of finapi, inqom, sfs, october, saltedge\n',
    );
  });
});

describe("x call", () => {
  it("makes a typed call through the pipeline: the answer on stdout, status and operationId on stderr", async () => {
    const created = await x(
      ["call", "october", "POST", "/requests", "--data", '{"code":{"type":"siren","id":"514673987"}}'],
      env.october,
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ request: { id: expect.any(String) } });
    expect(created.stderr).toMatch(/^x: POST \/requests -> 20\d \(\w+\) in \d+ ms\n$/);

    const listed = await x(["call", "october", "GET", "/requests", "--debug"], env.october);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain("x: event request.finished");
    expect(listed.stderr).not.toContain(env.october?.OCTOBER_SESSION_TOKEN);
  });

  it("calls by operationId, filling the path template from --param", async () => {
    const created = await x(
      ["call", "october", "createRequest", "--data", '{"code":{"type":"siren","id":"552100554"}}'],
      env.october,
    );
    const { request } = JSON.parse(created.stdout) as { request: { id: string } };
    const got = await x(["call", "october", "getRequest", "--param", `id=${request.id}`], env.october);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ request: { id: request.id } });
    expect(got.stderr).toMatch(/^x: GET \/requests\/\{id\} -> 200 \(getRequest\) in \d+ ms\n$/);
    expect(await x(["call", "october", "getRequest"], env.october)).toMatchObject({
      code: 2,
      stderr: "x: /requests/{id} needs --param id=...\n",
    });
    expect((await x(["call", "october", "getRequests"], env.october)).stderr).toBe(
      'x: october has no operation "getRequests"; give an operationId of its spec or METHOD /path\n',
    );
  });

  it("exits 1 when the provider refuses the call, 2 for a call it cannot make", async () => {
    // A finAPI user call with the client token: refused by the provider, its error body on stdout.
    const refused = await x(["call", "finapi", "GET", "/api/v2/accounts"], env.finapi);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^x: GET \/api\/v2\/accounts -> 40\d/);
    expect(await x(["call", "finapi", "GET", "api/v2/accounts"], env.finapi)).toMatchObject({
      code: 2,
      stderr: 'x: give the path after GET, starting with "/"\n',
    });
    expect((await x(["call", "october", "POST", "/requests", "--data", "{nope"], env.october)).code).toBe(2);
  });
});

describe("x verify-callback saltedge", () => {
  it("says whether a callback verifies, and if not, what was signed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "x-cli-"));
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const keyFile = join(dir, "saltedge.pub");
    await writeFile(keyFile, publicKey.export({ type: "spki", format: "pem" }));
    const url = "https://app.example/callbacks/success";
    const body = JSON.stringify({ data: { connection_id: "1", customer_id: "2", stage: "finish" }, meta: {} });
    const bodyFile = join(dir, "body.json");
    await writeFile(bodyFile, body);
    const signature = sign("sha256", Buffer.from(`${url}|${body}`), privateKey).toString("base64");
    const args = ["verify-callback", "saltedge", "--signature", signature, "--body-file", bodyFile];

    const good = await x([...args, "--url", url, "--public-key-file", keyFile]);
    expect(good).toMatchObject({ code: 0, stdout: "verified: a success callback (stage finish)\n" });

    // The URL with a trailing slash is not what Salt Edge signed.
    const bad = await x([...args, "--url", `${url}/`, "--public-key-file", keyFile]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^x: not verified: .+\n/);
    expect(bad.stderr).toContain(`verified here against: ${JSON.stringify(`${url}/|${body}`)}`);

    expect(await x([...args, "--url", url])).toMatchObject({
      code: 2,
      stderr: "x: give Salt Edge's callback public key with --public-key-file or SALTEDGE_CALLBACK_PUBLIC_KEY\n",
    });
  });
});

describe("x cfonb", () => {
  it("summarises a valid file", async () => {
    const { code, stdout, stderr } = await x(["cfonb", join(FIXTURES, "example.txt")]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^98765432100 \(15589 00000\) EUR: 2019-05-15 -?\d+\.\d\d -> .+ movements/m);
    expect(stderr).toMatch(/valid CFONB 120, \d+ statements?\n$/);
  });

  it("lists problems by line, also as JSON, and exits 1", async () => {
    const file = join(FIXTURES, "invalid_date.txt");
    const text = await x(["cfonb", file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^line \d+, column \d+ \(\w+\): .+$/m);
    const json = await x(["cfonb", file, "--json"]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { valid: boolean; problems: Array<{ line: number }> };
    expect(report.valid).toBe(false);
    expect(report.problems[0]?.line).toBeGreaterThan(0);
    expect(await x(["cfonb", join(FIXTURES, "missing.txt")])).toMatchObject({ code: 2 });
  });
});

describe("run (the programmatic entry)", () => {
  it("resolves with the exit code instead of exiting", async () => {
    expect(await run(["cfonb", join(FIXTURES, "example.txt")])).toBe(0);
    expect(await run(["cfonb", join(FIXTURES, "invalid_date.txt")])).toBe(1);
    expect(await run(["token", "finapi"], {})).toBe(2);
  });
});
