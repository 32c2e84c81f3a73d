import { readFileSync } from "node:fs";
import { isXError } from "@x/core";
import { verifyCallback, type SaltEdgeCallbackKind } from "@x/saltedge";
import { UsageError, note } from "./usage.js";

export interface VerifyCallbackOptions {
  provider: string | undefined;
  url: string | undefined;
  signature: string | undefined;
  bodyFile: string | undefined;
  publicKeyFile: string | undefined;
  kind: string;
  json: boolean;
}

const KINDS = ["success", "fail", "notify", "destroy"];

function readFile(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new UsageError(`${option} ${path} cannot be read; give the path of an existing file`);
  }
}

/** Salt Edge's callback key: `--public-key-file`, else SALTEDGE_CALLBACK_PUBLIC_KEY(_FILE) from the environment. */
function publicKey(options: VerifyCallbackOptions, env: NodeJS.ProcessEnv): string {
  if (options.publicKeyFile) return readFile(options.publicKeyFile, "--public-key-file").toString("utf8");
  if (env.SALTEDGE_CALLBACK_PUBLIC_KEY_FILE) {
    return readFile(env.SALTEDGE_CALLBACK_PUBLIC_KEY_FILE, "SALTEDGE_CALLBACK_PUBLIC_KEY_FILE").toString("utf8");
  }
  if (env.SALTEDGE_CALLBACK_PUBLIC_KEY) return env.SALTEDGE_CALLBACK_PUBLIC_KEY;
  throw new UsageError("give Salt Edge's callback public key with --public-key-file or SALTEDGE_CALLBACK_PUBLIC_KEY");
}

/** Shown when a callback does not verify: what Salt Edge signed, and the usual reasons the app's copy differs. */
function explainMismatch(url: string, body: Buffer): string[] {
  const text = body.toString("utf8");
  const shown = text.length > 200 ? `${text.slice(0, 200)}… (${body.length} bytes)` : text;
  return [
    `Salt Edge signs "<callback url>|<raw body>"; verified here against: ${JSON.stringify(`${url}|${shown}`)}`,
    "check: the URL exactly as set in the Salt Edge dashboard (scheme, host, path, trailing slash, query);",
    "the body as received, byte for byte (not parsed and re-serialised); the key is Salt Edge's, not your app's.",
  ];
}

/** `x verify-callback saltedge --url --signature --body-file`: does the callback verify, and if not, why. */
export async function verifyCallbackCommand(options: VerifyCallbackOptions, env: NodeJS.ProcessEnv): Promise<number> {
  if (options.provider !== "saltedge") {
    throw new UsageError(`verify-callback knows saltedge only, got "${options.provider ?? ""}"`);
  }
  if (!options.url) throw new UsageError("give the callback URL with --url, exactly as set in the Salt Edge dashboard");
  if (options.signature === undefined) throw new UsageError("give the Signature header's value with --signature");
  if (!options.bodyFile) throw new UsageError("give the file holding the raw request body with --body-file");
  if (!KINDS.includes(options.kind)) throw new UsageError(`--kind must be one of ${KINDS.join(", ")}`);
  const body = readFile(options.bodyFile, "--body-file");
  const key = publicKey(options, env);
  const callback = { kind: options.kind as SaltEdgeCallbackKind, url: options.url, body, signature: options.signature };
  try {
    const event = await verifyCallback(callback, key);
    const stage = (event.data as { stage?: string }).stage;
    if (options.json) console.log(JSON.stringify({ verified: true, kind: event.kind, stage: stage ?? null }));
    else console.log(`verified: a ${event.kind} callback${stage ? ` (stage ${stage})` : ""}`);
    return 0;
  } catch (error) {
    if (!isXError(error)) throw error;
    const lines = explainMismatch(options.url, body);
    if (options.json) console.log(JSON.stringify({ verified: false, reason: error.message, signed: lines[0] }));
    else for (const line of [`not verified: ${error.message}`, ...lines]) note(line);
    return 1;
  }
}
