import { describe, expect, it } from "vitest";
import { recordingLogger } from "../src/index.js";

describe("recordingLogger", () => {
  it("records log calls and events in order, one line each", () => {
    const recording = recordingLogger<{ type: string }>();
    recording.logger.warn("token store get failed", { key: "k1" });
    recording.onEvent({ type: "request.finished" });
    recording.logger.debug("no data");
    expect(recording.lines).toEqual([
      'warn token store get failed {"key":"k1"}',
      'event {"type":"request.finished"}',
      "debug no data {}",
    ]);
    expect(recording.events).toEqual([{ type: "request.finished" }]);
  });

  it("works when its logger and onEvent are passed on detached, as client options do", () => {
    const { logger, onEvent, lines } = recordingLogger();
    const { info } = logger;
    info("detached");
    onEvent({ type: "x" });
    expect(lines).toHaveLength(2);
  });

  it("text() shows a secret hidden in an Error's message, which plain JSON would write as {}", () => {
    const recording = recordingLogger();
    recording.logger.error("refresh failed", { error: new Error("token sk-LEAK-1 was refused") });
    recording.onEvent({ type: "auth.failed", error: Object.assign(new Error("x"), { body: { secret: "sk-LEAK-2" } }) });
    expect(recording.lines[0]).toContain("sk-LEAK-1");
    expect(recording.text()).toContain("sk-LEAK-1");
    expect(recording.text()).toContain("sk-LEAK-2");
  });

  it("text() also holds the util.inspect view, where a value JSON leaves out (a Map) still shows", () => {
    const recording = recordingLogger();
    recording.logger.info("cache", { entries: new Map([["key", "sk-LEAK-3"]]) });
    expect(recording.lines[0]).not.toContain("sk-LEAK-3");
    expect(recording.text()).toContain("sk-LEAK-3");
  });

  it("never throws into the client, even on data JSON cannot write", () => {
    const recording = recordingLogger();
    const cyclic: Record<string, unknown> = { token: "sk-LEAK-4" };
    cyclic.self = cyclic;
    expect(() => recording.logger.warn("cycle", cyclic)).not.toThrow();
    expect(() => recording.onEvent({ size: 10n })).not.toThrow();
    expect(recording.text()).toContain("sk-LEAK-4");
    expect(recording.lines[1]).toBe('event {"size":"10"}');
  });
});
