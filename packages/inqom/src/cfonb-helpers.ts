// The CFONB helpers of the client (`createCfonbAccount`, `importCfonbFile`) and what they need of @x/cfonb. client.ts
// loads this module with import() on their first call, so an app that never calls them does not ship the parser.
import { parseCfonb120Stream, CfonbParseError, ibanProblem, normalizeIban } from "@x/cfonb";
import { ConfigurationError, requireString, type ProviderClient } from "@x/core";
import { toCfonbBlob, type CfonbFileInput } from "./cfonb-file.js";
import { InvalidCfonbFileError, PROVIDER } from "./errors.js";
import type { paths } from "./generated/schema.js";
import type { CreateCfonbAccountRequest } from "./generated/types.js";
import type { CreateCfonbAccountInput, ImportCfonbFileOptions, ImportResult } from "./client.js";

/**
 * `client.createCfonbAccount`'s checks: the dossier id and the IBAN, turned into the operation's arguments. The caller
 * sends them with the operation function, so that this lazy module calls none (an app bundler would otherwise hoist the
 * operation into a chunk every app of the package loads, the accounting-only ones included).
 */
export function cfonbAccountArguments(
  dossierId: number | string,
  input: CreateCfonbAccountInput,
): { dossierId: number; body: CreateCfonbAccountRequest } {
  const provider = PROVIDER;
  const id = typeof dossierId === "string" && /^\d+$/.test(dossierId.trim()) ? Number(dossierId) : dossierId;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) {
    const message = "dossierId must be a positive integer: the id of the dossier in Inqom.";
    throw new ConfigurationError(message, { option: "dossierId", provider });
  }
  const iban = normalizeIban(requireString(input?.iban, "iban", provider));
  // The IBAN itself is left out of the message: it identifies a person's account.
  const problem = ibanProblem(iban);
  if (problem) throw new ConfigurationError(`iban is not a valid IBAN: ${problem}.`, { option: "iban", provider });
  const bankName = requireString(input.bankName, "bankName", provider).trim();
  if (input.cfonbControl !== undefined && typeof input.cfonbControl !== "boolean") {
    throw new ConfigurationError("cfonbControl must be a boolean.", { option: "cfonbControl", provider });
  }
  return { dossierId: id, body: { Iban: iban, BankName: bankName, IsCfonbControlActive: input.cfonbControl ?? true } };
}

/**
 * `client.importCfonbFile`: validates the file as CFONB 120 (unless `validate: false`), then uploads it. The spec's
 * operation has no generated method (`x-method-name: false`): its multipart `file` is typed as a string, and only
 * this helper names the file part and validates it.
 */
export async function importCfonbFile(
  client: ProviderClient<paths>,
  file: CfonbFileInput,
  options: ImportCfonbFileOptions = {},
): Promise<ImportResult> {
  const { validate = true, fileName, ...call } = options;
  const { blob, name } = await toCfonbBlob(file, fileName);
  if (validate) {
    try {
      // Streamed and discarded statement by statement: validating a large file costs one statement of memory.
      for await (const _statement of parseCfonb120Stream(blob.stream())) {
        // Only the problems matter here; Inqom parses the file again on its side.
      }
    } catch (error) {
      if (error instanceof CfonbParseError) throw new InvalidCfonbFileError(error);
      throw error;
    }
  }
  return client.unwrap(
    client.POST(
      "/api/app/banking/ebics/accounts/import",
      {
        body: { file: blob },
        // openapi-fetch sends FormData as is, with its multipart boundary.
        bodySerializer: () => {
          const form = new FormData();
          form.append("file", blob, name);
          return form;
        },
      },
      call,
    ),
  );
}
