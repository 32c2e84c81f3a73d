// Hostile servers and auth rejection checks: a check that reads the body of an error answer used to read a clone of
// the response; when the deadline (or the caller) aborted while the answer was read, undici rejected the clone's tee
// branch with nobody listening, an unhandled rejection that ends a Node process. The body is now read once, bounded,
// and the check and the caller get the same bytes.
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, TimeoutError, staticHeadersAuth, type RejectionCheck } from "../src/index.js";
import { clientOfServer, type TestServer } from "./helpers.js";

type Paths = { "/things": { get: { responses: { 200: { content: { "application/json": unknown } } } } } };
const servers: TestServer[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  timers.splice(0).forEach(clearInterval);
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const client = (handler: (res: ServerResponse) => void, isRejected: RejectionCheck) =>
  clientOfServer<Paths>(servers, handler, {
    auth: staticHeadersAuth({ headers: { "x-api-key": "k-123456789" }, isRejected }),
  });

/** A 403 whose JSON body starts, then trickles a byte every 50 ms, never ending. */
function trickling403(res: ServerResponse) {
  res.writeHead(403, { "content-type": "application/json" });
  res.write('{"error":"for');
  const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write("b")), 50);
  timers.push(timer);
}

/** Runs `call` and collects the unhandled rejections seen until a while after it settled. */
async function unhandledDuring(call: () => Promise<unknown>) {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", listener);
  try {
    const outcome = await call().then(
      () => undefined,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { outcome, unhandled };
  } finally {
    process.off("unhandledRejection", listener);
  }
}

describe("a rejection check that reads the body", () => {
  const byBody: RejectionCheck = async (response, body) =>
    response.status === 403 && ((await body()) as { error?: string } | undefined)?.error === "invalid_token";
  const byJson: RejectionCheck = async (response) =>
    response.status === 403 && (await response.text()).includes("invalid_token");

  for (const [name, check] of [
    ["body()", byBody],
    ["response.text()", byJson],
  ] as const) {
    it(`through ${name}, cut by the deadline, is a TimeoutError and no unhandled rejection`, async () => {
      const api = await client(trickling403, check);
      const { outcome, unhandled } = await unhandledDuring(() => api.unwrap(api.GET("/things")));
      expect(outcome).toBeInstanceOf(TimeoutError);
      expect(unhandled).toEqual([]);
    });
  }

  it("and finds no rejection hands the caller the same body", async () => {
    const api = await client((res) => {
      res.writeHead(403, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "forbidden", detail: "not your account" }));
    }, byBody);
    const error = await api.unwrap(api.GET("/things")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).body).toEqual({ error: "forbidden", detail: "not your account" });
    const { error: typed } = await api.GET("/things");
    expect(typed).toEqual({ error: "forbidden", detail: "not your account" });
  });
});
