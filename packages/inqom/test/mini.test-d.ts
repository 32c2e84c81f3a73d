// Compile-time contract of @x/inqom/mini: the mini factories' clients have no members beyond the path style (and a
// user's `exchangeCode`), and the operation functions and pagers are typed by the spec. Nothing here runs.
import type { Paginated } from "@x/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  createCfonbAccount,
  createInqomAccountingClient,
  createInqomClient,
  createInqomUserClient,
  importCfonbFile,
  listAllEntryLines,
  listJournals,
  type CfonbAccount,
  type EntryLine,
  type ImportResult,
  type InqomAccountingClient,
  type InqomClient,
  type Journal,
} from "../src/mini.js";

declare const options: { username: string; password: string; clientId: string; clientSecret: string };
declare const user: { clientId: string; clientSecret: string; user: string; redirectUri: string };

describe("@x/inqom/mini types", () => {
  it("gives clients without the generated methods or helpers, under the main types' names", () => {
    const inqom: InqomClient = createInqomClient(options);
    // @ts-expect-error the mini client has no generated methods: call createCfonbAccount(inqom, ...)
    void inqom.banking;
    // @ts-expect-error nor the CFONB helpers as members: call importCfonbFile(inqom, file)
    void inqom.importCfonbFile;
    const accounting: InqomAccountingClient = createInqomAccountingClient(options);
    // @ts-expect-error nor the pagers: call listAllEntryLines(accounting, params)
    void accounting.entries;
    expectTypeOf(createInqomUserClient(user).exchangeCode).toBeFunction();
    expectTypeOf(createInqomAccountingClient(user).exchangeCode).toBeFunction();
  });

  it("types the operation functions and the pagers by the spec", () => {
    const inqom = createInqomClient(options);
    const accounting = createInqomAccountingClient(options);
    const body = { Iban: "FR76...", BankName: "Bank", IsCfonbControlActive: true };
    expectTypeOf(createCfonbAccount(inqom, { dossierId: 1 }, body)).resolves.toEqualTypeOf<CfonbAccount>();
    // @ts-expect-error the path parameter is required
    void createCfonbAccount(inqom, {}, body);
    expectTypeOf(importCfonbFile(inqom, "01...\n")).resolves.toEqualTypeOf<ImportResult>();
    expectTypeOf(listJournals(accounting, { dossierId: 1 })).resolves.toEqualTypeOf<Journal[]>();
    const query = { dossierId: 1, startDate: "2025-01-01", endDate: "2025-12-31" };
    expectTypeOf(listAllEntryLines(accounting, query)).toEqualTypeOf<Paginated<EntryLine>>();
  });
});
