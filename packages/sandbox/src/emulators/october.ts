import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { HttpError, createCounters, createRouter, json, type Emulator, type EmulatorRequest } from "../emulator.js";

export interface OctoberOptions {
  /** Time between a medium going online (or a request being created, for the Manager X-Ray) and its report being ready. Default 100 ms. */
  reportDelayMs?: number;
  /** `October-Version` values accepted; anything else gets a 400. Default: the two publicly listed versions. */
  versions?: string[];
}

export type OctoberReportKind = "doc" | "bank" | "financial" | "esg" | "manager";

/** Headers and size of one upload the storage endpoint received, so tests can check what reached storage. */
export interface OctoberStorageUpload {
  mediumId: string;
  headers: IncomingHttpHeaders;
  size: number;
}

export interface OctoberControl {
  /** Every upload the storage endpoint received, in order (failed ones included). */
  readonly storageUploads: readonly OctoberStorageUpload[];
  /** The next `count` storage uploads fail: `drop` destroys the socket mid-request, `error` answers 500. */
  failUploads(count: number, mode?: "drop" | "error"): void;
  /** Reports of this kind end `failed` instead of `ready`, until reset. */
  failReports(kind: OctoberReportKind): void;
}

const demoCredentials = { userId: "64b0c0ffee00000000000001", sessionToken: "october-demo-session-token" };
const DEFAULT_VERSIONS = ["2023-06-01", "2024-01-25"];
const MAX_FILE_BYTES = 20 * 1024 * 1024;
const MEDIUM_NAMES = new Set(["bank_statement", "balance_sheet", "income_statement", "tax_return", "kbis", "id_document", "other"]);
const FINANCIAL_MEDIA = new Set(["balance_sheet", "income_statement", "tax_return"]);
const GRADES = ["A", "B", "C", "D", "E"] as const;

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

interface MediumRecord {
  id: string;
  name: string;
  type: string;
  status: "draft" | "online";
  request: string;
  meta: { name: string; size: number; type: string };
  uploadedBytes?: number;
  period?: { start: string; end: string };
  date?: string;
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

/** October's error body (modelled, see specs/october.yaml `Error`): `{ name, message, code }`. */
const fail = (status: number, name: string, message: string) => new HttpError(status, { name, message, code: status });
const objectId = () => randomBytes(12).toString("hex");
const now = () => new Date().toISOString();

function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? "");
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The Risk Assessment API: the `userId` / `sessionToken` / `October-Version` header set on every call (401 when
 * any is missing or the pair is wrong, 400 for an unknown version), requests, the three-step media upload with
 * its own storage endpoint (`PUT /__storage/:id`, which like S3 needs no October header), and X-Ray reports that
 * turn ready `reportDelayMs` after their trigger. October issues no tokens, so `tokensIssued` stays empty.
 */
export const october: Emulator<OctoberOptions, OctoberControl> = {
  name: "october",
  demoCredentials,
  create(options = {}) {
    const reportDelayMs = options.reportDelayMs ?? 100;
    const versions = new Set(options.versions ?? DEFAULT_VERSIONS);
    const stats = createCounters();
    const router = createRouter();
    const requests = new Map<string, RequestRecord>();
    const media = new Map<string, MediumRecord>();
    const reports = new Map<string, ReportRecord>();
    const timers = new Set<ReturnType<typeof setTimeout>>();
    let storageUploads: OctoberStorageUpload[] = [];
    let uploadFailures: { count: number; mode: "drop" | "error" } = { count: 0, mode: "drop" };
    let failingKinds = new Set<OctoberReportKind>();

    const authenticate = (req: EmulatorRequest) => {
      const userId = req.headers["userid"];
      const sessionToken = req.headers["sessiontoken"];
      const version = req.headers["october-version"];
      if (typeof userId !== "string" || typeof sessionToken !== "string" || typeof version !== "string") {
        throw fail(401, "NotAuthenticated", "The userId, sessionToken and October-Version headers are required.");
      }
      // Both compared, always, so the answer time does not tell which of the two was wrong.
      const userOk = sameSecret(userId, demoCredentials.userId);
      const tokenOk = sameSecret(sessionToken, demoCredentials.sessionToken);
      if (!userOk || !tokenOk) throw fail(401, "NotAuthenticated", "Invalid userId or sessionToken.");
      if (!versions.has(version)) {
        throw fail(400, "BadRequest", `Unsupported October-Version "${version}"; supported: ${[...versions].join(", ")}.`);
      }
    };

    const later = (fn: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, reportDelayMs);
      timer.unref?.();
      timers.add(timer);
    };

    const startReport = (request: string, kind: OctoberReportKind, mediumIds: string[]) => {
      const report: ReportRecord = { id: objectId(), request, kind, status: "processing", score: null, media: mediumIds, data: {}, createdAt: now(), updatedAt: now() };
      reports.set(report.id, report);
      later(() => {
        const failed = failingKinds.has(kind);
        report.status = failed ? "failed" : "ready";
        // A stable grade per request and kind, so demo output is reproducible.
        report.score = failed ? null : (GRADES[(parseInt(request.slice(-2), 16) + kind.length) % GRADES.length] ?? "C");
        report.data = failed ? { reason: "The documents could not be analysed." } : { media: mediumIds.length };
        report.updatedAt = now();
      });
    };

    const findRequest = (id: string) => {
      const record = requests.get(id);
      if (!record) throw fail(404, "NotFound", `No request with id ${id}.`);
      return record;
    };
    const findMedium = (id: string) => {
      const record = media.get(id);
      if (!record) throw fail(404, "NotFound", `No medium with id ${id}.`);
      return record;
    };
    const mediumJson = (m: MediumRecord, baseUrl: string) => {
      const { uploadedBytes: _uploaded, ...visible } = m;
      const url = `${baseUrl}/__storage/${m.id}`;
      return m.status === "draft" ? { ...visible, url, upload: { url, method: "PUT", headers: { "content-type": m.meta.type } } } : { ...visible, url };
    };

    router.on("POST", "/requests", (req, res) => {
      authenticate(req);
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
      requests.set(record.id, record);
      // The Manager X-Ray is France only and comes from the SIREN itself, not from media.
      if (record.code.type === "siren") startReport(record.id, "manager", []);
      json(res, 200, { request: record });
    });

    router.on("GET", "/requests", (req, res) => {
      authenticate(req);
      const limit = Math.min(100, Math.max(1, Number(req.url.searchParams.get("limit") ?? 20) || 20));
      const skip = Math.max(0, Number(req.url.searchParams.get("skip") ?? 0) || 0);
      const all = [...requests.values()].reverse();
      json(res, 200, { requests: all.slice(skip, skip + limit), total: all.length, limit, skip });
    });

    router.on("GET", "/requests/:id", (req, res) => {
      authenticate(req);
      json(res, 200, { request: findRequest(req.params.id ?? "") });
    });

    router.on("POST", "/requests/:id", (req, res) => {
      authenticate(req);
      const record = findRequest(req.params.id ?? "");
      const body = req.json<Partial<RequestRecord>>();
      const { name, creator, collaborators, notes } = body;
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
    });

    router.on("GET", "/requests/:id/reports", (req, res) => {
      authenticate(req);
      const request = findRequest(req.params.id ?? "").id;
      const kind = req.url.searchParams.get("kind");
      json(res, 200, { reports: [...reports.values()].filter((r) => r.request === request && (kind === null || r.kind === kind)) });
    });

    router.on("GET", "/reports/:id", (req, res) => {
      authenticate(req);
      const report = reports.get(req.params.id ?? "");
      if (!report) throw fail(404, "NotFound", `No report with id ${req.params.id}.`);
      json(res, 200, { report });
    });

    router.on("POST", "/media", (req, res, ctx) => {
      authenticate(req);
      const body = req.json<Partial<MediumRecord>>();
      findRequest(body.request ?? "");
      if (!MEDIUM_NAMES.has(body.name ?? "")) throw fail(400, "BadRequest", `name must be one of ${[...MEDIUM_NAMES].join(", ")}.`);
      const meta = body.meta;
      if (typeof meta?.name !== "string" || typeof meta.type !== "string" || !Number.isInteger(meta.size) || meta.size < 1) {
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
      media.set(record.id, record);
      json(res, 200, { medium: mediumJson(record, ctx.baseUrl) });
    });

    router.on("GET", "/media/:id", (req, res, ctx) => {
      authenticate(req);
      json(res, 200, { medium: mediumJson(findMedium(req.params.id ?? ""), ctx.baseUrl) });
    });

    router.on("POST", "/media/:id", (req, res, ctx) => {
      authenticate(req);
      const record = findMedium(req.params.id ?? "");
      const body = req.json<{ status?: string; period?: { start: string; end: string }; date?: string }>();
      if (body.status !== "online") throw fail(400, "BadRequest", 'status must be "online".');
      if (record.status === "online") throw fail(400, "BadRequest", "The medium is already online.");
      // Online without bytes would start an X-Ray on nothing: the real API has the object in storage by then.
      if (record.uploadedBytes !== record.meta.size) {
        throw fail(400, "BadRequest", `The medium's file is not in storage (expected ${record.meta.size} bytes, got ${record.uploadedBytes ?? 0}); upload it first.`);
      }
      Object.assign(record, { status: "online", updatedAt: now(), ...(body.period ? { period: body.period } : {}), ...(body.date ? { date: body.date } : {}) });
      startReport(record.request, "doc", [record.id]);
      if (record.name === "bank_statement") startReport(record.request, "bank", [record.id]);
      if (FINANCIAL_MEDIA.has(record.name)) startReport(record.request, "financial", [record.id]);
      if (![...reports.values()].some((r) => r.request === record.request && r.kind === "esg")) startReport(record.request, "esg", [record.id]);
      json(res, 200, { medium: mediumJson(record, ctx.baseUrl) });
    });

    // Storage (S3 in production): authorised by the URL alone, so it never looks at October's headers.
    router.on("PUT", "/__storage/:id", (req, res) => {
      const record = findMedium(req.params.id ?? "");
      storageUploads.push({ mediumId: record.id, headers: { ...req.headers }, size: req.body.length });
      if (uploadFailures.count > 0) {
        uploadFailures.count--;
        if (uploadFailures.mode === "drop") {
          res.socket?.destroy();
          return;
        }
        throw new HttpError(500, { error: "InternalError", message: "injected storage failure" });
      }
      if (record.status !== "draft") throw new HttpError(403, { error: "AccessDenied", message: "The upload URL is no longer valid." });
      if (req.body.length !== record.meta.size) {
        throw new HttpError(400, { error: "IncompleteBody", message: `Expected ${record.meta.size} bytes, got ${req.body.length}.` });
      }
      record.uploadedBytes = req.body.length;
      res.writeHead(200, { etag: `"${record.id}"` }).end();
    });

    const reset = () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      requests.clear();
      media.clear();
      reports.clear();
      storageUploads = [];
      uploadFailures = { count: 0, mode: "drop" };
      failingKinds = new Set();
    };

    return {
      handle: router.handle,
      stats,
      control: {
        get storageUploads() {
          return storageUploads;
        },
        failUploads(count, mode = "drop") {
          uploadFailures = { count, mode };
        },
        failReports(kind) {
          failingKinds.add(kind);
        },
      },
      reset,
    };
  },
};
