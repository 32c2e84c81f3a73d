import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { createCounters, failWith, json, routeTable, sameSecret } from "../emulator.js";
import type { Counters, Emulator, EmulatorRequest, RouteTable } from "../emulator.js";

export interface OctoberOptions {
  /**
   * Time between a medium going online (or a request being created, for the Manager X-Ray) and its report being
   * ready. Default 100 ms.
   */
  reportDelayMs?: number;
  /** `October-Version` values accepted; anything else gets a 400. Default: the two publicly listed versions. */
  versions?: string[];
  /**
   * The app's webhook URL: the demo business's `new_report` configuration points there, and each report that turns
   * ready is posted to it. Without it the configuration shows a placeholder URL and nothing is sent. Also settable
   * with `control.setWebhookUrl`.
   */
  webhookUrl?: string;
}

export type OctoberReportKind = "doc" | "bank" | "financial" | "esg" | "manager";

/** Headers and size of one upload the storage endpoint received, so tests can check what reached storage. */
export interface OctoberStorageUpload {
  mediumId: string;
  headers: IncomingHttpHeaders;
  size: number;
}

/** One webhook delivery posted to the app, with its answer: `status` 0 and `error` when it could not be reached. */
export interface OctoberWebhookDelivery {
  kind: "new_report";
  url: string;
  status: number;
  body: string;
  error?: string;
}

export interface OctoberControl {
  /** Every upload the storage endpoint received, in order (failed ones included). */
  readonly storageUploads: readonly OctoberStorageUpload[];
  /** The next `count` storage uploads fail: `drop` destroys the socket mid-request, `error` answers 500. */
  failUploads(count: number, mode?: "drop" | "error"): void;
  /** Reports of this kind end `failed` instead of `ready`, until reset. */
  failReports(kind: OctoberReportKind): void;
  /** Points the demo business's `new_report` configuration at the app (`GET /businesses/:id` shows it). */
  setWebhookUrl(url: string | undefined): void;
  /** The `new_report` deliveries posted so far, in order, with the app's answer. */
  callbacks(): OctoberWebhookDelivery[];
}

/** `businessId` is not a credential: it names the demo business whose webhook settings `GET /businesses/:id` shows. */
const demoCredentials = {
  userId: "64b0c0ffee00000000000001",
  sessionToken: "october-demo-session-token",
  businessId: "64b0c0ffee0000000000b001",
};
const DEFAULT_VERSIONS = ["2023-06-01", "2024-01-25"];
const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** The names and periods October's medium concept page lists. */
const MEDIUM_NAMES = new Set([
  "certified_financial_statement",
  "bank_statement",
  "interim_financial_statement",
  "other",
]);
const MEDIUM_PERIODS = new Set(["year", "month", "quarter", "semester"]);
const FINANCIAL_MEDIA = new Set(["certified_financial_statement", "interim_financial_statement"]);
const GRADES = ["A", "B", "C", "D", "E"] as const;
/** Shown until the app sets its URL, and never posted to: the sandbox stays offline. */
const PLACEHOLDER_WEBHOOK_URL = "https://example.com/october/webhooks";

interface RequestRecord {
  id: string;
  name?: string;
  code: { type: string; id: string };
  status: string;
  creator: string;
  collaborators: string[];
  notes?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

interface MediumMeta {
  name: string;
  size: number;
  type: string;
  period?: string;
  date?: string;
}

interface MediumRecord {
  id: string;
  name: string;
  type: string;
  status: "draft" | "online" | "pending_extraction";
  request: string;
  meta: MediumMeta;
  uploadedBytes?: number;
  createdAt: string;
  updatedAt: string;
}

interface ReportRecord {
  id: string;
  request: string;
  kind: OctoberReportKind;
  status: "processing" | "ready" | "failed";
  score: (typeof GRADES)[number] | null;
  media: string[];
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

interface WebhookSetting {
  url: string;
  events: string[];
  key: string;
}

interface State {
  reportDelayMs: number;
  webhooks: WebhookSetting[];
  versions: Set<string>;
  stats: Counters;
  requests: Map<string, RequestRecord>;
  media: Map<string, MediumRecord>;
  reports: Map<string, ReportRecord>;
  timers: Set<ReturnType<typeof setTimeout>>;
  storageUploads: OctoberStorageUpload[];
  uploadFailures: { count: number; mode: "drop" | "error" };
  failingKinds: Set<OctoberReportKind>;
  deliveries: OctoberWebhookDelivery[];
}

/** October's error body (modelled, see specs/october.yaml `Error`): `{ name, message, code }`. */
const fail = failWith((status, name: string, message: string) => ({ name, message, code: status }));
/** The storage endpoint stands for S3, so its errors have S3's words, not October's shape. */
const storageFail = failWith((_status, error: string, message: string) => ({ error, message }));
const objectId = () => randomBytes(12).toString("hex");
const now = () => new Date().toISOString();

function authenticate(state: State, req: EmulatorRequest): void {
  const userId = req.headers["userid"];
  const sessionToken = req.headers["sessiontoken"];
  const version = req.headers["october-version"];
  if (typeof userId !== "string" || typeof sessionToken !== "string" || typeof version !== "string") {
    const sent = { userId, sessionToken, "October-Version": version };
    const missing = Object.keys(sent).filter((name) => typeof sent[name as keyof typeof sent] !== "string");
    const error = fail(401, "NotAuthenticated", "The userId, sessionToken and October-Version headers are required.");
    throw error.withReason(`missing header${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`);
  }
  // Both compared, always, so the answer time does not tell which of the two was wrong.
  const userOk = sameSecret(userId, demoCredentials.userId);
  const tokenOk = sameSecret(sessionToken, demoCredentials.sessionToken);
  if (!userOk || !tokenOk) throw fail(401, "NotAuthenticated", "Invalid userId or sessionToken.");
  if (!state.versions.has(version)) {
    const supported = [...state.versions].join(", ");
    throw fail(400, "BadRequest", `Unsupported October-Version "${version}"; supported: ${supported}.`);
  }
}

function later(state: State, fn: () => void): void {
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    fn();
  }, state.reportDelayMs);
  timer.unref?.();
  state.timers.add(timer);
}

function startReport(state: State, request: string, kind: OctoberReportKind, mediumIds: string[]): void {
  const report: ReportRecord = {
    id: objectId(),
    request,
    kind,
    status: "processing",
    score: null,
    media: mediumIds,
    data: {},
    createdAt: now(),
    updatedAt: now(),
  };
  state.reports.set(report.id, report);
  later(state, () => {
    const failed = state.failingKinds.has(kind);
    report.status = failed ? "failed" : "ready";
    // A stable grade per request and kind, so demo output is reproducible.
    report.score = failed ? null : (GRADES[(parseInt(request.slice(-2), 16) + kind.length) % GRADES.length] ?? "C");
    report.data = failed ? { reason: "The documents could not be analysed." } : { media: mediumIds.length };
    report.updatedAt = now();
    // Only a ready report is announced: whether October also announces a failed X-Ray is not published.
    if (!failed) void deliverNewReport(state, report);
  });
}

/**
 * Posts `{ event: "new_report", data: { report } }` (specs/october.yaml `NewReportEvent`) to each configuration
 * subscribed to `new_report`. No key or signature header is sent: October says the configuration's key validates
 * deliveries but not how a delivery carries it, so the sandbox does not invent a scheme.
 */
async function deliverNewReport(state: State, report: ReportRecord): Promise<void> {
  const body = JSON.stringify({ event: "new_report", data: { report } });
  // Taken now, so a delivery still in flight when `reset()` runs lands in the forgotten list.
  const deliveries = state.deliveries;
  const subscribed = state.webhooks.filter((w) => w.events.includes("new_report") && w.url !== PLACEHOLDER_WEBHOOK_URL);
  await Promise.all(
    subscribed.map(async ({ url }) => {
      const delivery: OctoberWebhookDelivery = { kind: "new_report", url, status: 0, body };
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(5000),
        });
        delivery.status = response.status;
        await response.body?.cancel();
      } catch (error) {
        // fetch says only "fetch failed"; its cause names the network error (ECONNREFUSED, a timeout...).
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
        delivery.error = cause instanceof Error ? cause.message : String(cause);
      }
      deliveries.push(delivery);
    }),
  );
}

function checkWebhookUrl(url: string | undefined): void {
  if (url === undefined) return;
  let protocol = "";
  try {
    protocol = new URL(url).protocol;
  } catch {
    // Not a URL at all: the message below says what is expected.
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new TypeError(
      "october emulator: webhookUrl must be an absolute http(s) URL, such as http://127.0.0.1:3000/hooks.",
    );
  }
}

/** The demo business's one configuration follows the app's URL; its key stays the one generated at start. */
function setWebhookUrl(state: State, url: string | undefined): void {
  checkWebhookUrl(url);
  for (const setting of state.webhooks) setting.url = url ?? PLACEHOLDER_WEBHOOK_URL;
}

function findRequest(state: State, id: string): RequestRecord {
  const record = state.requests.get(id);
  if (!record) throw fail(404, "NotFound", `No request with id ${id}.`);
  return record;
}

function findMedium(state: State, id: string): MediumRecord {
  const record = state.media.get(id);
  if (!record) throw fail(404, "NotFound", `No medium with id ${id}.`);
  return record;
}

/**
 * `url` is the file's path on October's CDN (relative, as the medium concept page shows); the upload data of a
 * draft points at this emulator's storage endpoint instead.
 */
function mediumJson(m: MediumRecord, baseUrl: string) {
  const { uploadedBytes: _uploaded, ...visible } = m;
  const url = `requests/${m.request}/${m.id}-${m.meta.name.replace(/[^\w.-]/g, "_")}`;
  if (m.status !== "draft") return { ...visible, url };
  const upload = { url: `${baseUrl}/__storage/${m.id}`, method: "PUT", headers: { "content-type": m.meta.type } };
  return { ...visible, url, upload };
}

const routes: RouteTable<State> = {
  "POST /requests": (state, req, res) => {
    authenticate(state, req);
    const body = req.json<Partial<RequestRecord>>();
    if (typeof body.code?.type !== "string" || typeof body.code?.id !== "string" || body.code.id === "") {
      throw fail(400, "BadRequest", "code.type and code.id are required.");
    }
    const record: RequestRecord = {
      id: objectId(),
      ...(body.name === undefined ? {} : { name: body.name }),
      code: { type: body.code.type, id: body.code.id },
      status: "pending_analysis",
      creator: body.creator ?? demoCredentials.userId,
      collaborators: body.collaborators ?? [],
      ...(body.notes === undefined ? {} : { notes: body.notes }),
      createdAt: now(),
      updatedAt: now(),
    };
    state.requests.set(record.id, record);
    // The Manager X-Ray is France only and comes from the SIREN itself, not from media.
    if (record.code.type === "siren") startReport(state, record.id, "manager", []);
    json(res, 200, { request: record });
  },

  "GET /requests": (state, req, res) => {
    authenticate(state, req);
    const limit = Math.min(100, Math.max(1, Number(req.url.searchParams.get("limit") ?? 20) || 20));
    const skip = Math.max(0, Number(req.url.searchParams.get("skip") ?? 0) || 0);
    const all = [...state.requests.values()].reverse();
    json(res, 200, { requests: all.slice(skip, skip + limit), total: all.length, limit, skip });
  },

  "GET /requests/:id": (state, req, res) => {
    authenticate(state, req);
    json(res, 200, { request: findRequest(state, req.params.id ?? "") });
  },

  "POST /requests/:id": (state, req, res) => {
    authenticate(state, req);
    const record = findRequest(state, req.params.id ?? "");
    const { name, creator, collaborators, notes } = req.json<Partial<RequestRecord>>();
    if (name === undefined && creator === undefined && collaborators === undefined && notes === undefined) {
      throw fail(400, "BadRequest", "Nothing to update: give name, creator, collaborators or notes.");
    }
    Object.assign(record, {
      ...(name === undefined ? {} : { name }),
      ...(creator === undefined ? {} : { creator }),
      ...(collaborators === undefined ? {} : { collaborators }),
      ...(notes === undefined ? {} : { notes }),
      updatedAt: now(),
    });
    json(res, 200, { request: record });
  },

  "GET /requests/:id/reports": (state, req, res) => {
    authenticate(state, req);
    const request = findRequest(state, req.params.id ?? "").id;
    const kind = req.url.searchParams.get("kind");
    const wanted = (r: ReportRecord) => r.request === request && (kind === null || r.kind === kind);
    const reports = [...state.reports.values()].filter(wanted);
    json(res, 200, { reports });
  },

  "GET /reports/:id": (state, req, res) => {
    authenticate(state, req);
    const report = state.reports.get(req.params.id ?? "");
    if (!report) throw fail(404, "NotFound", `No report with id ${req.params.id}.`);
    json(res, 200, { report });
  },

  "POST /media": (state, req, res, ctx) => {
    authenticate(state, req);
    const body = req.json<Partial<MediumRecord>>();
    findRequest(state, body.request ?? "");
    if (!MEDIUM_NAMES.has(body.name ?? "")) {
      throw fail(400, "BadRequest", `name must be one of ${[...MEDIUM_NAMES].join(", ")}.`);
    }
    const meta = body.meta;
    const named = typeof meta?.name === "string" && typeof meta.type === "string";
    if (!named || !Number.isInteger(meta.size) || meta.size < 1) {
      throw fail(400, "BadRequest", "meta.name, meta.type and a positive integer meta.size are required.");
    }
    if (meta.size > MAX_FILE_BYTES) throw fail(413, "PayloadTooLarge", "Files are limited to 20 MB.");
    const record: MediumRecord = {
      id: objectId(),
      name: body.name as string,
      type: body.type ?? "document",
      status: "draft",
      request: body.request as string,
      meta: { name: meta.name, size: meta.size, type: meta.type },
      createdAt: now(),
      updatedAt: now(),
    };
    state.media.set(record.id, record);
    json(res, 200, { medium: mediumJson(record, ctx.baseUrl) });
  },

  "GET /media/:id": (state, req, res, ctx) => {
    authenticate(state, req);
    json(res, 200, { medium: mediumJson(findMedium(state, req.params.id ?? ""), ctx.baseUrl) });
  },

  "POST /media/:id": (state, req, res, ctx) => {
    authenticate(state, req);
    const record = findMedium(state, req.params.id ?? "");
    const body = req.json<{ status?: string; meta?: Partial<MediumMeta> }>();
    if (body.status !== "online") throw fail(400, "BadRequest", 'status must be "online".');
    const { period, date } = body.meta ?? {};
    if (period !== undefined && !MEDIUM_PERIODS.has(period)) {
      throw fail(400, "BadRequest", `meta.period must be one of ${[...MEDIUM_PERIODS].join(", ")}.`);
    }
    if (record.status === "online") throw fail(400, "BadRequest", "The medium is already online.");
    // Online without bytes would start an X-Ray on nothing: the real API has the object in storage by then.
    if (record.uploadedBytes !== record.meta.size) {
      const got = record.uploadedBytes ?? 0;
      const size = `expected ${record.meta.size} bytes, got ${got}`;
      throw fail(400, "BadRequest", `The medium's file is not in storage (${size}); upload it first.`);
    }
    // The file's own name, size and type stay as created: only the period and date are taken from the update.
    Object.assign(record.meta, { ...(period ? { period } : {}), ...(typeof date === "string" ? { date } : {}) });
    Object.assign(record, { status: "online", updatedAt: now() });
    startReport(state, record.request, "doc", [record.id]);
    if (record.name === "bank_statement") startReport(state, record.request, "bank", [record.id]);
    if (FINANCIAL_MEDIA.has(record.name)) startReport(state, record.request, "financial", [record.id]);
    const hasEsg = [...state.reports.values()].some((r) => r.request === record.request && r.kind === "esg");
    if (!hasEsg) startReport(state, record.request, "esg", [record.id]);
    json(res, 200, { medium: mediumJson(record, ctx.baseUrl) });
  },

  // Only the webhook settings of the business are published; each key is generated here, as October does.
  "GET /businesses/:id": (state, req, res) => {
    authenticate(state, req);
    const id = req.params.id ?? "";
    if (id !== demoCredentials.businessId) throw fail(404, "NotFound", `No business with id ${id}.`);
    json(res, 200, { business: { id, settings: { webhooks: state.webhooks } } });
  },

  // Sandbox-only, not October's API (the configuration is edited in October's web app): lets an app that sees only
  // the sandbox URL receive the webhooks. `{ "url": null }` stops the deliveries.
  "PUT /__webhook_url": (state, req, res) => {
    authenticate(state, req);
    const { url } = req.json<{ url?: string | null }>();
    if (url !== null && typeof url !== "string") throw fail(400, "BadRequest", "url must be a string or null.");
    try {
      setWebhookUrl(state, url ?? undefined);
    } catch (error) {
      throw fail(400, "BadRequest", (error as Error).message);
    }
    json(res, 200, { webhooks: state.webhooks });
  },

  // Storage (S3 in production): authorised by the URL alone, so it never looks at October's headers.
  "PUT /__storage/:id": (state, req, res) => {
    const record = findMedium(state, req.params.id ?? "");
    state.storageUploads.push({ mediumId: record.id, headers: { ...req.headers }, size: req.body.length });
    if (state.uploadFailures.count > 0) {
      state.uploadFailures.count--;
      if (state.uploadFailures.mode === "drop") {
        res.socket?.destroy();
        return;
      }
      throw storageFail(500, "InternalError", "injected storage failure");
    }
    if (record.status !== "draft") throw storageFail(403, "AccessDenied", "The upload URL is no longer valid.");
    if (req.body.length !== record.meta.size) {
      throw storageFail(400, "IncompleteBody", `Expected ${record.meta.size} bytes, got ${req.body.length}.`);
    }
    record.uploadedBytes = req.body.length;
    res.writeHead(200, { etag: `"${record.id}"` }).end();
  },
};

/** What `reset()` forgets: every resource, pending report timer, recorded upload and switch. */
function clear(state: State): void {
  for (const timer of state.timers) clearTimeout(timer);
  state.timers.clear();
  state.requests.clear();
  state.media.clear();
  state.reports.clear();
  state.storageUploads = [];
  state.uploadFailures = { count: 0, mode: "drop" };
  state.failingKinds = new Set();
  state.deliveries = [];
}

/**
 * The Risk Assessment API: the `userId` / `sessionToken` / `October-Version` header set on every call (401 when
 * any is missing or the pair is wrong, 400 for an unknown version), requests, the three-step media upload with
 * its own storage endpoint (`PUT /__storage/:id`, which like S3 needs no October header), X-Ray reports that
 * turn ready `reportDelayMs` after their trigger, and the demo business's webhook settings (one `new_report`
 * configuration with its key). Once the app's URL is set (`options.webhookUrl`, `control.setWebhookUrl` or the
 * sandbox-only `PUT /__webhook_url { "url" }`), each ready report is posted to it as a `new_report` event,
 * unsigned, and `control.callbacks()` records the app's answer. October issues no tokens, so `tokensIssued` stays
 * empty.
 */
export const october: Emulator<OctoberOptions, OctoberControl, typeof demoCredentials> = {
  name: "october",
  demoCredentials,
  create(options = {}) {
    checkWebhookUrl(options.webhookUrl);
    const state: State = {
      reportDelayMs: options.reportDelayMs ?? 100,
      webhooks: [
        {
          url: options.webhookUrl ?? PLACEHOLDER_WEBHOOK_URL,
          events: ["new_report"],
          key: randomBytes(24).toString("hex"),
        },
      ],
      versions: new Set(options.versions ?? DEFAULT_VERSIONS),
      stats: createCounters(),
      requests: new Map(),
      media: new Map(),
      reports: new Map(),
      timers: new Set(),
      storageUploads: [],
      uploadFailures: { count: 0, mode: "drop" },
      failingKinds: new Set(),
      deliveries: [],
    };
    return {
      handle: routeTable(routes, state),
      stats: state.stats,
      control: {
        get storageUploads() {
          return state.storageUploads;
        },
        failUploads(count, mode = "drop") {
          state.uploadFailures = { count, mode };
        },
        failReports(kind) {
          state.failingKinds.add(kind);
        },
        setWebhookUrl: (url) => setWebhookUrl(state, url),
        callbacks: () => [...state.deliveries],
      },
      reset() {
        clear(state);
        setWebhookUrl(state, options.webhookUrl);
      },
    };
  },
};
