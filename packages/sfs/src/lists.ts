import { XError, type ProviderClient } from "@x/core";
import { PROVIDER } from "./errors.js";
import type { components, paths } from "./generated/schema.js";

type Schemas = components["schemas"];

/** Which placeholders to list: a template's or a contract's. */
export type PlaceholderOwner = { templateKey: string } | { contractKey: string };

/**
 * The list helpers of a client-level handle. SFS answers a `list` with an envelope (`{ templates: [...], code,
 * message }`), never a bare array; each helper returns the envelope's array and throws an `XError` with code
 * `UNEXPECTED_RESPONSE` when the answer has none, so an answer of another shape never reads as an empty list.
 */
export interface SfsListHelpers {
  listTemplates(): Promise<Schemas["TemplateSummary"][]>;
  listPlaceholders(owner: PlaceholderOwner): Promise<Schemas["Placeholder"][]>;
  listContracts(): Promise<Schemas["ContractSummary"][]>;
  listRecipients(contractKey: string): Promise<Schemas["Recipient"][]>;
}

/** The list helper of the platform-level client. */
export interface SfsPlatformListHelpers {
  listClients(): Promise<Schemas["ClientSummary"][]>;
}

type Path = "/api/client" | "/api/template" | "/api/placeholder" | "/api/contract" | "/api/recipient";

/** Sends `list` on one resource and reads the named array of its envelope. */
async function listOf<Item>(
  client: ProviderClient<paths>,
  path: Path,
  field: string,
  data: Record<string, string> = {},
): Promise<Item[]> {
  // The bodies are those of the spec's list requests; one generic sender keeps the five helpers one line each.
  const send = client.POST as (path: Path, init: { body: unknown }) => ReturnType<ProviderClient<paths>["POST"]>;
  const answer: unknown = await client.unwrap(send(path, { body: { data: { action: "list", ...data } } }));
  const items = typeof answer === "object" && answer !== null ? (answer as Record<string, unknown>)[field] : undefined;
  if (!Array.isArray(items)) {
    const shape = Array.isArray(answer) ? "a bare array" : typeof answer === "object" ? "an object" : typeof answer;
    throw new XError(
      `${PROVIDER} answered list on ${path} with ${shape} without a "${field}" array; SFS lists are envelopes ` +
        `({ ${field}: [...], code, message }). Check the baseUrl points at the SFS API.`,
      { provider: PROVIDER, code: "UNEXPECTED_RESPONSE" },
    );
  }
  return items as Item[];
}

export function listHelpers(client: ProviderClient<paths>): SfsListHelpers {
  return {
    listTemplates: () => listOf(client, "/api/template", "templates"),
    listPlaceholders: (owner) => listOf(client, "/api/placeholder", "placeholders", { ...owner }),
    listContracts: () => listOf(client, "/api/contract", "contracts"),
    listRecipients: (contractKey) => listOf(client, "/api/recipient", "recipients", { contractKey }),
  };
}

export function platformListHelpers(client: ProviderClient<paths>): SfsPlatformListHelpers {
  return { listClients: () => listOf(client, "/api/client", "clients") };
}
