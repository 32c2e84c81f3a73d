import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

// The built CLI, as `npx x-sandbox` runs it: the dashboard page must come from the package's dist/ too.
const CLI = fileURLToPath(new URL("../bin/x-sandbox.js", import.meta.url));
const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill("SIGTERM");
});

/** Starts x-sandbox and resolves with its output once it is ready (`ready` seen) or with its exit code. */
function start(args: string[], ready: (stdout: string) => boolean) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  running.push(child);
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (ready(stdout)) resolve({ stdout, stderr, code: null });
    });
    child.once("exit", (code) => resolve({ stdout, stderr, code }));
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe("x-sandbox CLI", () => {
  it("--help documents the options and exits 0", async () => {
    const { stdout, code } = await start(["--help"], () => false);
    expect(code).toBe(0);
    for (const option of ["--providers", "--port", "--ports", "--host", "--dashboard-port", "--json"]) {
      expect(stdout).toContain(option);
    }
  });

  it("--json prints one line with each started provider's URL and credentials, PEM keys intact", async () => {
    const { stdout } = await start(["--providers", "echo,saltedge", "--json"], (out) => out.includes("\n"));
    const printed = JSON.parse(stdout.split("\n")[0] as string) as {
      dashboard: string;
      providers: Record<string, { url: string; demoCredentials: Record<string, string> }>;
    };
    expect(Object.keys(printed.providers)).toEqual(["echo", "saltedge"]);
    expect(printed.providers.echo?.demoCredentials.clientSecret).toBe("echo-demo-secret");
    expect(printed.providers.saltedge?.demoCredentials.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    // The dashboard page is served from the built package.
    const page = await fetch(printed.dashboard);
    expect(await page.text()).toContain("<title>x-sandbox dashboard</title>");
    expect((await fetch(`${printed.dashboard}dashboard.css`)).status).toBe(200);
  });

  it("prints one table line per provider (a PEM key summarised) and honours fixed --ports", async () => {
    const port = await freePort();
    const { stdout } = await start(["--providers", "saltedge,echo", "--ports", `echo=${port}`], (out) =>
      out.includes("Ctrl+C"),
    );
    const lines = stdout.split("\n");
    expect(lines.filter((line) => /^ {2}\S/.test(line)).map((line) => line.trim().split(/\s+/)[0])).toEqual([
      "saltedge",
      "echo",
    ]);
    expect(stdout).not.toContain("-----BEGIN");
    expect(stdout).toMatch(/privateKey=<PEM private key, \d+ lines: --json prints it>/);
    expect(stdout).toContain(`echo         http://127.0.0.1:${port} `);
    expect(stdout).toMatch(/^x-sandbox: dashboard at http:\/\/127\.0\.0\.1:\d+\/$/m);
  });

  it("exits 2 with one line naming the fix for a bad option, 1 when a port is taken", async () => {
    const unknown = await start(["--providers", "echo,nope"], () => false);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^x-sandbox: unknown provider "nope"; available: echo, .+\n$/);
    const badPort = await start(["--port", "70000"], () => false);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toBe('x-sandbox: --port must be an integer in 0..65535, got "70000"\n');
    const typo = await start(["--prots", "1"], () => false);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^x-sandbox: Unknown option '--prots'.*\(see x-sandbox --help\)\n$/);

    const port = await freePort();
    const holder = await start(["--providers", "echo", "--ports", `echo=${port}`], (out) => out.includes("Ctrl+C"));
    expect(holder.code).toBeNull();
    const taken = await start(["--providers", "echo", "--ports", `echo=${port}`], () => false);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(`x-sandbox: port ${port} is in use; pick another with --port or --ports\n`);
  });
});
