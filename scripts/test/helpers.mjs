// Temp copies of the repo, so script tests never touch the working tree they run in.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Skipped when copying: installs, build output and git state are recreated by the test or not needed. */
const SKIP = new Set(["node_modules", ".git", ".turbo", "dist"]);

/**
 * Copies the given top-level entries of the repo into a temp dir. With `linkNodeModules` the root node_modules is
 * symlinked (fast, read-only use: running the scripts); otherwise the caller installs its own.
 */
export function tempRepo(entries, { linkNodeModules = true } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "x-scripts-"));
  for (const entry of entries) {
    cpSync(path.join(repo, entry), path.join(dir, entry), {
      recursive: true,
      filter: (src) => !SKIP.has(path.basename(src)),
    });
  }
  if (linkNodeModules) symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"), "dir");
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a command without a shell; returns exit code and output for assertions. */
export function run(cwd, cmd, args) {
  const result = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, CI: "true", NO_COLOR: "1" } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export const node = (cwd, script, args = []) =>
  run(cwd, process.execPath, [path.join(cwd, "scripts", script), ...args]);

export const SPEC = `openapi: 3.1.0
info:
  title: Demo API
  version: 1.0.0
  description: Fixture for the script tests.
servers:
  - url: https://api.demo.example
    description: Production
    x-environment: production
  - url: https://sandbox.demo.example
    description: Sandbox environment
security:
  - key: []
tags:
  - name: payments
    description: Payments.
paths:
  /payments:
    post:
      operationId: createPayment
      summary: Create a payment
      tags: [payments]
      x-idempotent: true
      x-action: create-payment
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema:
                type: object
                properties:
                  id:
                    type: string
        "400":
          description: Bad request.
          content:
            application/json:
              schema:
                type: object
                properties:
                  message:
                    type: string
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-Key
`;
