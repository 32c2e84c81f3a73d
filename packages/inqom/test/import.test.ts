import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiError } from "@x/core";
import { json, startEmulator, startTestServer, type StartedEmulator } from "@x/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidCfonbFileError, createInqomClient } from "../src/index.js";
import { IBAN, OTHER_IBAN, cfonbFile, sandboxClient, statement, serverCredentials } from "./helpers.js";

let emulator: StartedEmulator<"inqom">;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator("inqom");
  dir = await mkdtemp(join(tmpdir(), "inqom-"));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => emulator.handle.reset());

const control = () => emulator.handle.control;
// The account numbers CFONB records carry for IBAN and OTHER_IBAN.
const file = cfonbFile(statement("12345678901", 4), statement("00000000002", 0), statement("12345678901", 7, 1));

async function withAccounts() {
  const client = sandboxClient(emulator);
  await client.createCfonbAccount(1001, { iban: IBAN, bankName: "Bank" });
  await client.createCfonbAccount(1001, { iban: OTHER_IBAN, bankName: "Bank" });
  return client;
}

describe("importCfonbFile", () => {
  it("uploads a valid multi-statement file and returns what Inqom imported", async () => {
    const client = await withAccounts();
    const result = await client.importCfonbFile(file);
    expect(result.Statements.map((s) => [s.AccountNumber, s.MovementCount, s.OpeningBalance])).toEqual([
      ["12345678901", 4, "500.00"],
      ["00000000002", 0, "500.00"],
      ["12345678901", 7, "500.00"],
    ]);
    expect(control().imports).toEqual([file]);
  });

  it("accepts a path, bytes, a Blob and CRLF text, and sends the same file each time", async () => {
    const client = await withAccounts();
    const path = join(dir, "releve-mars.txt");
    await writeFile(path, file);
    await client.importCfonbFile(path);
    await client.importCfonbFile(new TextEncoder().encode(file));
    await client.importCfonbFile(new Blob([file]));
    await client.importCfonbFile(new URL(`file://${path}`));
    const crlf = file.replace(/\n/g, "\r\n");
    await client.importCfonbFile(crlf);
    expect(control().imports).toEqual([file, file, file, file, crlf]);
  });

  it("sends multipart with the field `file`, a file name and text/plain", async () => {
    const server = await startTestServer((req, res) => {
      if (req.path === "/identity/connect/token") return json(res, 200, { access_token: "t", expires_in: 3600 });
      json(res, 200, { Statements: [] });
    });
    try {
      const client = createInqomClient({
        ...serverCredentials(server),
      });
      await client.importCfonbFile(join(dir, "missing.txt")).catch(() => undefined);
      const path = join(dir, "releve-avril.txt");
      await writeFile(path, file);
      await client.importCfonbFile(path);
      await client.importCfonbFile(file);
      const uploads = server.requests.filter((r) => r.path === "/api/app/banking/ebics/accounts/import");
      expect(uploads).toHaveLength(2);
      expect(uploads[0]?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
      expect(uploads[0]?.body).toContain('Content-Disposition: form-data; name="file"; filename="releve-avril.txt"');
      expect(uploads[0]?.body).toContain("Content-Type: text/plain");
      expect(uploads[1]?.body).toContain('filename="releve.cfonb.txt"');
      expect(uploads[0]?.headers.authorization).toBe("Bearer t");
    } finally {
      await server.close();
    }
  });

  it("replays the multipart upload of a file from disk whole after a refused token", async () => {
    const client = await withAccounts();
    const path = join(dir, "releve-replay.txt");
    await writeFile(path, file);
    emulator.handle.control.expireAllTokens();
    const before = emulator.handle.stats();
    await client.importCfonbFile(path);
    // The refused import, a new token, the replayed import: the same file-backed FormData sent twice.
    expect(emulator.handle.stats().requests - before.requests).toBe(3);
    expect(control().imports).toEqual([file]);
  });

  it("retries the multipart upload whole after a 503 when the caller marks it safe to repeat", async () => {
    const client = (await withAccounts()).withOptions({ idempotent: true });
    emulator.handle.setFaults({ failNext: { status: 503, count: 1 } });
    const before = emulator.handle.stats().requests;
    await client.importCfonbFile(new Blob([file]));
    expect(emulator.handle.stats().requests - before).toBe(2);
    expect(control().imports).toEqual([file]);
  });

  it("refuses a bad file with every problem by line and column and sends nothing", async () => {
    const client = sandboxClient(emulator);
    const lines = file.split("\n");
    lines[1] = (lines[1] as string).slice(0, 119);
    lines[3] = `${(lines[3] as string).slice(0, 103)}X${(lines[3] as string).slice(104)}`;
    const error = await client.importCfonbFile(lines.join("\n")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCfonbFileError);
    expect((error as InvalidCfonbFileError).problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 2, column: 120 }),
        expect.objectContaining({ line: 4, column: 91, field: "amount" }),
      ]),
    );
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ option: "file", problems: expect.any(Array) });
    await expect(client.importCfonbFile("")).rejects.toBeInstanceOf(InvalidCfonbFileError);
    expect(emulator.handle.stats().requests).toBe(0);
  });

  it("with validate: false sends the file as is, and Inqom's refusal is an ApiError with its code", async () => {
    const client = await withAccounts();
    const error = await client
      .importCfonbFile(file.replace("VIR SEPA 1 ", "VIR SEPA 1"), { validate: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: "InvalidCfonbFile" });
  });

  it("names an unreadable path in a ConfigurationError", async () => {
    const client = sandboxClient(emulator);
    await expect(client.importCfonbFile(join(dir, "nope.txt"))).rejects.toMatchObject({
      option: "file",
      message: expect.stringContaining("ENOENT"),
    });
  });

  it("validates a 50 MB file from disk by streaming: a bad last record is found, " +
    "nothing is sent, and the heap grows far less than the file", async () => {
    const path = join(dir, "big.txt");
    const chunk = cfonbFile(statement("12345678901", 1000));
    const handle = await open(path, "w");
    let size = 0;
    for (; size < 50 * 1024 * 1024; size += chunk.length) await handle.write(chunk);
    await handle.write("0499999\n");
    await handle.close();
    const client = sandboxClient(emulator);
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const error = await client.importCfonbFile(path).catch((e: unknown) => e);
    clearInterval(timer);
    expect(error).toBeInstanceOf(InvalidCfonbFileError);
    expect((error as InvalidCfonbFileError).problems[0]).toMatchObject({
      field: "recordLength",
      line: (size / chunk.length) * (chunk.split("\n").length - 1) + 1,
    });
    expect(emulator.handle.stats().requests).toBe(0);
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  }, 30_000);
});
