// The operations each provider's main client serves, from the tables `scripts/generate.mjs` writes from the specs.
// The provider packages do not export these tables, so they are bundled into the command at build time (relative
// imports are bundled, package imports stay external); an `operations` export per package would replace this.
import { operations as finapi } from "../../finapi/src/generated/spec.js";
import { operations as inqom } from "../../inqom/src/generated/spec.js";
import { operations as october } from "../../october/src/generated/spec.js";
import { operations as saltedge } from "../../saltedge/src/generated/spec.js";
import { operations as sfs } from "../../sfs/src/generated/spec.js";
import { UsageError } from "./usage.js";

type Table = Record<string, Record<string, { operationId?: string }>>;
const tables: Record<string, Table> = { finapi, inqom, october, saltedge, sfs };

/** The method and path template of an operationId, e.g. finapi `getAccount` -> GET `/api/v2/accounts/{id}`. */
export function operationById(provider: string, operationId: string): { method: string; path: string } {
  const table = tables[provider] ?? {};
  for (const [path, methods] of Object.entries(table)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (operation.operationId === operationId) return { method: method.toUpperCase(), path };
    }
  }
  throw new UsageError(
    `${provider} has no operation "${operationId}"; give an operationId of its spec or METHOD /path`,
  );
}

/** Fills a path template's `{name}` segments from `--param name=value`, refusing a missing one by name. */
export function fillPath(template: string, params: Record<string, string>): Record<string, string> {
  const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
  const missing = names.filter((name) => params[name] === undefined);
  if (missing.length) {
    throw new UsageError(`${template} needs ${missing.map((name) => `--param ${name}=...`).join(" ")}`);
  }
  return Object.fromEntries(names.map((name) => [name, params[name] as string]));
}
