// Compile-time contract of @x/sfs/mini: its clients have no action or generated members, and each action function
// takes a client of its level only (the spec's x-level), full or mini. Nothing here runs.
import type { MethodPromise } from "@x/core";
import { describe, expectTypeOf, it } from "vitest";
import { createSfsClient as createFullClient } from "../src/index.js";
import {
  createSfsClient,
  listClients,
  listTemplates,
  createRecipients,
  type ResultResponse,
  type TemplateSummary,
} from "../src/mini.js";

declare const apiKey: string;
declare const secret: string;

describe("@x/sfs/mini", () => {
  it("has no action or generated members, and keeps forClient and the platform credential", () => {
    const sfs = createSfsClient({ apiKey, secret });
    const acme = sfs.forClient("CLIENT_KEY");
    // @ts-expect-error mini: listClients(sfs) instead
    void sfs.clients;
    // @ts-expect-error mini: listTemplates(acme) instead
    void acme.templates;
    // @ts-expect-error mini: downloadPdf(acme, { contractKey }) instead
    void acme.contracts;
    expectTypeOf(sfs.platformAuth.kind).toEqualTypeOf<string>();
    const keyed = createSfsClient({ auth: "apiKey", apiKey });
    // @ts-expect-error the API key mode has no platform token
    void keyed.platformAuth;
    void keyed.forClient("CLIENT_KEY");
  });

  it("types each action function by its action, at its level, for a mini or a full client", () => {
    const sfs = createSfsClient({ apiKey, secret });
    const acme = sfs.forClient("CLIENT_KEY");
    const full = createFullClient({ apiKey, secret });
    expectTypeOf(listTemplates(acme)).toEqualTypeOf<MethodPromise<TemplateSummary[]>>();
    expectTypeOf(listTemplates(full.forClient("CLIENT_KEY"))).toEqualTypeOf<MethodPromise<TemplateSummary[]>>();
    expectTypeOf(createRecipients(acme, { contractKey: "C", recipients: [] })).toEqualTypeOf<
      MethodPromise<ResultResponse>
    >();
    void listClients(sfs);
    void listClients(full);
    // @ts-expect-error templates are client-level: listTemplates(sfs.forClient(clientKey))
    void listTemplates(sfs);
    // @ts-expect-error clients are platform-level: listClients(sfs)
    void listClients(acme);
    // @ts-expect-error the action sets `action` itself
    void listTemplates(acme, { action: "list" });
    // @ts-expect-error recipients.create needs its contractKey and recipients
    void createRecipients(acme);
  });
});
