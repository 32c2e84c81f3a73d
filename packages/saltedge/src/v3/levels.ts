import { ConfigurationError, definePlugin, type MethodsAt, type PathsAt as CorePathsAt, type Plugin } from "@x/core";
import type { MethodLevels, Methods, PathLevels } from "../generated/v3/methods.js";
import type { paths } from "../generated/v3/schema.js";

/**
 * Salt Edge's header levels: `app` sends Client-id + App-secret, `customer` adds
 * Customer-secret, `login` adds Login-secret. Each level includes the ones before it.
 */
export type Level = "app" | "customer" | "login";

/**
 * The level of every operation of the spec (its `x-level`), for the runtime guard. `satisfies` the generated
 * `PathLevels`, so the compiler refuses this table when the spec adds, removes or moves an operation.
 */
export const OPERATION_LEVELS = {
  "/countries": { get: "app" },
  "/providers": { get: "app" },
  "/providers/{provider_code}": { get: "app" },
  "/customers": { get: "app", post: "app" },
  "/customers/{customer_id}": { delete: "app" },
  "/tokens/create": { post: "customer" },
  "/tokens/reconnect": { post: "login" },
  "/tokens/refresh": { post: "login" },
  "/oauth_providers/create": { post: "customer" },
  "/oauth_providers/reconnect": { post: "login" },
  "/oauth_providers/refresh": { post: "login" },
  "/login": { get: "login", post: "customer", delete: "login" },
  "/login/reconnect": { put: "login" },
  "/login/refresh": { put: "login" },
  "/login/interactive": { put: "login" },
  "/accounts": { get: "login" },
  "/transactions": { get: "login" },
  "/transactions/pending": { get: "login" },
  "/attempts": { get: "login" },
  "/attempts/{attempt_id}": { get: "login" },
} as const satisfies PathLevels;

/** The levels whose operations a client of level L may call: its own and those below it. */
type Reachable = { app: "app"; customer: "app" | "customer"; login: Level };

/**
 * The generated `paths` as seen from level L (core's `PathsAt` over the spec's `x-level`): an operation of a higher
 * level becomes `?: never`, so `client.GET("/accounts")` on an app-level client is a compile error and the editor
 * offers only what the client's headers allow.
 */
export type PathsAt<L extends Level> = CorePathsAt<paths, PathLevels, Reachable[L]>;

/**
 * The generated methods a client of level L may call (core's `MethodsAt`): `app.accounts` is not there, so
 * `app.accounts.list()` is a compile error naming `accounts`.
 */
export type MethodsOf<L extends Level> = MethodsAt<Methods, MethodLevels, Reachable[L]>;

const RANK: Record<Level, number> = { app: 0, customer: 1, login: 2 };

/**
 * The level an operation needs, by its path template as written in the spec (`ctx.operation.path`,
 * e.g. "/attempts/{attempt_id}"), or undefined for an operation the spec does not describe.
 */
export function levelOf(method: string, path: string): Level | undefined {
  return (OPERATION_LEVELS as Partial<Record<string, Partial<Record<string, Level>>>>)[path]?.[method.toLowerCase()];
}

const HOW_TO_REACH: Record<Level, string> = {
  app: "createSaltEdgeClient({ clientId, appSecret })",
  customer: "client.forCustomer(customerSecret)",
  login: "client.forCustomer(customerSecret).forLogin(loginSecret)",
};

/**
 * Refuses, before anything is sent, a typed call whose level this client cannot reach. The
 * types already prevent it; this catches JavaScript callers, which would otherwise get a
 * CustomerNotFound or LoginNotFound from Salt Edge that hides the cause.
 *
 * The level is that of `ctx.operation`, the spec operation the call was made for. Calls outside
 * the spec (`client.fetch`) carry no operation and are not checked: their route is not guessed
 * from the URL, so Salt Edge judges them, and a refusal is still an `AuthenticationError` with
 * its error class.
 */
export function levelGuard(level: Level): Plugin {
  return definePlugin({
    name: "saltedge-level-guard",
    middleware(request, next, ctx) {
      const { operation } = ctx;
      const needed = operation && levelOf(operation.method, operation.path);
      if (operation === undefined || needed === undefined || RANK[needed] <= RANK[level]) return next(request);
      return Promise.reject(
        new ConfigurationError(
          `${operation.method} ${operation.path} needs the ${needed} level ` +
            `(${needed === "login" ? "Login-secret" : "Customer-secret"}), but this ` +
            `client is at the ${level} level; call it on ${HOW_TO_REACH[needed]}.`,
          {
            provider: ctx.provider,
            option: needed === "login" ? "loginSecret" : "customerSecret",
            code: "LEVEL_MISSING",
          },
        ),
      );
    },
  });
}
