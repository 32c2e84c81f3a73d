import { AbortError, ConfigurationError, TimeoutError, requirePositiveNumber, type ProviderClient } from "@x/core";
import { PROVIDER, ReportFailedError } from "./errors.js";
import { listReports } from "./generated/operations.js";
import type { paths } from "./generated/schema.js";
import type { Report, ReportKind } from "./generated/types.js";

export interface WaitForReportOptions {
  /** Give up after this long. Default 600 000 (10 min): October says X-Rays take minutes. */
  timeoutMs?: number;
  /** Stops waiting with an `AbortError`. */
  signal?: AbortSignal;
  /** First wait between polls. Default 2 000. */
  intervalMs?: number;
  /** Longest wait between polls; each wait is 1.5 times the previous one up to this. Default 30 000. */
  maxIntervalMs?: number;
}

const REPORT_KINDS: ReadonlySet<string> = new Set<ReportKind>(["doc", "bank", "financial", "esg", "manager"]);

/**
 * Polls a request's reports of one X-Ray kind until the newest is `ready` and returns it. Waits grow
 * by half each time, so a slow X-Ray costs a few requests rather than one every interval; the last wait
 * is cut to the deadline, so the call never outlives `timeoutMs` by more than one request.
 *
 * What it relies on that October does not publish (all `x-unconfirmed` in the spec): the endpoint
 * `GET /requests/{id}/reports?kind=` answering `{ reports }` oldest first, each report's `kind` and its `status`
 * going from `processing` to `ready` or `failed`. October's guides only say X-Rays take minutes and that the
 * `new_report` webhook announces each new report: prefer the webhook where you can receive it.
 */
export async function waitForReport(
  client: ProviderClient<paths>,
  requestId: string,
  kind: ReportKind,
  options: WaitForReportOptions = {},
): Promise<Report> {
  if (!REPORT_KINDS.has(kind)) {
    const kinds = [...REPORT_KINDS].join(", ");
    throw new ConfigurationError(`kind must be one of ${kinds}.`, { option: "kind", provider: PROVIDER });
  }
  const positive = (value: number | undefined, option: string, fallback: number) =>
    value === undefined ? fallback : requirePositiveNumber(value, option, PROVIDER);
  const timeoutMs = positive(options.timeoutMs, "timeoutMs", 600_000);
  let intervalMs = positive(options.intervalMs, "intervalMs", 2_000);
  const maxIntervalMs = positive(options.maxIntervalMs, "maxIntervalMs", 30_000);

  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let lastStatus = "no report yet";
  const timedOut = () =>
    new TimeoutError(
      `october: the ${kind} X-Ray of request ${requestId} was not ready after ${timeoutMs} ms (${lastStatus}); ` +
        `X-Rays take minutes: raise timeoutMs or listen for the new_report webhook.`,
      { provider: PROVIDER, code: "REPORT_TIMEOUT", timeoutMs },
    );

  for (;;) {
    let reports: Report[];
    try {
      ({ reports } = await listReports(client, { id: requestId, kind }, { signal }));
    } catch (error) {
      // Our deadline reaches a poll in flight as an abort of its signal; the caller should see a timeout.
      if (deadline.aborted && !options.signal?.aborted) throw timedOut();
      throw error;
    }
    const newest = reports.filter((r) => r.kind === kind).at(-1);
    if (newest?.status === "ready") return newest;
    if (newest?.status === "failed") {
      throw new ReportFailedError(
        `october: the ${kind} X-Ray of request ${requestId} failed (report ${newest.id}); ` +
          `see error.report.data, then upload better documents or contact October.`,
        newest,
      );
    }
    if (newest) lastStatus = `last status: ${newest.status}`;
    await pause(intervalMs, signal);
    if (options.signal?.aborted) {
      throw new AbortError(
        `october: waiting for the ${kind} X-Ray of request ${requestId} was aborted by the caller's signal.`,
        { provider: PROVIDER, code: "ABORTED", cause: options.signal.reason },
      );
    }
    if (deadline.aborted) throw timedOut();
    intervalMs = Math.min(maxIntervalMs, intervalMs * 1.5);
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts: the caller checks which happened. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
