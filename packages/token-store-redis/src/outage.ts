import type { Logger } from "@x/core";

/** What `run` returns when Redis failed or did not answer in time. */
export const UNAVAILABLE: unique symbol = Symbol("redis unavailable");

export interface OutageGuardOptions {
  timeoutMs: number;
  probeIntervalMs: number;
  /** A cheap command (PING) that tells whether Redis answers again. */
  probe: () => Promise<unknown>;
  logger: Logger;
  /** Called when Redis answers again after an outage. */
  onRecover: () => void;
}

export interface OutageGuard {
  /** True between the first failed command and the first successful probe. */
  readonly down: boolean;
  /**
   * Runs a Redis command with a deadline. While Redis is down it returns `UNAVAILABLE` at once
   * without trying, so an outage adds no latency to requests; a background probe ends the outage.
   */
  run<T>(command: () => Promise<T>): Promise<T | typeof UNAVAILABLE>;
  close(): void;
}

/**
 * Turns Redis failures into a mode instead of errors: the first failure logs one warning and
 * starts probing; requests meanwhile are served by the in-process tier; the first answer to a
 * probe logs once more and hands back to Redis. One warning per outage, not one per request.
 */
export function createOutageGuard(options: OutageGuardOptions): OutageGuard {
  let down = false;
  let closed = false;
  let probeTimer: ReturnType<typeof setTimeout> | undefined;

  async function withDeadline<T>(
    command: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const pending = Promise.resolve().then(command);
    // The command may still settle after the deadline; its rejection must not become unhandled.
    pending.catch(() => {});
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
    });
    try {
      return { ok: true, value: await Promise.race([pending, deadline]) };
    } catch (error) {
      return { ok: false, error };
    } finally {
      clearTimeout(timer);
    }
  }

  function scheduleProbe() {
    if (closed) return;
    probeTimer = setTimeout(async () => {
      const answer = await withDeadline(options.probe);
      if (closed) return;
      if (!answer.ok) return scheduleProbe();
      down = false;
      options.onRecover();
      options.logger.info("Redis token store answers again; tokens are shared through Redis again");
    }, options.probeIntervalMs);
    // A probe must not keep a process alive that has nothing else to do.
    probeTimer.unref?.();
  }

  return {
    get down() {
      return down;
    },
    async run(command) {
      if (down) return UNAVAILABLE;
      const answer = await withDeadline(command);
      if (answer.ok) return answer.value;
      if (!down) {
        down = true;
        options.logger.warn(
          "Redis token store unreachable; tokens are cached in this process only until Redis answers again",
          {
            error: describeRedisError(answer.error),
            retryEveryMs: options.probeIntervalMs,
          },
        );
        scheduleProbe();
      }
      return UNAVAILABLE;
    },
    close() {
      closed = true;
      clearTimeout(probeTimer);
    },
  };
}

/**
 * Name, code and message of a client error: enough to diagnose (ECONNREFUSED, WRONGPASS, a timeout)
 * without the error object itself, whose fields (the command and its arguments) could hold a token.
 */
export function describeRedisError(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  const code = (error as Error & { code?: unknown }).code;
  return `${error.name}${typeof code === "string" ? ` ${code}` : ""}: ${error.message}`.slice(0, 300);
}
