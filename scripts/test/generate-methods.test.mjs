import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectOneLineError, fixture } from "./fixture.mjs";
import { SPEC, node } from "./helpers.mjs";

/** The fixture spec with a paged list and a schema, under `paths:` / `components:`. */
const withList = (extra = "") =>
  SPEC.replace(
    "paths:\n",
    `paths:
  /payments/{payment_id}/refunds:
    get:
      operationId: listRefunds
      summary: Every refund of a payment
      tags: [payments]
${extra}      parameters:
        - { name: payment_id, in: path, required: true, schema: { type: string } }
        - { name: page, in: query, schema: { type: integer } }
      responses:
        "200":
          description: One page.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/RefundPage" }
`,
  ).replace(
    "components:\n",
    `components:
  schemas:
    RefundPage:
      description: One page of refunds.
      type: object
      properties:
        refunds: { type: array, items: { type: string } }
        paging: { type: object, properties: { pageCount: { type: integer } } }
`,
  );

const read = (dir, file) => readFileSync(path.join(dir, "packages/demo/src/generated", file), "utf8");

describe("generate: operation methods and named types", () => {
  it("groups the methods by tag, names them from the operationId without the tag's noun, and types them", () => {
    const dir = fixture(withList());
    expect(node(dir, "generate.mjs").status).toBe(0);
    const methods = read(dir, "methods.ts");
    expect(methods).toContain("  payments: {\n    listRefunds,\n");
    // An operation without parameters or body takes only the call's options.
    expect(methods).toContain("    create: createPayment,");
    // Each operation is a pure function of a client, named by its operationId: what a bundler can leave out.
    const operations = read(dir, "operations.ts");
    expect(operations).toContain(
      'export const listRefunds = /* @__PURE__ */ defineOperation<OperationFunction<operations["listRefunds"]>>(' +
        '"GET", "/payments/{payment_id}/refunds", {"operationId":"listRefunds"});',
    );
    expect(operations).toContain(
      'defineOperation<OperationFunction<operations["createPayment"]>>("POST", "/payments", ' +
        '{"operationId":"createPayment","idempotentActions":["create-payment"],"args":"none"});',
    );
    expect(methods).toContain("  payments: PaymentsMethods;");
    expect(methods).toContain("export interface PaymentsMethods {");
    expect(methods).toContain('  create: OperationMethod<operations["createPayment"]>;');
    expect(methods).toContain("/** Create a payment: `POST /payments`. */");
    expect(read(dir, "types.ts")).toContain('export type RefundPage = components["schemas"]["RefundPage"];');
  });

  it("types a binary field as a Blob, reads a file answer as one, and keeps schema names off the globals", () => {
    const file = withList()
      .replace(
        "paths:\n",
        `paths:
  /receipts/{id}:
    get:
      operationId: getReceipt
      tags: [payments]
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        "200":
          description: The receipt.
          content:
            application/pdf:
              schema: { type: string, format: binary }
`,
      )
      .replace(
        "  schemas:\n",
        "  schemas:\n    Error:\n      type: object\n      properties: { message: { type: string } }\n",
      );
    const dir = fixture(file);
    expect(node(dir, "generate.mjs").status).toBe(0);
    expect(read(dir, "operations.ts")).toContain(
      '("GET", "/receipts/{id}", {"operationId":"getReceipt","parseAs":"blob"});',
    );
    expect(read(dir, "schema.ts")).toMatch(/"application\/pdf": Blob;/);
    expect(read(dir, "types.ts")).toContain('export type ErrorSchema = components["schemas"]["Error"];');
  });

  it("takes x-method-name and x-pagination, and leaves out x-method-name: false", () => {
    const paged =
      "      x-method-name: refunds\n" +
      "      x-pagination: { style: page, items: refunds, param: page, next: paging.pageCount }\n";
    const dir = fixture(
      withList(paged).replace("operationId: createPayment", "operationId: createPayment\n      x-method-name: false"),
    );
    expect(node(dir, "generate.mjs").status).toBe(0);
    const methods = read(dir, "methods.ts");
    expect(methods).toContain("    refunds: listRefunds,");
    expect(read(dir, "operations.ts")).toContain(
      '"GET", "/payments/{payment_id}/refunds", ' +
        '{"operationId":"listRefunds","paging":' +
        '{"style":"page","items":"refunds","param":"page","next":"paging.pageCount"}});',
    );
    expect(methods).toContain(
      'refunds: OperationMethod<operations["listRefunds"], { items: "refunds"; pageParam: "page" }>;',
    );
    expect(methods).not.toContain("createPayment");
    expect(read(dir, "operations.ts")).not.toContain("createPayment");
  });

  it("refuses an operationId that cannot name its function, in one line", () => {
    const dir = fixture(withList().replace("operationId: listRefunds", "operationId: delete"));
    expectOneLineError(
      node(dir, "generate.mjs"),
      /specs\/demo\.yaml: GET \/payments\/\{payment_id\}\/refunds: operationId "delete" cannot name its function/,
    );
  });

  it("refuses two operations that make one method, in one line naming both", () => {
    const dir = fixture(withList("      x-method-name: create\n"));
    expectOneLineError(
      node(dir, "generate.mjs"),
      new RegExp(
        String.raw`specs/demo\.yaml: GET /payments/\{payment_id\}/refunds and POST /payments both make ` +
          String.raw`payments\.create; give one an x-method-name`,
      ),
    );
  });

  it("refuses a tag that would hide a client member, and a paging parameter the operation does not have", () => {
    const dir = fixture(SPEC.replaceAll("payments]", "fetch]").replace("- name: payments", "- name: fetch"));
    expectOneLineError(
      node(dir, "generate.mjs"),
      /tag "fetch" makes the client member "fetch".*give the tag an x-name/,
    );
    const badPaging = fixture(
      withList("      x-pagination: { style: page, items: refunds, param: cursor, next: n }\n"),
    );
    expectOneLineError(node(badPaging, "generate.mjs"), /x-pagination\.param "cursor" is not a query parameter/);
  });

  it("--check catches a stale methods module", () => {
    const dir = fixture(withList());
    node(dir, "generate.mjs");
    writeFileSync(path.join(dir, "specs/demo.yaml"), withList("      x-method-name: refunds\n"));
    const check = node(dir, "generate.mjs", ["--check"]);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain("packages/demo/src/generated/methods.ts (stale)");
  });
});
