export { startSandbox } from "./sandbox.js";
export type {
  DemoCredentialsOf,
  ProviderHandle,
  ProviderName,
  Sandbox,
  SandboxOptions,
  SandboxStats,
} from "./sandbox.js";
export type { CallbackRecord, RequestRecord, SandboxEvent, TokenRecord } from "./journal.js";
export { emulators } from "./emulators/index.js";
export {
  HttpError,
  createCounters,
  createRouter,
  failWith,
  json,
  oauthFail,
  routeTable,
  sameSecret,
} from "./emulator.js";
export type {
  Counters,
  Emulator,
  EmulatorContext,
  EmulatorInstance,
  EmulatorRequest,
  Fail,
  Faults,
  ProviderStats,
  Route,
  RouteHandler,
  RouteKey,
  RouteTable,
} from "./emulator.js";
export { startHttpServer } from "./server.js";
export type { BufferedRequestListener, HttpServerOptions, RunningHttpServer } from "./server.js";
export type { EchoControl, EchoOptions } from "./emulators/echo.js";
