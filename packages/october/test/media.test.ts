import { ConfigurationError } from "@x/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_MEDIUM_BYTES, MediumUploadError, mediumFileUrl } from "../src/index.js";
import { json, startEmulator, startTestServer, type StartedEmulator } from "@x/testing";
import { sandboxClient } from "./helpers.js";

let emulator: StartedEmulator<"october">;
beforeAll(async () => {
  emulator = await startEmulator("october", { reportDelayMs: 40 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.handle.reset());

const pdf = new Blob(["%PDF-1.7 bank statement of ACME, March"], { type: "application/pdf" });
const OCTOBER_HEADERS = ["userid", "sessiontoken", "october-version"];

async function newRequest() {
  const client = sandboxClient(emulator);
  const { request } = await client.unwrap(
    client.POST("/requests", { body: { code: { type: "kvk", id: "12345678" } } }),
  );
  return { client, requestId: request.id };
}

describe("uploadMedium", () => {
  it("creates the draft, uploads the bytes to storage and sets the medium online", async () => {
    const { client, requestId } = await newRequest();
    const medium = await client.uploadMedium(requestId, pdf, { name: "bank_statement" });
    expect(medium).toMatchObject({ status: "online", name: "bank_statement", type: "document", request: requestId });
    expect(medium.meta).toEqual({ name: "bank_statement.bin", size: pdf.size, type: "application/pdf" });
    const uploads = emulator.handle.control.storageUploads;
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({ mediumId: medium.id, size: pdf.size });
    expect(uploads[0]?.headers["content-type"]).toBe("application/pdf");
  });

  it("sends the period and date in meta, where the medium then carries them (not a top-level period)", async () => {
    const { client, requestId } = await newRequest();
    const medium = await client.uploadMedium(requestId, pdf, {
      name: "certified_financial_statement",
      fileName: "fy2023.pdf",
      period: "year",
      date: "2023-12-31",
    });
    expect(medium.name).toBe("certified_financial_statement");
    expect(medium.meta).toEqual({
      name: "fy2023.pdf",
      size: pdf.size,
      type: "application/pdf",
      period: "year",
      date: "2023-12-31",
    });
    expect(medium).not.toHaveProperty("period");
  });

  it("puts the file's own meta beside the period in the online step's body", async () => {
    const id = "d".repeat(24);
    const draft = { id, name: "bank_statement", type: "document", status: "draft", request: "e".repeat(24) };
    const meta = { name: "march.pdf", size: pdf.size, type: "application/pdf" };
    let base = "";
    const server = await startTestServer((req, res) => {
      if (req.url === "/media") {
        const upload = { url: `${base}/s3`, method: "PUT", headers: {} };
        return json(res, 200, { medium: { ...draft, meta, url: `requests/x/${id}.pdf`, upload } });
      }
      if (req.url === "/s3") return json(res, 200, {});
      return json(res, 200, { medium: { ...draft, status: "online", meta, url: `requests/x/${id}.pdf` } });
    });
    base = server.url;
    try {
      const client = sandboxClient(emulator, { baseUrl: server.url });
      await client.uploadMedium("e".repeat(24), pdf, {
        name: "bank_statement",
        fileName: "march.pdf",
        period: "month",
      });
      const online = server.requests.find((r) => r.url === `/media/${id}`);
      expect(JSON.parse(online?.body ?? "{}")).toEqual({ status: "online", meta: { ...meta, period: "month" } });
    } finally {
      await server.close();
    }
  });

  it("refuses a period October does not list, before any request", async () => {
    const { client, requestId } = await newRequest();
    const before = emulator.handle.stats().requests;
    const period = "week" as never;
    const error = await client.uploadMedium(requestId, pdf, { name: "bank_statement", period }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ option: "period" });
    expect(emulator.handle.stats().requests).toBe(before);
  });

  it("reads the medium's url as a path on October's CDN", async () => {
    const { client, requestId } = await newRequest();
    const medium = await client.uploadMedium(requestId, pdf, { name: "other", fileName: "kbis.pdf" });
    expect(medium.url).toBe(`requests/${requestId}/${medium.id}-kbis.pdf`);
    expect(mediumFileUrl(medium)).toBe(`https://cdn.october.eu/requests/${requestId}/${medium.id}-kbis.pdf`);
    expect(mediumFileUrl({ url: "/requests/a/b.jpg" })).toBe("https://cdn.october.eu/requests/a/b.jpg");
    for (const url of ["https://evil.example/x.pdf", "//evil.example/x.pdf", "\\\\evil.example/x.pdf"]) {
      expect(() => mediumFileUrl({ url })).toThrow(expect.objectContaining({ option: "medium.url" }));
    }
  });

  it("never uploads to the medium's url: without upload data the medium stays in draft", async () => {
    const id = "d".repeat(24);
    const server = await startTestServer((_req, res) => {
      const meta = { name: "x.pdf", size: pdf.size, type: "application/pdf" };
      json(res, 200, { medium: { id, name: "other", type: "document", status: "draft", request: id, meta, url: "a" } });
    });
    try {
      const client = sandboxClient(emulator, { baseUrl: server.url });
      const error = await client.uploadMedium(id, pdf, { name: "other" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediumUploadError);
      expect((error as Error).message).toContain("no upload data");
      expect(server.requests.map((r) => r.url)).toEqual(["/media"]);
    } finally {
      await server.close();
    }
  });

  it("never sends the October headers to the storage URL", async () => {
    const { client, requestId } = await newRequest();
    await client.uploadMedium(requestId, new Uint8Array([1, 2, 3, 4]), { name: "other", fileName: "raw.bin" });
    const [upload] = emulator.handle.control.storageUploads;
    expect(upload).toBeDefined();
    for (const header of OCTOBER_HEADERS) expect(upload?.headers).not.toHaveProperty(header);
  });

  it("refuses a file over 20 MB before any request is made", async () => {
    const { client, requestId } = await newRequest();
    const before = emulator.handle.stats().requests;
    const huge = new Uint8Array(MAX_MEDIUM_BYTES + 1);
    const error = await client.uploadMedium(requestId, huge, { name: "other" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ option: "file" });
    expect((error as Error).message).toContain("20 MB");
    expect(emulator.handle.stats().requests).toBe(before);
  });

  it("leaves the medium in draft and throws MediumUploadError when storage drops the upload midway", async () => {
    const { client, requestId } = await newRequest();
    emulator.handle.control.failUploads(10, "drop");
    const error = await client.uploadMedium(requestId, pdf, { name: "bank_statement" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediumUploadError);
    const { mediumId, message } = error as MediumUploadError;
    expect(message).toContain("not set online");
    // Each attempt reached storage: plainFetch retried (2 retries), then gave up.
    expect(emulator.handle.control.storageUploads).toHaveLength(3);
    const { medium } = await client.unwrap(client.GET("/media/{id}", { params: { path: { id: mediumId } } }));
    expect(medium.status).toBe("draft");
    const reports = await client.unwrap(client.GET("/requests/{id}/reports", { params: { path: { id: requestId } } }));
    expect(reports.reports).toEqual([]);
  });

  it("reports a storage error status with the status and no online step", async () => {
    const { client, requestId } = await newRequest();
    emulator.handle.control.failUploads(10, "error");
    const error = await client
      .withOptions({ retry: false })
      .uploadMedium(requestId, pdf, { name: "other" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediumUploadError);
    expect(error).toMatchObject({ status: 500, code: "UPLOAD_FAILED" });
    const { mediumId } = error as MediumUploadError;
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ mediumId, status: 500, code: "UPLOAD_FAILED" });
    const { medium } = await client.unwrap(
      client.GET("/media/{id}", { params: { path: { id: (error as MediumUploadError).mediumId } } }),
    );
    expect(medium.status).toBe("draft");
  });

  it("survives one dropped storage upload by retrying it", async () => {
    const { client, requestId } = await newRequest();
    emulator.handle.control.failUploads(1, "drop");
    const medium = await client.uploadMedium(requestId, pdf, { name: "other" });
    expect(medium.status).toBe("online");
    expect(emulator.handle.control.storageUploads).toHaveLength(2);
  });

  it("sends the caller's Blob itself to storage on every attempt, never a copy read into memory", async () => {
    const { requestId } = await newRequest();
    const storageBodies: unknown[] = [];
    // The real fetch, recording what the SDK hands it for the storage URL.
    const recording: typeof fetch = (input, init) => {
      if (String(input).includes("/__storage/")) storageBodies.push(init?.body);
      return fetch(input, init);
    };
    const client = sandboxClient(emulator, { fetch: recording });
    emulator.handle.control.failUploads(1, "drop");
    const medium = await client.uploadMedium(requestId, pdf, {
      name: "bank_statement",
      contentType: "application/x-pdf",
    });
    expect(medium.meta.type).toBe("application/x-pdf");
    expect(storageBodies).toHaveLength(2);
    for (const body of storageBodies) expect(body).toBe(pdf);
    const uploads = emulator.handle.control.storageUploads;
    expect(uploads.map((upload) => upload.headers["content-type"])).toEqual(["application/x-pdf", "application/x-pdf"]);
  });
});
