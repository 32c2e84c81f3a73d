import type { BearerTokenAuth, CachedToken } from "@x/core";
import { debugOutput, providerEntry } from "./providers.js";
import { UsageError } from "./usage.js";

export interface TokenOptions {
  provider: string | undefined;
  show: boolean;
  json: boolean;
  debug: boolean;
}

const isBearer = (auth: unknown): auth is BearerTokenAuth =>
  typeof (auth as { getToken?: unknown } | undefined)?.getToken === "function";

/** The scopes a JWT carries (`scope` or `scp`); opaque tokens say nothing about theirs. */
function jwtScopes(token: string): string | undefined {
  const payload = token.split(".")[1];
  if (token.split(".").length !== 3 || !payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { scope?: unknown; scp?: unknown };
    const scopes = claims.scope ?? claims.scp;
    return Array.isArray(scopes) ? scopes.join(" ") : typeof scopes === "string" ? scopes : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A fetch that notes the `scope` of token responses as they pass, so `x token` can print the scopes the provider
 * granted for opaque tokens too; the response itself is handed on untouched.
 */
function scopeWatcher(): { fetch: typeof fetch; scope(): string | undefined } {
  let scope: string | undefined;
  return {
    scope: () => scope,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.ok && response.headers.get("content-type")?.includes("json")) {
        const body = (await response
          .clone()
          .json()
          .catch(() => undefined)) as { scope?: unknown } | undefined;
        if (typeof body?.scope === "string") scope = body.scope;
      }
      return response;
    },
  };
}

function describe(provider: string, token: CachedToken, scope: string | undefined, show: boolean) {
  const inMinutes = Math.round((token.expiresAt - Date.now()) / 60_000);
  return {
    provider,
    kind: token.kind,
    expiresAt: new Date(token.expiresAt).toISOString(),
    expiresInMinutes: inMinutes,
    scopes: scope ?? null,
    refreshToken: token.refreshToken !== undefined,
    ...(show ? { accessToken: token.accessToken } : {}),
  };
}

/** `x token <provider>`: fetches a token with the credentials of the environment and says what it is. */
export async function token(options: TokenOptions, env: NodeJS.ProcessEnv): Promise<number> {
  const entry = providerEntry(options.provider);
  const watcher = scopeWatcher();
  const client = entry.create(env, { fetch: watcher.fetch, ...debugOutput(options.debug) });
  if (!isBearer(client.auth)) {
    throw new UsageError(`${options.provider} has no token to get: it authenticates with ${entry.auth}`);
  }
  const cached = await client.auth.getToken(client.runtime);
  const info = describe(
    options.provider as string,
    cached,
    watcher.scope() ?? jwtScopes(cached.accessToken),
    options.show,
  );
  if (options.json) {
    console.log(JSON.stringify(info));
    return 0;
  }
  console.log(`${info.provider} ${info.kind}: expires ${info.expiresAt} (in ${info.expiresInMinutes} min)`);
  console.log(`scopes: ${info.scopes ?? "not reported by the provider"}`);
  console.log(`refresh token: ${info.refreshToken ? "yes" : "no"}`);
  console.log(options.show ? `token: ${cached.accessToken}` : "token: hidden (--show prints it)");
  return 0;
}
