import { WebhookError } from "./errors.js";
import type { components } from "./generated/schema.js";

/**
 * Every event October sends, a union told apart by `event`: `switch (event.event)` narrows each case to its body, and
 * `const unhandled: never = event.event` in `default` turns an event added by a later version into a compile error
 * (checked on the name: October lists one event today, `new_report`, and TypeScript narrows a one-member union's
 * object to `never` only through its discriminant).
 */
export type OctoberWebhookEvent = components["schemas"]["WebhookEvent"];
export type OctoberWebhookEventName = OctoberWebhookEvent["event"];
/** The body of one event, by name: `OctoberWebhookEventOf<"new_report">`. */
export type OctoberWebhookEventOf<Name extends OctoberWebhookEventName> = Extract<OctoberWebhookEvent, { event: Name }>;
/** One webhook configuration of a business (`GET /businesses/{id}` → `business.settings.webhooks`). */
export type OctoberWebhookSetting = components["schemas"]["WebhookSetting"];

/** The object each event carries in `data`, by event name: `new_report` is the one October lists. */
const PAYLOAD_FIELD: Record<OctoberWebhookEventName, "report"> = { new_report: "report" };

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Parses the body of a webhook October sent (raw text, bytes or already-parsed JSON) into a typed event,
 * narrowed by `event`. It checks shape only. October says each webhook configuration has a key to validate
 * deliveries (read it at `GET /businesses/{id}`, `business.settings.webhooks[].key`) but not how a delivery
 * carries it, so this cannot check it: authenticate the sender another way (a secret path, an allow-listed
 * source) before trusting the content. The body's layout beyond the `new_report` name is modelled, not published.
 */
export function parseWebhook(body: string | ArrayBuffer | Uint8Array | unknown): OctoberWebhookEvent {
  let value: unknown = body;
  if (typeof body === "string" || body instanceof ArrayBuffer || body instanceof Uint8Array) {
    const text = typeof body === "string" ? body : new TextDecoder().decode(body);
    try {
      value = JSON.parse(text);
    } catch {
      throw new WebhookError(
        "october: the webhook body is not JSON; pass the raw request body October sent.",
        "MALFORMED_EVENT",
      );
    }
  }
  if (!isObject(value)) throw new WebhookError("october: the webhook body is not a JSON object.", "MALFORMED_EVENT");
  const { event, data } = value;
  if (typeof event !== "string")
    throw new WebhookError('october: the webhook body has no "event" name.', "MALFORMED_EVENT");
  const field = Object.hasOwn(PAYLOAD_FIELD, event) ? PAYLOAD_FIELD[event as OctoberWebhookEventName] : undefined;
  if (!field) {
    // Only a bounded, printable slice of the name: the body comes from the network.
    const shown = event.slice(0, 60).replace(/[^\x20-\x7e]/g, "?");
    throw new WebhookError(
      `october: unknown webhook event "${shown}"; known: ` +
        `${Object.keys(PAYLOAD_FIELD).join(", ")}. Upgrade @x/october if October added it.`,
      "UNKNOWN_EVENT",
    );
  }
  if (!isObject(data) || !(isObject(data[field]) && typeof data[field].id === "string"))
    throw new WebhookError(`october: the ${event} webhook lacks data.${field}.id.`, "MALFORMED_EVENT");
  return value as OctoberWebhookEvent;
}
