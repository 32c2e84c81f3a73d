import { inspect } from "node:util";

type LogMethod = (message: string, data?: Record<string, unknown>) => void;

/** The logger shape @x/core's clients take (`{ debug, info, warn, error }`), structurally, so no import of core. */
export interface RecordingLoggerMethods {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

export interface RecordingLogger<Event = unknown> {
  /** Pass as a client's `logger`. */
  logger: RecordingLoggerMethods;
  /** Pass as a client's `onEvent`; a bound function, so it can be destructured. */
  onEvent: (event: Event) => void;
  /** Every event received, in order. */
  events: Event[];
  /**
   * Everything reported, in order, one line each: `<level> <message> <data as JSON>` for a log call and
   * `event <event as JSON>` for an event. Errors inside data are written with their name, message and own fields.
   */
  lines: string[];
  /**
   * Every line, then the `util.inspect` view of each log's data and each event (what a console logger would print),
   * as one text: search it for a secret with `expect(recording.text()).not.toContain(secret)`.
   */
  text(): string;
}

/**
 * Collects what an SDK client reports through its logger and its events, so a test can search it for secrets or
 * assert on a warning.
 *
 * @example
 * const recording = recordingLogger<SdkEvent>();
 * const client = createSfsClient({ ...credentials, logger: recording.logger, onEvent: recording.onEvent });
 * // ... a failing call ...
 * expect(recording.text()).not.toContain(credentials.secret);
 */
export function recordingLogger<Event = unknown>(): RecordingLogger<Event> {
  const events: Event[] = [];
  const lines: string[] = [];
  const reported: unknown[] = [];
  const log =
    (level: string): LogMethod =>
    (message, data) => {
      reported.push(data);
      lines.push(`${level} ${message} ${toJson(data ?? {})}`);
    };
  return {
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    onEvent: (event) => {
      events.push(event);
      reported.push(event);
      lines.push(`event ${toJson(event)}`);
    },
    events,
    lines,
    text: () => [...lines, ...reported.map((value) => inspect(value, { depth: 10 }))].join("\n"),
  };
}

/**
 * JSON as a log shipper would write it, except that a plain Error keeps its name, message and own fields (JSON
 * alone writes `{}`, which would hide a secret in a message), a bigint becomes text, and a value JSON cannot write
 * (a cycle) falls back to `util.inspect`, so recording never throws into the client.
 */
function toJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, field: unknown) => {
      if (typeof field === "bigint") return field.toString();
      if (field instanceof Error) return { ...field, name: field.name, message: field.message };
      return field;
    });
  } catch {
    return inspect(value, { depth: 10 });
  }
}
