import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as parser from "@x/cfonb";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import * as cfonbEntry from "../src/cfonb.js";
import * as mainEntry from "../src/index.js";

const PARSER_EXPORTS = [
  "parseCfonb120",
  "parseCfonb120Stream",
  "formatCfonb120",
  "amountOf",
  "CfonbParseError",
  "ibanProblem",
  "normalizeIban",
  "cfonbAccountNumber",
];
const src = (file: string) => fileURLToPath(new URL(`../src/${file}`, import.meta.url));

describe("@x/inqom/cfonb: the CFONB parser has its own entry", () => {
  it("exports @x/cfonb's parser, and the main entry no longer does", () => {
    expect(Object.keys(cfonbEntry).sort()).toEqual([...PARSER_EXPORTS].sort());
    for (const name of PARSER_EXPORTS) {
      expect(cfonbEntry[name as keyof typeof cfonbEntry]).toBe(parser[name as keyof typeof parser]);
    }
    expect(Object.keys(mainEntry).filter((name) => PARSER_EXPORTS.includes(name))).toEqual([]);
  });

  it("is built and exported as ./cfonb, for import and require, with its types", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(pkg.exports["./cfonb"]).toEqual({
      import: { types: "./dist/cfonb.d.ts", default: "./dist/cfonb.js" },
      require: { types: "./dist/cfonb.d.cts", default: "./dist/cfonb.cjs" },
    });
    expect(readFileSync(new URL("../tsup.config.ts", import.meta.url), "utf8")).toContain('"src/cfonb.ts"');
  });

  it("an app that builds a client loads @x/cfonb and the helpers only on a CFONB helper's first call", async () => {
    const result = await build({
      stdin: {
        contents: `export { createInqomClient } from ${JSON.stringify(src("index.ts"))};`,
        resolveDir: src("."),
      },
      bundle: true,
      format: "esm",
      platform: "neutral",
      splitting: true,
      outdir: "out",
      write: false,
      metafile: true,
      external: ["node:*"],
      logLevel: "silent",
    });
    const outputs = Object.values(result.metafile.outputs);
    const entry = outputs.find((output) => output.entryPoint);
    const upFront = Object.keys(entry?.inputs ?? {});
    expect(upFront.some((input) => input.endsWith("src/client.ts"))).toBe(true);
    expect(upFront.filter((input) => /cfonb-helpers|\/cfonb\/(src|dist)\//.test(input))).toEqual([]);
    const lazy = outputs.filter((output) => output !== entry).flatMap((output) => Object.keys(output.inputs));
    expect(lazy.some((input) => input.endsWith("src/cfonb-helpers.ts"))).toBe(true);
    expect(lazy.some((input) => /\/cfonb\/(src|dist)\//.test(input))).toBe(true);
    expect(entry?.imports.filter((i) => i.kind === "dynamic-import")).toHaveLength(1);
  });
});
