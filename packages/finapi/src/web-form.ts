import { AbortError, TimeoutError, type MethodsAt, type PathsAt, type ProviderClient } from "@x/core";
import { PROVIDER } from "./errors.js";
import type { MethodLevels, Methods, PathLevels } from "./generated/webform/methods.js";
import {
  createBankConnectionUpdateTask,
  createForBankConnectionImport,
  getTask,
  getWebForm,
} from "./generated/webform/operations.js";
import type { paths } from "./generated/webform/schema.js";
import type {
  BankConnectionImportDetails,
  BankConnectionUpdateTaskDetails,
  Task,
  WebForm,
  WebFormInfo,
} from "./generated/webform/types.js";

// This module is loaded with import() on a user client's first web form call (see client.ts), with the web form hosts;
// the full client loads the web form spec's tables apart (web-form-tables.ts), so a mini client never ships them.
export { servers as webFormServers } from "./generated/webform/spec.js";
export type { BankConnectionImportDetails, BankConnectionUpdateTaskDetails, Task, WebForm };

/** The Web Form 2.0 methods a user token may call (profiles and translations take a mandator admin client's token). */
export type FinapiWebFormMethods = MethodsAt<Methods, MethodLevels, "user">;
/** The Web Form 2.0 paths a user token may call. */
export type FinapiWebFormPaths = PathsAt<paths, PathLevels, "user">;

/**
 * A typed Web Form 2.0 client authorized as the user: `webForms.webForms.get({ id })`, `webForms.tasks.list()`,
 * `webForms.accountInformation.importBankConnection(details)`, and the path style.
 */
export type FinapiWebFormClient = ProviderClient<FinapiWebFormPaths, {}, FinapiWebFormMethods>;

/**
 * The Web Form 2.0 client of `@x/finapi/mini`: the path style, without the methods. Call the operations as the
 * functions that entry exports (`getWebForm(webForms, { id })`).
 */
export type FinapiWebFormMiniClient = ProviderClient<FinapiWebFormPaths>;

/** How a web form ended; anything but `COMPLETED` leaves no new bank connection. */
export type WebFormOutcome =
  | { status: "COMPLETED"; webForm: WebForm; bankConnectionId: number | undefined }
  | { status: "COMPLETED_WITH_ERROR"; webForm: WebForm; errorCode?: string; errorMessage?: string }
  /** The user did not finish in time (`EXPIRED`) or cancelled (`ABORTED`): create a new web form to try again. */
  | { status: "EXPIRED" | "ABORTED"; webForm: WebForm };

/** How a background update ended. */
export type TaskOutcome =
  | { status: "COMPLETED"; task: Task; bankConnectionId: number | undefined }
  | { status: "COMPLETED_WITH_ERROR"; task: Task; errorCode?: string }
  /** The bank needs the user (a new consent, a TAN): send them to `webForm.url`, then wait for that web form. */
  | { status: "WEB_FORM_REQUIRED"; task: Task; webForm: WebFormInfo | undefined };

export interface WaitOptions {
  /** Time between two status reads. Default 2000 ms. */
  intervalMs?: number;
  /** Give up after this long with a `TimeoutError` (`WAIT_TIMEOUT`). Default 20 minutes, a web form's lifetime. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * What a user client adds for Web Form 2.0: import through a web form, update in the background, wait for both.
 * `Client` is the web form client `webForms()` gives: with the methods, or mini's without them.
 */
export interface FinapiWebFormHelpers<Client = FinapiWebFormClient> {
  /**
   * The typed Web Form 2.0 client, authorized with this user's token. Async: the web form code is loaded on first
   * use; with a custom `accessUrl` and no `webFormUrl` it rejects with a ConfigurationError naming `webFormUrl`.
   */
  webForms(): Promise<Client>;
  /**
   * Creates a web form that imports a bank connection. Send the user to `webForm.url` (they pick the bank and log
   * in there, strong customer authentication included), then `waitForWebForm(webForm.id)`.
   */
  importBankConnection(details?: BankConnectionImportDetails): Promise<WebForm>;
  /** Reads the web form until it ends (completed, failed, expired or aborted): a typed outcome, never a guess. */
  waitForWebForm(id: string, options?: WaitOptions): Promise<WebFormOutcome>;
  /** Starts a background update of a bank connection (no user present), as a task to `waitForTask`. */
  updateBankConnection(details: BankConnectionUpdateTaskDetails): Promise<Task>;
  /** Reads the task until it ends; `WEB_FORM_REQUIRED` carries the web form the user must open. */
  waitForTask(id: string, options?: WaitOptions): Promise<TaskOutcome>;
}

const WEB_FORM_DONE = new Set(["COMPLETED", "COMPLETED_WITH_ERROR", "EXPIRED", "ABORTED"]);
const TASK_DONE = new Set(["COMPLETED", "COMPLETED_WITH_ERROR", "WEB_FORM_REQUIRED"]);

/** The web form helpers over a web form client; they call the operation functions, so either client will do. */
export function webFormHelpers<Client extends FinapiWebFormMiniClient>(client: Client): FinapiWebFormHelpers<Client> {
  return {
    webForms: async () => client,
    importBankConnection: (details = {}) => createForBankConnectionImport(client, details),
    async waitForWebForm(id, options) {
      const read = () => getWebForm(client, { id });
      const webForm = await poll(read, (form) => WEB_FORM_DONE.has(form.status), `web form ${id}`, options);
      const { bankConnectionId, errorCode, errorMessage } = webForm.payload;
      if (webForm.status === "COMPLETED")
        return { status: "COMPLETED", webForm, bankConnectionId: bankConnectionId ?? undefined };
      if (webForm.status === "COMPLETED_WITH_ERROR") {
        return {
          status: "COMPLETED_WITH_ERROR",
          webForm,
          errorCode: errorCode ?? undefined,
          errorMessage: errorMessage ?? undefined,
        };
      }
      return { status: webForm.status as "EXPIRED" | "ABORTED", webForm };
    },
    updateBankConnection: (details) => createBankConnectionUpdateTask(client, details),
    async waitForTask(id, options) {
      const read = () => getTask(client, { id });
      const task = await poll(read, (t) => TASK_DONE.has(t.status), `task ${id}`, options);
      const { bankConnectionId, webForm, errorCode } = task.payload;
      if (task.status === "COMPLETED") return { status: "COMPLETED", task, bankConnectionId };
      if (task.status === "WEB_FORM_REQUIRED")
        return { status: "WEB_FORM_REQUIRED", task, webForm: webForm ?? undefined };
      return { status: "COMPLETED_WITH_ERROR", task, errorCode: errorCode ?? undefined };
    },
  };
}

/** Reads until `done`, waiting `intervalMs` between reads; a timeout or the caller's abort ends it. */
async function poll<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  { intervalMs = 2000, timeoutMs = 20 * 60_000, signal }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) throw new AbortError(`Stopped waiting for ${PROVIDER} ${what}.`, { provider: PROVIDER });
    const value = await read();
    if (done(value)) return value;
    if (Date.now() + intervalMs > deadline) {
      throw new TimeoutError(
        `${PROVIDER} ${what} had not ended after ${timeoutMs} ms; wait again with the same id, or raise timeoutMs.`,
        { provider: PROVIDER, code: "WAIT_TIMEOUT", timeoutMs },
      );
    }
    await sleep(intervalMs, signal);
  }
}

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
