// @x/inqom/mini: the banking and accounting clients without their generated methods, helpers, pagers and operations
// tables, and the operations of both specs as functions of them, against the emulator.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ConfigurationError, type SdkEvent } from "@x/core";
import { FAST_RETRY, startEmulator, type StartedEmulator } from "@x/testing";
import { build } from "esbuild";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as mini from "../src/mini.js";
import {
  InvalidCfonbFileError,
  countEntryLines,
  createCfonbAccount,
  createCheckedCfonbAccount,
  createEntries,
  createInqomAccountingClient,
  createInqomClient,
  createInqomUserClient,
  entryLines,
  importCfonbFile,
  listAllEntryLineChanges,
  listAllEntryLines,
  listJournals,
  searchAllAccountingFolders,
} from "../src/mini.js";
import { cfonbFile, entries, IBAN, OTHER_IBAN, statement } from "./helpers.js";

let emulator: StartedEmulator<"inqom">;
beforeAll(async () => {
  emulator = await startEmulator("inqom");
});
afterAll(() => emulator.close());
beforeEach(() => emulator.handle.reset());

function credentials(onEvent?: (event: SdkEvent) => void) {
  const { username, password, clientId, clientSecret } = emulator.credentials;
  const authUrl = `${emulator.url}/identity/connect/token`;
  return { username, password, clientId, clientSecret, baseUrl: emulator.url, authUrl, retry: FAST_RETRY, onEvent };
}

/** Each generated operation function of a spec part ("" or "accounting/"): its name and quoted path template. */
function operationsOf(part: string) {
  const source = readFileSync(new URL(`../src/generated/${part}operations.ts`, import.meta.url), "utf8");
  return [...source.matchAll(/^export const (\w+) = .*?\("[A-Z]+", ("[^"]+")/gm)].map(([, name, path]) => ({
    name: name ?? "",
    path: path ?? "",
  }));
}
const allOperations = [...operationsOf(""), ...operationsOf("accounting/")];

/** What an app importing `imports` from @x/inqom/mini bundles (minified ESM, one file, as scripts/size.mjs reads). */
async function bundled(imports: string): Promise<string> {
  const mini = JSON.stringify(fileURLToPath(new URL("../src/mini.ts", import.meta.url)));
  const result = await build({
    stdin: { contents: `import { ${imports} } from ${mini}; console.log(${imports});`, resolveDir: "." },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    external: ["node:*"],
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

const finishedOperations = (events: SdkEvent[]) =>
  events.flatMap((event) => (event.type === "request.finished" ? [event.operationId] : []));

describe("@x/inqom/mini", () => {
  it("exports every operation of both specs as a function, the mini factories under the main names", async () => {
    expect(allOperations).toHaveLength(19);
    for (const { name } of allOperations) expect(typeof mini[name as keyof typeof mini], name).toBe("function");
    const { createInqomMiniClient } = await import("../src/client.js");
    const { createInqomAccountingMiniClient } = await import("../src/accounting-client.js");
    expect(createInqomClient).toBe(createInqomMiniClient);
    expect(createInqomAccountingClient).toBe(createInqomAccountingMiniClient);
  });

  it("an app bundles the operations it imports and none of the others", async () => {
    for (const [factory, kept] of [
      ["createInqomClient", "createCfonbAccount"],
      ["createInqomAccountingClient", "listJournals"],
      ["createInqomAccountingClient", "deleteLetterings"],
    ] as const) {
      const app = await bundled(`${factory}, ${kept}`);
      const keptPath = allOperations.find((op) => op.name === kept)?.path ?? "";
      expect(app, kept).toContain(keptPath);
      const others = allOperations.filter((op) => op.path !== keptPath && app.includes(op.path));
      expect(
        others.map((op) => op.name),
        `${factory}, ${kept}`,
      ).toEqual([]);
    }
  });

  it("a banking client calls the operation as a function, named by its operationId, and has no members", async () => {
    const events: SdkEvent[] = [];
    const inqom = createInqomClient(credentials((event) => events.push(event)));
    for (const member of ["banking", "createCfonbAccount", "importCfonbFile"]) expect(member in inqom).toBe(false);
    const body = { Iban: IBAN.replace(/\s/g, ""), BankName: "Bank", IsCfonbControlActive: true };
    const account = await createCfonbAccount(inqom, { dossierId: 1001 }, body);
    expect(account).toMatchObject({ DossierId: 1001, AccountNumber: "12345678901" });
    // Without the spec's operations table the function still names its operation in events and logs.
    expect(finishedOperations(events)).toContain("createCfonbAccount");
    const { data } = await inqom.POST("/api/app/banking/enterprises/{dossierId}/manual/ebics/accounts", {
      params: { path: { dossierId: 1002 } },
      body: { ...body, Iban: OTHER_IBAN.replace(/\s/g, "") },
    });
    expect(data?.DossierId).toBe(1002);
    expect(emulator.handle.control.accounts(1001).map((each) => each.Id)).toEqual([account.Id]);
  });

  it("takes the CFONB helpers as functions of the client: checked account, validated import", async () => {
    const inqom = createInqomClient(credentials());
    await expect(createCheckedCfonbAccount(inqom, 1001, { iban: "FR76 0000", bankName: "Bank" })).rejects.toThrow(
      ConfigurationError,
    );
    expect((await createCheckedCfonbAccount(inqom, "1001", { iban: IBAN, bankName: "Bank" })).DossierId).toBe(1001);
    const file = cfonbFile(statement("12345678901", 3));
    const result = await importCfonbFile(inqom, file, { fileName: "mini.txt" });
    expect(result.Statements.map((s) => s.MovementCount)).toEqual([3]);
    await expect(importCfonbFile(inqom, "01 not a CFONB file\n")).rejects.toBeInstanceOf(InvalidCfonbFileError);
    expect(emulator.handle.control.imports).toEqual([file]);
  });

  it("an accounting client calls the operations as functions, and the pagers page through them", async () => {
    const events: SdkEvent[] = [];
    const accounting = createInqomAccountingClient(credentials((event) => events.push(event)));
    for (const member of ["journals", "entries", "dossiers"]) expect(member in accounting).toBe(false);
    expect((await listJournals(accounting, { dossierId: 1002 })).some((j) => j.Type === "Buy")).toBe(true);
    const dossierId = 1002;
    await createEntries(accounting, { dossierId }, entries(50, 1));
    await createEntries(accounting, { dossierId }, entries(10, 51));
    const query = { dossierId, startDate: "2025-01-01", endDate: "2025-12-31" };
    expect((await countEntryLines(accounting, query)).TotalLinesCount).toBe(120);
    const pages: number[] = [];
    for await (const page of listAllEntryLines(accounting, query).pages()) pages.push(page.length);
    expect(pages).toEqual([100, 20]);
    const changes = listAllEntryLineChanges(accounting, { ...query, changedAfter: "2020-01-01T00:00:00Z" });
    expect(await changes.collect()).toHaveLength(120);
    const lines = await entryLines(accounting, dossierId, { startDate: "2025-01-01", endDate: "2025-12-31" });
    expect(await lines.collect(3)).toHaveLength(3);
    const companyId = Number(emulator.credentials.companyId);
    const dossiers = await searchAllAccountingFolders(accounting, { companyId, size: 1 }).collect();
    expect(dossiers.map((dossier) => dossier.Id)).toEqual([1001, 1002]);
    expect(new Set(finishedOperations(events))).toEqual(
      new Set([
        "listJournals",
        "createEntries",
        "countEntryLines",
        "listEntryLines",
        "listEntryLineChanges",
        "searchAccountingFolders",
      ]),
    );
    const { data } = await accounting.GET("/v1/dossiers/{dossierId}/journals", { params: { path: { dossierId } } });
    expect(data?.length).toBeGreaterThan(0);
  });

  it("user clients keep exchangeCode, the end of the login, and nothing else", () => {
    const { clientId, clientSecret } = emulator.credentials;
    const options = {
      clientId,
      clientSecret,
      user: "mini-user",
      redirectUri: "https://app.example.com/cb",
      baseUrl: emulator.url,
      authUrl: `${emulator.url}/identity/connect/token`,
    };
    const banking = createInqomUserClient(options);
    const accounting = createInqomAccountingClient(options).withOptions({ timeoutMs: 1_000 });
    for (const client of [banking, accounting]) {
      expect(typeof client.exchangeCode).toBe("function");
      for (const member of ["banking", "importCfonbFile", "journals", "entries"]) expect(member in client).toBe(false);
    }
  });
});
