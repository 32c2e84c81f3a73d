import { ApiError, ConfigurationError } from "@x/core";
import type { Sandbox } from "@x/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IBAN, inqomSandbox, sandboxClient } from "./helpers.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await inqomSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe("createCfonbAccount", () => {
  it("creates the account with the IBAN in electronic form and the CFONB control on by default", async () => {
    const client = sandboxClient(sandbox);
    const account = await client.createCfonbAccount("1001", { iban: IBAN.toLowerCase(), bankName: " Société Générale " });
    expect(account).toMatchObject({ DossierId: 1001, Iban: "FR7630006000011234567890189", BankName: "Société Générale", IsCfonbControlActive: true, AccountNumber: "12345678901" });
    const off = await client.createCfonbAccount(1002, { iban: IBAN, bankName: "SG", cfonbControl: false });
    expect(off.IsCfonbControlActive).toBe(false);
  });

  it.each([
    ["a mistyped digit", "FR76 3000 6000 0112 3456 7890 188", /mod-97/],
    ["two swapped digits", "FR76 3000 6000 0112 3456 7809 189", /mod-97/],
    ["a dropped digit", "FR76 3000 6000 0112 3456 7890 18", /27 characters/],
    ["an unknown country", "XX76 3000 6000 0112 3456 7890 189", /not a country/],
  ])("catches an IBAN with %s before sending anything, naming the field but not echoing the IBAN", async (_, iban, message) => {
    const client = sandboxClient(sandbox);
    const error = await client.createCfonbAccount(1001, { iban, bankName: "Bank" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ option: "iban", message });
    expect((error as Error).message).not.toContain(iban.replace(/\s/g, "").slice(4, 20));
    expect(sandbox.provider("inqom").stats().requests).toBe(0);
  });

  it.each([0, -3, 1.5, "12a", Number.NaN, undefined])("refuses the dossier id %s before sending anything", async (dossierId) => {
    const client = sandboxClient(sandbox);
    await expect(client.createCfonbAccount(dossierId as number, { iban: IBAN, bankName: "Bank" })).rejects.toMatchObject({ option: "dossierId" });
    await expect(client.createCfonbAccount(1001, { iban: IBAN, bankName: "  " })).rejects.toMatchObject({ option: "bankName" });
    expect(sandbox.provider("inqom").stats().requests).toBe(0);
  });

  it("maps a duplicate IBAN and an unknown dossier onto ApiError with Inqom's code", async () => {
    const client = sandboxClient(sandbox);
    await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
    const duplicate = await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" }).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(ApiError);
    expect(duplicate).toMatchObject({ status: 409, code: "DuplicateIban", message: expect.stringContaining("DuplicateIban") });
    await expect(client.createCfonbAccount(999, { iban: IBAN, bankName: "Bank" })).rejects.toMatchObject({ status: 404, code: "NotFound" });
  });
});
