import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A redis-server child on a loopback port, which tests may stop and start again on the same port. */
export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

function onPath(binary: string): string | undefined {
  try {
    return execFileSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * REDIS_SERVER, else redis-server on PATH, else (as root) apt-get install it. No redis-server is a
 * failure, never a skip: these tests are the only proof that the fleet shares one token.
 */
export function findRedisServer(): string {
  if (process.env.REDIS_SERVER) return process.env.REDIS_SERVER;
  const found = onPath("redis-server");
  if (found) return found;
  if (process.getuid?.() === 0 && onPath("apt-get")) {
    execFileSync("sh", ["-c", "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server"], {
      stdio: "inherit",
    });
    const installed = onPath("redis-server");
    if (installed) return installed;
  }
  throw new Error(
    "redis-server not found: install it (apt-get install redis-server, brew install redis) " +
      "or set REDIS_SERVER to its path. The @x/token-store-redis tests need a real Redis.",
  );
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, up: boolean, timeoutMs = 5_000): Promise<void> {
  const { connect } = await import("node:net");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open === up) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server on port ${port} did not ${up ? "start" : "stop"} within ${timeoutMs} ms`);
}

/** Starts redis-server without persistence, so a restart comes back empty like a fresh node. */
export async function startRedisServer(binary: string, port?: number): Promise<RedisServer> {
  const chosen = port ?? (await freePort());
  let child: ChildProcess | undefined;
  const server: RedisServer = {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    async start() {
      child = spawn(binary, ["--port", String(chosen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
        stdio: "ignore",
      });
      await waitForPort(chosen, true);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGKILL");
      await exited;
      await waitForPort(chosen, false);
    },
  };
  await server.start();
  return server;
}
