import {
  AbortError,
  ConfigurationError,
  assertSecureUrl,
  describeUrl,
  discardBody,
  type ProviderClient,
} from "@x/core";
import { MediumUploadError, PROVIDER } from "./errors.js";
import { createMedium, updateMedium } from "./generated/operations.js";
import type { paths } from "./generated/schema.js";
import type { Medium, MediumName, MediumPeriod, MediumUpdate } from "./generated/types.js";

/** October's documented upload limit. */
export const MAX_MEDIUM_BYTES = 20 * 1024 * 1024;

/** The CDN a medium's `url` is relative to (October's medium concept page). */
export const OCTOBER_CDN_URL = "https://cdn.october.eu/";

const MEDIUM_PERIODS: ReadonlySet<string> = new Set<MediumPeriod>(["year", "month", "quarter", "semester"]);

export interface UploadMediumOptions {
  /** What the document is, e.g. `"bank_statement"`. */
  name: MediumName;
  /** Medium type. Default `"document"`. */
  type?: string;
  /** File name recorded in `meta.name`. Default: the `File`'s own name, else `<name>.bin`. */
  fileName?: string;
  /**
   * MIME type recorded in `meta.type` and sent to storage. Default: the `Blob`'s type, else `application/octet-stream`.
   */
  contentType?: string;
  /**
   * The span the document covers, sent in `meta.period` when the medium is set online: `year` for a certified
   * financial statement; `month`, `quarter` or `semester` for a bank statement.
   */
  period?: MediumPeriod;
  /** The document's date (`YYYY-MM-DD`), sent in `meta.date` when the medium is set online. */
  date?: string;
  signal?: AbortSignal;
}

export type MediumFile = Blob | ArrayBuffer | Uint8Array;

/**
 * October's three-step upload: create a draft medium, send the bytes to the storage URL it returns, set
 * the medium online. Storage is another party (S3) authorised by its pre-signed URL, so the bytes go
 * through `runtime.plainFetch`: retried and time-bounded, but without the October headers, which must
 * never leave for a third-party host. A medium is set online only after storage accepted every byte,
 * so a failed upload never starts an X-Ray on a partial file.
 */
export async function uploadMedium(
  client: ProviderClient<paths>,
  requestId: string,
  file: MediumFile,
  options: UploadMediumOptions,
): Promise<Medium> {
  const blob = toBlob(file);
  // The caller's `contentType` labels the upload without re-wrapping their Blob.
  const contentType = options.contentType ?? blob.type;
  // Refused here, before the draft exists, so an oversize file leaves nothing behind at October.
  if (blob.size > MAX_MEDIUM_BYTES) {
    throw new ConfigurationError(
      `file is ${blob.size} bytes; October accepts at most 20 MB (${MAX_MEDIUM_BYTES} bytes) per medium: split or` +
        " compress it.",
      { option: "file", provider: PROVIDER },
    );
  }
  if (blob.size === 0) {
    throw new ConfigurationError("file is empty; October needs the document's bytes.", {
      option: "file",
      provider: PROVIDER,
    });
  }
  const meta = {
    name: options.fileName ?? (file instanceof File && file.name ? file.name : `${options.name}.bin`),
    size: blob.size,
    type: contentType || "application/octet-stream",
  };
  const signal = options.signal;
  if (options.period !== undefined && !MEDIUM_PERIODS.has(options.period)) {
    throw new ConfigurationError(`period must be one of ${[...MEDIUM_PERIODS].join(", ")}.`, {
      option: "period",
      provider: PROVIDER,
    });
  }

  const call = signal ? { signal } : undefined;
  const body = { name: options.name, type: options.type ?? "document", meta, request: requestId };
  const { medium: draft } = await createMedium(client, body, call);
  await sendToStorage(client, draft, blob, contentType, signal);
  const { medium } = await updateMedium(
    client,
    { id: draft.id },
    { status: "online", ...onlineMeta(draft, options) },
    call,
  );
  return medium;
}

/**
 * The period and date go in `meta`, where a medium carries them. The guide shows no body for this step, so the
 * file's name, size and type are repeated: a server that replaces `meta` rather than merging it keeps them.
 */
function onlineMeta(draft: Medium, { period, date }: UploadMediumOptions): Pick<MediumUpdate, "meta"> {
  if (period === undefined && date === undefined) return {};
  const { name, size, type } = draft.meta;
  return { meta: { name, size, type, ...(period ? { period } : {}), ...(date ? { date } : {}) } };
}

/**
 * Where a medium's file can be downloaded: its `url` is a path on October's CDN, not a URL. Refuses a `url` that
 * would leave the CDN (an absolute URL or a `//host` path), so a hostile answer cannot redirect the download.
 */
export function mediumFileUrl(medium: Pick<Medium, "url">): string {
  const cdn = new URL(OCTOBER_CDN_URL);
  const url = typeof medium.url === "string" ? new URL(medium.url.replace(/^\/(?!\/)/, ""), cdn) : undefined;
  if (!url || url.origin !== cdn.origin) {
    throw new ConfigurationError("medium.url must be a path relative to October's CDN (https://cdn.october.eu/).", {
      option: "medium.url",
      provider: PROVIDER,
    });
  }
  return url.href;
}

async function sendToStorage(
  client: ProviderClient<paths>,
  draft: Medium,
  blob: Blob,
  contentType: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const failed = (reason: string, extra: { status?: number; cause?: unknown } = {}) =>
    new MediumUploadError(
      `october: uploading the file of medium ${draft.id} to storage failed (${reason}); ` +
        `the medium was left in draft and not set online. Call uploadMedium again: it creates a new draft.`,
      { mediumId: draft.id, ...extra },
    );
  // `url` is the file's path on the CDN, never where to upload: without upload data there is nowhere to send it.
  const upload = draft.upload;
  if (!upload) throw failed("October's answer to POST /media carried no upload data");
  const headers = new Headers(upload.headers);
  // What fetch would take from the Blob's own type, but the caller's `contentType` wins.
  if (contentType && !headers.has("content-type")) headers.set("content-type", contentType);
  let url: URL;
  try {
    url = assertSecureUrl(upload.url, "upload.url", PROVIDER);
  } catch (error) {
    throw failed("the storage URL October returned is not https", { cause: error });
  }
  let response: Response;
  try {
    // The Blob is the body as it came: fetch streams it on every attempt, the SDK never reads it into memory.
    response = await client.runtime.plainFetch(url.href, { method: upload.method, headers, body: blob, signal });
  } catch (error) {
    if (error instanceof AbortError) throw error;
    // The cause's message names the storage host and path only: the query of a pre-signed URL is a credential.
    throw failed(error instanceof Error ? error.message : "network error", { cause: error });
  }
  await discardBody(response);
  if (!response.ok) throw failed(`${describeUrl(url)} answered ${response.status}`, { status: response.status });
}

function toBlob(file: MediumFile): Blob {
  if (file instanceof Blob) return file;
  if (file instanceof ArrayBuffer || file instanceof Uint8Array) {
    // Copied into a fresh ArrayBuffer: a view over a SharedArrayBuffer is not a valid BlobPart.
    const bytes = new Uint8Array(file.byteLength);
    bytes.set(file instanceof Uint8Array ? file : new Uint8Array(file));
    return new Blob([bytes.buffer]);
  }
  throw new ConfigurationError("file must be a Blob, File, ArrayBuffer or Uint8Array.", {
    option: "file",
    provider: PROVIDER,
  });
}
