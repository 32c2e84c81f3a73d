import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { json, startTestServer, type TestServer } from "@x/testing";

const workerPath = fileURLToPath(new URL("../fixtures/worker.mjs", import.meta.url));

export interface TokenServerOptions {
  /** Seconds of validity of each issued token. */
  expiresIn?: number;
  /** Delay of each token answer, so concurrent cold requests really overlap. */
  tokenDelayMs?: number;
  /** Never answer the first token request: its sender holds the lock until it dies. */
  hangFirst?: boolean;
}

/** The token endpoint and one protected route, shared by every worker; it counts what it issues and who asked. */
export async function startTokenServer(
  options: TokenServerOptions = {},
): Promise<TestServer & { tokenRequests: () => string[] }> {
  const issued = new Map<string, number>();
  let count = 0;
  const server = await startTestServer(async (req, res) => {
    if (req.path === "/token") {
      count++;
      if (options.hangFirst && count === 1) return new Promise(() => {});
      if (options.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, options.tokenDelayMs));
      const token = `tok-${count}-${crypto.randomUUID()}`;
      const expiresIn = options.expiresIn ?? 3600;
      issued.set(token, Date.now() + expiresIn * 1000);
      return json(res, 200, { access_token: token, expires_in: expiresIn });
    }
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1] ?? "";
    const expiresAt = issued.get(token);
    if (expiresAt === undefined || expiresAt < Date.now()) return json(res, 401, { error: "invalid_token" });
    return json(res, 200, { ok: true });
  });
  return Object.assign(server, {
    tokenRequests: () => server.requests.filter((r) => r.path === "/token").map((r) => String(r.headers["x-worker"])),
  });
}

export interface WorkerConfig {
  id: string;
  redisUrl: string;
  apiUrl: string;
  prefix: string;
  store?: Record<string, unknown>;
  cache?: Record<string, unknown>;
}

export interface Worker {
  id: string;
  send<T = Record<string, unknown>>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  kill(): void;
  exit(): Promise<void>;
  warnings(): { message: string }[];
}

/** Starts one fleet instance as a child process running the built packages. */
export function startWorker(config: WorkerConfig): Worker {
  const child: ChildProcess = spawn(process.execPath, [workerPath], {
    env: { ...process.env, WORKER_CONFIG: JSON.stringify(config) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  const logs: { level: string; message: string }[] = [];
  let nextId = 0;
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const message = JSON.parse(line);
    if (message.log) return void logs.push(message.log);
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.result as never);
  });
  child.once("exit", (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`worker ${config.id} exited (${code ?? signal})`));
  });
  return {
    id: config.id,
    send(cmd, args = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.stdin!.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
      });
    },
    kill: () => void child.kill("SIGKILL"),
    async exit() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin!.write(`${JSON.stringify({ cmd: "exit" })}\n`);
      await exited;
    },
    warnings: () => logs.filter((l) => l.level === "warn"),
  };
}
