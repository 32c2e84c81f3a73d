export { startSandbox } from "./sandbox.js";
export type { ProviderHandle, ProviderName, Sandbox, SandboxOptions, SandboxStats } from "./sandbox.js";
export { emulators } from "./emulators/index.js";
export { HttpError, createCounters, createRouter, json } from "./emulator.js";
export type {
  Counters,
  Emulator,
  EmulatorContext,
  EmulatorInstance,
  EmulatorRequest,
  Faults,
  ProviderStats,
  RouteHandler,
} from "./emulator.js";
export type { EchoControl, EchoOptions } from "./emulators/echo.js";
