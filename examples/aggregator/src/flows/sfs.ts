import { createSfsClient, type SfsHandle } from "@x/sfs";
import type { Flow } from "./types.js";

/**
 * SFS's two-level auth: the platform's clients listed with the platform token (apiKey + secret), a client token for
 * each of two clients obtained with it, a template list on each, then one client token revoked and the next call on
 * that client getting a new one transparently; last, the same list with the API key mode (X-Sendforsign-Key, no
 * token). The result counts tokens by kind from the SDK's own events, so the line reads the same against the real
 * platform. Each action is a method (`clients.list()`, `templates.list()`) returning the array of SFS's list
 * envelope, or throwing when an answer has none, so a wrong shape fails the flow instead of reading as 0 templates.
 * Read-only actions only: the flow may run against a real account.
 */
export const sfsFlow: Flow = {
  provider: "sfs",
  name: "platform + 2 client tokens, revoke one; API key",
  realEnv: ["SFS_API_KEY", "SFS_SECRET", "SFS_CLIENT_KEY", "SFS_CLIENT_KEY_2"],
  async run({ sandboxUrl, demoCredentials, real, env }) {
    const fetched: Record<string, number> = {};
    const sfs = createSfsClient({
      apiKey: (real ? env.SFS_API_KEY : demoCredentials.apiKey) ?? "",
      secret: (real ? env.SFS_SECRET : demoCredentials.secret) ?? "",
      ...(real ? (env.SFS_BASE_URL ? { baseUrl: env.SFS_BASE_URL } : {}) : { baseUrl: sandboxUrl }),
      onEvent: (event) => {
        if (event.type === "token.fetched") fetched[event.kind] = (fetched[event.kind] ?? 0) + 1;
      },
    });
    const keys = real
      ? [env.SFS_CLIENT_KEY, env.SFS_CLIENT_KEY_2]
      : [demoCredentials.clientKey, demoCredentials.clientKey2];
    const [first, second] = keys.map((key) => sfs.forClient(key ?? "")) as [SfsHandle, SfsHandle];
    const count = async (handle: SfsHandle) => (await handle.templates.list()).length;

    const clients = (await sfs.clients.list()).length;
    const listed = [await count(first), await count(second)];
    await first.revoke();
    await count(first); // a new client token, fetched transparently with the cached platform token
    const keyed = createSfsClient({
      auth: "apiKey",
      apiKey: (real ? env.SFS_API_KEY : demoCredentials.apiKey) ?? "",
      ...(real ? (env.SFS_BASE_URL ? { baseUrl: env.SFS_BASE_URL } : {}) : { baseUrl: sandboxUrl }),
    });
    const byKey = await count(keyed.forClient(keys[0] ?? ""));
    const tokens = Object.entries(fetched)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(", ");
    const revoked = `revoked 1 client token; fetched ${tokens}`;
    return { result: `${clients} clients, templates ${listed.join("+")}; ${revoked}; ${byKey} by API key` };
  },
};
