import type { CachedToken } from "@x/core";

/**
 * What goes into Redis: the token, its expiry, when it was issued and its kind (plus the refresh
 * token when the grant has one). Nothing else, never the client secret that obtained it.
 */
export function serializeToken(token: CachedToken): string {
  const stored: CachedToken = {
    accessToken: token.accessToken,
    expiresAt: token.expiresAt,
    issuedAt: token.issuedAt,
    kind: token.kind,
  };
  if (token.refreshToken) stored.refreshToken = token.refreshToken;
  return JSON.stringify(stored);
}

/**
 * A stored value back to a token, or undefined for anything
 * malformed (another writer, an old format): a miss, not a crash.
 */
export function parseToken(raw: unknown): CachedToken | undefined {
  if (typeof raw !== "string") return undefined;
  let value: Partial<CachedToken>;
  try {
    value = JSON.parse(raw) as Partial<CachedToken>;
  } catch {
    return undefined;
  }
  if (
    typeof value?.accessToken !== "string" ||
    typeof value.expiresAt !== "number" ||
    typeof value.issuedAt !== "number" ||
    typeof value.kind !== "string"
  ) {
    return undefined;
  }
  const token: CachedToken = {
    accessToken: value.accessToken,
    expiresAt: value.expiresAt,
    issuedAt: value.issuedAt,
    kind: value.kind,
  };
  if (typeof value.refreshToken === "string") token.refreshToken = value.refreshToken;
  return token;
}
