// finAPI emulator, Web Form 2.0 (specs/finapi.webform.yaml): web forms that import a bank connection, the page the
// user's browser opens (sandbox only: a POST to it completes the form as the user would), and background update
// tasks. Same bearer user token as Access; errors in Web Form 2.0's own shapes (`Error`, `ValidationError`).
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { failWith, json } from "../emulator.js";
import type { EmulatorRequest, RouteTable } from "../emulator.js";
import type { FinapiState, FinapiUser } from "./finapi.js";

/** How long a web form can be opened, as finAPI's default. */
const WEB_FORM_TTL_MS = 20 * 60_000;
const OUTCOMES = ["COMPLETED", "COMPLETED_WITH_ERROR", "ABORTED"] as const;

export interface WebFormRecord {
  id: string;
  userId: string;
  status: "NOT_YET_OPENED" | "IN_PROGRESS" | "COMPLETED" | "COMPLETED_WITH_ERROR" | "EXPIRED" | "ABORTED";
  createdAt: string;
  expiresAt: number;
  bankConnectionName: string | null;
  bankConnectionId?: number;
  /** The task that asked for this web form, for an update the bank wanted the user for. */
  taskId?: string;
}

export interface TaskRecord {
  id: string;
  userId: string;
  createdAt: string;
  bankConnectionId: number;
  status: "NOT_YET_STARTED" | "IN_PROGRESS" | "WEB_FORM_REQUIRED" | "COMPLETED" | "COMPLETED_WITH_ERROR";
  webFormId?: string;
}

/** Web Form 2.0's `Error`. */
export const webFormFail = failWith((_status, req: EmulatorRequest, code: string, description: string) => ({
  code,
  description,
  timestamp: new Date().toISOString(),
  endpoint: `${req.method} ${req.path}`,
}));

/** Web Form 2.0's `ValidationError`: one entry per invalid field. */
const invalid = failWith((_status, req: EmulatorRequest, field: string, message: string) => ({
  errors: [{ field, message }],
  timestamp: new Date().toISOString(),
  endpoint: `${req.method} ${req.path}`,
}));

function webFormView(form: WebFormRecord, baseUrl: string) {
  if (form.status === "NOT_YET_OPENED" && form.expiresAt <= Date.now()) form.status = "EXPIRED";
  return {
    id: form.id,
    url: `${baseUrl}/webForm/${form.id}`,
    createdAt: form.createdAt,
    expiresAt: new Date(form.expiresAt).toISOString(),
    type: form.taskId ? "BANK_CONNECTION_UPDATE" : "BANK_CONNECTION_IMPORT",
    status: form.status,
    payload: {
      bankConnectionId: form.bankConnectionId ?? null,
      ...(form.status === "COMPLETED_WITH_ERROR"
        ? { errorCode: "BANK_SERVER_REJECTION", errorMessage: "The bank refused the login (sandbox outcome)." }
        : {}),
    },
  };
}

function taskView(task: TaskRecord, state: FinapiState, baseUrl: string) {
  const form = task.webFormId ? state.webForms.get(task.webFormId) : undefined;
  return {
    id: task.id,
    createdAt: task.createdAt,
    type: "BANK_CONNECTION_UPDATE",
    status: task.status,
    payload: {
      bankConnectionId: task.bankConnectionId,
      webForm: form ? { id: form.id, url: webFormView(form, baseUrl).url, status: form.status } : null,
      errorCode: task.status === "COMPLETED_WITH_ERROR" ? "BANK_SERVER_REJECTION" : null,
    },
  };
}

/**
 * One page of a Web Form 2.0 list, `{ items, paging }`, in creation order (`order` is not emulated); a bad `page` or
 * `perPage` (1 to 500) is a ValidationError naming it.
 */
function listPage<T>(req: EmulatorRequest, all: T[]) {
  const bound = (name: string, fallback: number, max: number) => {
    const value = Number(req.url.searchParams.get(name) ?? fallback);
    if (!Number.isInteger(value) || value < 1 || value > max) throw invalid(400, req, name, `must be 1 to ${max}`);
    return value;
  };
  const page = bound("page", 1, Number.MAX_SAFE_INTEGER);
  const perPage = bound("perPage", 20, 500);
  const pageCount = Math.max(1, Math.ceil(all.length / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage);
  return { items, paging: { page, perPage, pageCount, totalCount: all.length } };
}

/** The page a user's browser gets: the sandbox's stand-in for finAPI's form, with the outcomes as buttons. */
function page(res: ServerResponse, status: number, body: string) {
  const html = `<!doctype html><meta charset="utf-8"><title>finAPI sandbox web form</title>${body}`;
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(html) });
  res.end(html);
}

/**
 * The web form routes. `userOf` authorizes the bearer as a user (Web Form 2.0 answers 401 in its own shape);
 * `importConnection` gives the user a bank connection once a form completes.
 */
export function webFormRoutes(
  userOf: (state: FinapiState, req: EmulatorRequest) => FinapiUser,
  importConnection: (state: FinapiState, user: FinapiUser, name: string | null) => number,
): RouteTable<FinapiState> {
  const formOf = (state: FinapiState, req: EmulatorRequest, user: FinapiUser) => {
    const form = state.webForms.get(req.params.id ?? "");
    if (!form || form.userId !== user.id) throw webFormFail(404, req, "NOT_FOUND", "No such web form");
    return form;
  };
  return {
    "POST /api/webForms/bankConnectionImport": (state, req, res, ctx) => {
      const user = userOf(state, req);
      const body = req.json<{ bankConnectionName?: unknown } | null>() ?? {};
      const name = body.bankConnectionName;
      if (name != null && (typeof name !== "string" || name.length < 1 || name.length > 64)) {
        throw invalid(400, req, "bankConnectionName", "must be 1 to 64 characters");
      }
      const form: WebFormRecord = {
        id: randomUUID(),
        userId: user.id,
        status: "NOT_YET_OPENED",
        createdAt: new Date().toISOString(),
        expiresAt: Date.now() + WEB_FORM_TTL_MS,
        bankConnectionName: typeof name === "string" ? name : null,
      };
      state.webForms.set(form.id, form);
      json(res, 201, webFormView(form, ctx.baseUrl));
    },

    "GET /api/webForms": (state, req, res, ctx) => {
      const user = userOf(state, req);
      const forms = [...state.webForms.values()].filter((form) => form.userId === user.id);
      const { items, paging } = listPage(req, forms);
      json(res, 200, { items: items.map((form) => webFormView(form, ctx.baseUrl)), paging });
    },

    "GET /api/tasks": (state, req, res, ctx) => {
      const user = userOf(state, req);
      const tasks = [...state.tasks.values()].filter((task) => task.userId === user.id);
      const { items, paging } = listPage(req, tasks);
      json(res, 200, { items: items.map((task) => taskView(task, state, ctx.baseUrl)), paging });
    },

    "GET /api/webForms/:id": (state, req, res, ctx) => {
      json(res, 200, webFormView(formOf(state, req, userOf(state, req)), ctx.baseUrl));
    },

    "POST /api/tasks/backgroundUpdate": (state, req, res, ctx) => {
      const user = userOf(state, req);
      const body = req.json<{ bankConnectionId?: unknown } | null>() ?? {};
      if (typeof body.bankConnectionId !== "number") {
        throw invalid(400, req, "bankConnectionId", "must be the id of a bank connection");
      }
      if (!user.connections.some((c) => c.id === body.bankConnectionId)) {
        throw webFormFail(404, req, "NOT_FOUND", `No bank connection ${body.bankConnectionId}`);
      }
      if (user.busy) throw webFormFail(423, req, "LOCKED", "A bank connection of the user is being updated");
      const task: TaskRecord = {
        id: randomUUID(),
        userId: user.id,
        createdAt: new Date().toISOString(),
        bankConnectionId: body.bankConnectionId,
        status: "NOT_YET_STARTED",
      };
      state.tasks.set(task.id, task);
      json(res, 201, taskView(task, state, ctx.baseUrl));
    },

    // A task moves on each time it is read: started, then done (or waiting for the user, see requireWebFormOnUpdate).
    "GET /api/tasks/:id": (state, req, res, ctx) => {
      const user = userOf(state, req);
      const task = state.tasks.get(req.params.id ?? "");
      if (!task || task.userId !== user.id) throw webFormFail(404, req, "NOT_FOUND", "No such task");
      const view = taskView(task, state, ctx.baseUrl);
      if (task.status === "NOT_YET_STARTED") task.status = "IN_PROGRESS";
      else if (task.status === "IN_PROGRESS") {
        if (state.webFormOnUpdate) {
          const form: WebFormRecord = {
            id: randomUUID(),
            userId: user.id,
            status: "NOT_YET_OPENED",
            createdAt: new Date().toISOString(),
            expiresAt: Date.now() + WEB_FORM_TTL_MS,
            bankConnectionName: null,
            bankConnectionId: task.bankConnectionId,
            taskId: task.id,
          };
          state.webForms.set(form.id, form);
          task.webFormId = form.id;
          task.status = "WEB_FORM_REQUIRED";
        } else {
          const connection = user.connections.find((c) => c.id === task.bankConnectionId);
          if (connection) connection.updatedAt = new Date().toISOString();
          task.status = "COMPLETED";
        }
      }
      json(res, 200, view);
    },

    // Not finAPI's API: the page behind a web form's URL, which the user's browser opens.
    "GET /webForm/:id": (state, req, res) => {
      const form = state.webForms.get(req.params.id ?? "");
      if (!form) return page(res, 404, "<p>No such web form.</p>");
      if (form.status === "NOT_YET_OPENED") form.status = "IN_PROGRESS";
      const buttons = OUTCOMES.map((o) => `<button name="outcome" value="${o}">${o}</button>`).join(" ");
      page(res, 200, `<form method="post"><p>finAPI Test Bank: log in?</p>${buttons}</form>`);
    },

    // What the form's buttons send: the user finished (or cancelled) the form.
    "POST /webForm/:id": (state, req, res) => {
      const form = state.webForms.get(req.params.id ?? "");
      if (!form) return page(res, 404, "<p>No such web form.</p>");
      const outcome = req.form().get("outcome") ?? "COMPLETED";
      if (!(OUTCOMES as readonly string[]).includes(outcome)) {
        return page(res, 400, `<p>outcome must be one of ${OUTCOMES.join(", ")}.</p>`);
      }
      if (form.status !== "NOT_YET_OPENED" && form.status !== "IN_PROGRESS") {
        return page(res, 409, `<p>This web form is ${form.status}.</p>`);
      }
      const user = state.users.get(form.userId);
      if (!user || form.expiresAt <= Date.now()) {
        form.status = "EXPIRED";
        return page(res, 410, "<p>This web form expired.</p>");
      }
      form.status = outcome as WebFormRecord["status"];
      const task = form.taskId ? state.tasks.get(form.taskId) : undefined;
      if (outcome === "COMPLETED") {
        form.bankConnectionId ??= importConnection(state, user, form.bankConnectionName);
        if (task) task.status = "COMPLETED";
      } else if (task) task.status = "COMPLETED_WITH_ERROR";
      page(res, 200, `<p>Web form ${outcome}. You can close this page.</p>`);
    },
  };
}
