import { ConfigurationError, definePlugin, type Plugin } from "@x/core";
import type { paths } from "../generated/v3/schema.js";

/**
 * Salt Edge's header levels: `app` sends Client-id + App-secret, `customer` adds
 * Customer-secret, `login` adds Login-secret. Each level includes the ones before it.
 */
export type Level = "app" | "customer" | "login";

type Method = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";
type DefinedMethods<P extends keyof paths> = {
  [M in Method]: [NonNullable<paths[P][M]>] extends [never] ? never : M;
}[Method];

/**
 * The level of every operation of the spec (its `x-level`). `satisfies` makes the compiler
 * refuse this table if an operation is added to the spec without a level, or one is
 * removed, so types and runtime checks cannot drift from the generated `paths`.
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
} as const satisfies { [P in keyof paths]: { [M in DefinedMethods<P>]: Level } };

type Levels = typeof OPERATION_LEVELS;
/** The levels whose operations a client of level L may call. */
type Reachable = { app: "app"; customer: "app" | "customer"; login: Level };
type Denied<P extends keyof paths, L extends Level> = {
  [M in keyof Levels[P]]: Levels[P][M] extends Reachable[L] ? never : M;
}[keyof Levels[P]] &
  Method;

/**
 * The generated `paths` as seen from level L: an operation of a higher level becomes
 * `?: never`, so `client.GET("/accounts")` on an app-level client is a compile error and
 * the editor offers only what the client's headers allow.
 */
export type PathsAt<L extends Level> = {
  [P in keyof paths]: Omit<paths[P], Denied<P, L>> & { [M in Denied<P, L>]?: never };
};

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
