// What the error guards promise at compile time (checked by tsc, and by vitest's typecheck mode where it is on).
import { describe, expectTypeOf, it } from "vitest";
import { isXError, providerErrorGuard, XError, type CoreErrorCode } from "../src/index.js";

type SfsErrorCode = "NOT_FOUND" | "RATE_LIMITED";
const PROVIDER = "sfs";
const isSfsError = providerErrorGuard<SfsErrorCode, typeof PROVIDER>(PROVIDER);
const caught: unknown = new Error("x");

describe("error guards narrow", () => {
  it("isXError narrows to XError, and to the provider and code asked for", () => {
    if (isXError(caught)) expectTypeOf(caught).toEqualTypeOf<XError & Readonly<{}>>();
    if (isXError(caught, { provider: "sfs", code: "NOT_FOUND" })) {
      expectTypeOf(caught.provider).toEqualTypeOf<"sfs">();
      expectTypeOf(caught.code).toEqualTypeOf<"NOT_FOUND">();
    }
  });

  it("a provider guard narrows the provider to its constant and the code to the one given", () => {
    if (isSfsError(caught, "NOT_FOUND")) {
      expectTypeOf(caught.provider).toEqualTypeOf<"sfs">();
      expectTypeOf(caught.code).toEqualTypeOf<"NOT_FOUND">();
    }
    if (isSfsError(caught, "TIMEOUT")) expectTypeOf(caught.code).toEqualTypeOf<"TIMEOUT">();
    // @ts-expect-error not a code of SFS nor of core
    isSfsError(caught, "NOPE");
  });

  it("without a code, the code is one of the provider's, one of core's, or none", () => {
    if (isSfsError(caught)) expectTypeOf(caught.code).toEqualTypeOf<SfsErrorCode | CoreErrorCode | undefined>();
  });
});
