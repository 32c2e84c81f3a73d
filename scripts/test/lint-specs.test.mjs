import { describe, expect, it } from "vitest";
import { expectOneLineError, fixture } from "./fixture.mjs";
import { SPEC, node } from "./helpers.mjs";

describe("lint-specs", () => {
  it("passes a valid spec", () => {
    const result = node(fixture(), "lint-specs.mjs");
    expect(result.status, result.stderr).toBe(0);
  });

  it("fails a spec that breaks a rule, in one line naming the file and the problem", () => {
    const broken = SPEC.replace(/ {8}"400":[\s\S]*?type: string\n(?=components)/, "");
    expectOneLineError(
      node(fixture(broken), "lint-specs.mjs"),
      /^lint-specs: specs\/demo\.yaml: 1 error; first: line \d+: Operation must have at least one `4XX` response/,
    );
  });

  it("fails invalid YAML in one line", () => {
    expectOneLineError(
      node(fixture("openapi: 3.1.0\ninfo: [a\n"), "lint-specs.mjs"),
      /^lint-specs: specs\/demo\.yaml: invalid YAML at line 3:1/,
    );
  });
});
