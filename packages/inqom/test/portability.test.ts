import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Deno, Bun and edge runtimes load the package only if no module imports node: built-ins statically.
const sources = (dir: URL) =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => ({ file: f, text: readFileSync(new URL(f, dir), "utf8") }));

describe("portability", () => {
  it("has no static node: import in @x/inqom or @x/cfonb; the one Node-only path is a dynamic import", () => {
    const files = [
      ...sources(new URL("../src/", import.meta.url)),
      ...sources(new URL("../../cfonb/src/", import.meta.url)),
    ];
    expect(files.length).toBeGreaterThan(5);
    for (const { file, text } of files)
      expect(text, file).not.toMatch(/^\s*import[^(]*from\s+["']node:|require\(["']node:/m);
    expect(files.filter(({ text }) => text.includes('await import("node:fs")')).map((f) => f.file)).toEqual([
      "cfonb-file.ts",
    ]);
  });
});
