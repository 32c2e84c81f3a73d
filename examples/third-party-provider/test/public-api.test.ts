import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const src = path.join(root, "src");
const sourceFiles = readdirSync(src, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts"))
  .map((f) => path.join(src, f));

interface ImportUse {
  file: string;
  specifier: string;
  node: ts.StringLiteral;
  names: string[];
}

/** Every module a source file reaches: static imports, re-exports, `import()` and `require()`. */
function importsOf(program: ts.Program): ImportUse[] {
  const uses: ImportUse[] = [];
  for (const file of sourceFiles) {
    const sf = program.getSourceFile(file);
    if (!sf) throw new Error(`${file} is not part of the program`);
    const visit = (node: ts.Node) => {
      if (
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        const names: string[] = [];
        const bindings = ts.isImportDeclaration(node) ? node.importClause?.namedBindings : node.exportClause;
        if (bindings && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings))) {
          for (const element of bindings.elements) names.push((element.propertyName ?? element.name).text);
        } else if (
          bindings ||
          (ts.isImportDeclaration(node) && node.importClause?.name) ||
          (ts.isExportDeclaration(node) && !node.exportClause)
        ) {
          names.push("*"); // namespace, default or `export *`: cannot be checked name by name
        }
        uses.push({
          file: path.relative(root, file),
          specifier: node.moduleSpecifier.text,
          node: node.moduleSpecifier,
          names,
        });
      }
      if (
        ts.isCallExpression(node) &&
        (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
          (ts.isIdentifier(node.expression) && node.expression.text === "require"))
      ) {
        const arg = node.arguments[0];
        uses.push({
          file: path.relative(root, file),
          specifier: arg && ts.isStringLiteral(arg) ? arg.text : "<dynamic>",
          node: arg as ts.StringLiteral,
          names: ["*"],
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return uses;
}

// The package's own tsconfig, so this check sees exactly what `pnpm typecheck` sees.
const config = ts.getParsedCommandLineOfConfigFile(
  path.join(root, "tsconfig.json"),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  },
);
if (!config) throw new Error("cannot read tsconfig.json");
const program = ts.createProgram(sourceFiles, config.options);
const uses = importsOf(program);

// Type-checking and code generation take seconds on a busy CI machine.
describe("the third-party provider uses @x/core's documented public API and nothing else", { timeout: 60_000 }, () => {
  it("src imports only @x/core and its own files (no node:, no deep @x/core paths, no other package)", () => {
    const offending = uses.filter((u) => {
      if (u.specifier === "@x/core") return false;
      if (!u.specifier.startsWith(".")) return true;
      const target = path.resolve(root, path.dirname(u.file), u.specifier);
      return !target.startsWith(src + path.sep);
    });
    expect(offending.map((u) => `${u.file}: ${u.specifier}`)).toEqual([]);
    expect(uses.some((u) => u.specifier === "@x/core")).toBe(true);
  });

  it(
    "every name imported from @x/core is exported by its published entry point (dist/index.d.ts, as consumers " +
      "resolve it)",
    () => {
      const checker = program.getTypeChecker();
      const coreUses = uses.filter((u) => u.specifier === "@x/core");
      const first = coreUses[0];
      if (!first) throw new Error("no import of @x/core found");
      const moduleSymbol = checker.getSymbolAtLocation(first.node);
      const declaration = moduleSymbol?.declarations?.[0]?.getSourceFile().fileName ?? "";
      // Resolved through package.json "exports", never into core's src: only what is published counts.
      expect(declaration).toMatch(/packages\/core\/dist\/index\.d\.ts$/);
      const exported = new Set(checker.getExportsOfModule(moduleSymbol as ts.Symbol).map((s) => s.name));
      const used = coreUses.flatMap((u) => u.names.map((name) => ({ where: u.file, name })));
      expect(
        used.filter((u) => u.name === "*").map((u) => u.where),
        "use named imports so each name can be checked",
      ).toEqual([]);
      expect(used.filter((u) => !exported.has(u.name)).map((u) => `${u.where}: ${u.name}`)).toEqual([]);
    },
  );

  it("every name imported from @x/core is documented in @x/core's README", () => {
    const readme = readFileSync(path.join(root, "..", "..", "packages", "core", "README.md"), "utf8");
    const names = [...new Set(uses.filter((u) => u.specifier === "@x/core").flatMap((u) => u.names))];
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !new RegExp(`\\b${name}\\b`).test(readme))).toEqual([]);
  });

  it("src type-checks against @x/core's published declarations", () => {
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
  });

  it("the generated schema and operations table match openapi/ledgerly.yaml (generate --check)", () => {
    const result = spawnSync(process.execPath, [path.join(root, "scripts", "generate.mjs"), "--check"], {
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
