import { definePlugin, type Plugin } from "@x/core";
import { idempotentOperations } from "./generated/spec.js";

/**
 * Every SFS call is a POST, so core's retry plugin would never repeat one. The spec marks the
 * actions that only read (`x-idempotent` + `x-action`: list, read); this plugin looks at the
 * body's `data.action` and marks such a call idempotent, so a 503 on `list` is retried while a
 * `create` is sent once. It must sit inside retry (core places client plugins there): retry reads
 * `ctx.idempotent` after the first attempt returns.
 */
export function sfsIdempotentActions(baseUrl: string, operations: ReadonlyArray<{ method: string; path: string; action?: string }> = idempotentOperations): Plugin {
  const basePath = new URL(baseUrl).pathname.replace(/\/$/, "");
  const safe = new Map<string, Set<string | undefined>>();
  for (const { method, path, action } of operations) {
    const key = `${method} ${path}`;
    safe.set(key, (safe.get(key) ?? new Set()).add(action));
  }

  return definePlugin({
    name: "sfs-idempotent-actions",
    async middleware(request, next, ctx) {
      if (!ctx.idempotent) {
        const pathname = new URL(request.url).pathname;
        const actions = pathname.startsWith(basePath) ? safe.get(`${request.method} ${pathname.slice(basePath.length)}`) : undefined;
        // An entry without an action marks the whole operation; otherwise the body's action must be listed.
        if (actions && (actions.has(undefined) || actions.has(await actionOf(request)))) ctx.idempotent = true;
      }
      return next(request);
    },
  });
}

async function actionOf(request: Request): Promise<string | undefined> {
  try {
    const body = (await request.clone().json()) as { data?: { action?: unknown } } | null;
    return typeof body?.data?.action === "string" ? body.data.action : undefined;
  } catch {
    return undefined; // not JSON: treat as unsafe to repeat
  }
}
