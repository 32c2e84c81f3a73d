import { ApiError, ConfigurationError } from "@x/core";
import { startEmulator, type StartedEmulator } from "@x/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isInqomError } from "../src/index.js";
import { IBAN, cfonbFile, sandboxClient, statement } from "./helpers.js";

let emulator: StartedEmulator<"inqom">;
beforeAll(async () => {
  emulator = await startEmulator("inqom");
});
afterAll(() => emulator.close());
beforeEach(() => emulator.handle.reset());

describe("createCfonbAccount", () => {
  it("creates the account with the IBAN in electronic form and the CFONB control on by default", async () => {
    const client = sandboxClient(emulator);
    const account = await client.createCfonbAccount("1001", {
      iban: IBAN.toLowerCase(),
      bankName: " Société Générale ",
    });
    expect(account).toMatchObject({
      DossierId: 1001,
      Iban: "FR7630006000011234567890189",
      BankName: "Société Générale",
      IsCfonbControlActive: true,
      AccountNumber: "12345678901",
    });
    const off = await client.createCfonbAccount(1002, { iban: IBAN, bankName: "SG", cfonbControl: false });
    expect(off.IsCfonbControlActive).toBe(false);
  });

  it.each([
    ["a mistyped digit", "FR76 3000 6000 0112 3456 7890 188", /mod-97/],
    ["two swapped digits", "FR76 3000 6000 0112 3456 7809 189", /mod-97/],
    ["a dropped digit", "FR76 3000 6000 0112 3456 7890 18", /27 characters/],
    ["an unknown country", "XX76 3000 6000 0112 3456 7890 189", /not a country/],
  ])(
    "catches an IBAN with %s before sending anything, naming the field but not echoing the IBAN",
    async (_, iban, message) => {
      const client = sandboxClient(emulator);
      const error = await client.createCfonbAccount(1001, { iban, bankName: "Bank" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ option: "iban", message });
      expect((error as Error).message).not.toContain(iban.replace(/\s/g, "").slice(4, 20));
      expect(emulator.handle.stats().requests).toBe(0);
    },
  );

  it.each([0, -3, 1.5, "12a", Number.NaN, undefined])(
    "refuses the dossier id %s before sending anything",
    async (dossierId) => {
      const client = sandboxClient(emulator);
      await expect(
        client.createCfonbAccount(dossierId as number, { iban: IBAN, bankName: "Bank" }),
      ).rejects.toMatchObject({ option: "dossierId" });
      await expect(client.createCfonbAccount(1001, { iban: IBAN, bankName: "  " })).rejects.toMatchObject({
        option: "bankName",
      });
      expect(emulator.handle.stats().requests).toBe(0);
    },
  );

  it("maps a duplicate IBAN and an unknown dossier onto ApiError with Inqom's code", async () => {
    const client = sandboxClient(emulator);
    await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
    const duplicate = await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" }).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(ApiError);
    expect(duplicate).toMatchObject({
      status: 409,
      code: "DuplicateIban",
      message: expect.stringContaining("DuplicateIban"),
    });
    await expect(client.createCfonbAccount(999, { iban: IBAN, bankName: "Bank" })).rejects.toMatchObject({
      status: 404,
      code: "NotFound",
    });
  });
});

describe("helpers and guard", () => {
  it("withOptions keeps every helper (createCfonbAccount, importCfonbFile), working on the derived one", async () => {
    const root = sandboxClient(emulator);
    const client = root.withOptions({ timeoutMs: 5_000 }).withOptions({ retry: false });
    expect(Object.keys(root).filter((key) => !(key in client))).toEqual([]);
    const account = await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
    expect(account.AccountNumber).toBe("12345678901");
    const result = await client.importCfonbFile(cfonbFile(statement("12345678901", 2)));
    expect(result.Statements.map((s) => s.MovementCount)).toEqual([2]);
  });

  it("isInqomError recognises this package's errors, by code too, and no other provider's", async () => {
    const client = sandboxClient(emulator);
    await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
    const duplicate = await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" }).catch((e: unknown) => e);
    expect(isInqomError(duplicate)).toBe(true);
    expect(isInqomError(duplicate, "DuplicateIban")).toBe(true);
    expect(isInqomError(duplicate, "NotFound")).toBe(false);
    const invalid = await client.importCfonbFile("not a CFONB file\n").catch((e: unknown) => e);
    expect(isInqomError(invalid, "INVALID_CFONB_FILE")).toBe(true);
    expect(isInqomError(new ApiError("x", { provider: "sfs", status: 409, code: "DuplicateIban" }))).toBe(false);
    expect(isInqomError(new Error("x"))).toBe(false);
  });
});
