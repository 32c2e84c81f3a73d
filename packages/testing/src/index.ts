// Test helpers shared by every package's tests. Private: never published, so it may depend on @x/sandbox (which is
// published and depends on nothing private); `json` and the HTTP server come from there and exist once.
export { json } from "@x/sandbox";
export { startTestServer } from "./server.js";
export type { RecordedRequest, TestHandler, TestServer } from "./server.js";
export { startEmulator } from "./emulator.js";
export type { EmulatorControl, EmulatorCredentials, EmulatorOptions, StartedEmulator } from "./emulator.js";
export { recordingLogger } from "./recording.js";
export type { RecordingLogger, RecordingLoggerMethods } from "./recording.js";
export { FAST_RETRY } from "./retry.js";
export { startConformanceProxy } from "./conformance.js";
export type {
  ConformanceExchange,
  ConformanceProxy,
  ConformanceProxyOptions,
  ConformanceViolation,
} from "./conformance.js";
