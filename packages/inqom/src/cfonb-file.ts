import { ConfigurationError } from "@x/core";
import { PROVIDER } from "./errors.js";

/** What `importCfonbFile` accepts: file contents, or (on Node) a path to the file. */
export type CfonbFileInput = string | URL | Uint8Array | ArrayBuffer | Blob;

const CONTENT_TYPE = "text/plain";
const DEFAULT_NAME = "releve.cfonb.txt";

/**
 * Turns what the caller has into a `Blob` and a file name, without reading a file into memory:
 * a path becomes a file-backed Blob (`fs.openAsBlob`), read later as a stream.
 *
 * A string with a line break (or an empty one) is the file's contents; any other string, and a
 * `file:` URL, is a path. A CFONB file always has a line break (a 01 and a 07 at least), so the
 * two cannot be confused.
 */
export async function toCfonbBlob(file: CfonbFileInput, fileName?: string): Promise<{ blob: Blob; name: string }> {
  if (file instanceof Blob) return { blob: file, name: fileName ?? ((file as File).name || DEFAULT_NAME) };
  if (file instanceof Uint8Array || file instanceof ArrayBuffer) {
    return {
      blob: new Blob([file instanceof ArrayBuffer ? file : new Uint8Array(file)], { type: CONTENT_TYPE }),
      name: fileName ?? DEFAULT_NAME,
    };
  }
  if (typeof file === "string" && (file === "" || /[\r\n]/.test(file)))
    return { blob: new Blob([file], { type: CONTENT_TYPE }), name: fileName ?? DEFAULT_NAME };
  if (typeof file === "string" || file instanceof URL) return openPath(file, fileName);
  throw new ConfigurationError(
    "file must be the CFONB contents (string, Uint8Array, ArrayBuffer, Blob or File) or a path to it.",
    { option: "file", provider: PROVIDER },
  );
}

async function openPath(path: string | URL, fileName?: string): Promise<{ blob: Blob; name: string }> {
  // Behind a dynamic import so that the package still loads on runtimes without node:fs (edge, browsers).
  let fs: typeof import("node:fs");
  try {
    fs = await import("node:fs");
  } catch {
    throw new ConfigurationError(
      "file looks like a path, but this runtime has no file system; " +
        "pass the file's contents (string, Uint8Array or Blob) instead.",
      {
        option: "file",
        provider: PROVIDER,
      },
    );
  }
  const shown = typeof path === "string" ? path : path.pathname;
  try {
    // stat first: openAsBlob reports a missing file as a vague ERR_INVALID_ARG_VALUE.
    const info = await fs.promises.stat(path);
    if (!info.isFile()) throw Object.assign(new Error("not a file"), { code: "ENOTFILE" });
    const blob = await fs.openAsBlob(path, { type: CONTENT_TYPE });
    return { blob, name: fileName ?? (shown.split(/[\\/]/).pop() || DEFAULT_NAME) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ConfigurationError(
      `file: cannot read ${JSON.stringify(shown)} (${code ?? "unreadable"}); ` +
        `pass a readable path or the file's contents.`,
      {
        option: "file",
        provider: PROVIDER,
        cause: error,
      },
    );
  }
}
