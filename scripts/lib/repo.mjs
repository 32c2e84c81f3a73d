// Shared by the repo scripts: where the repo is, and how a script fails.
import { fileURLToPath } from "node:url";
import path from "node:path";

/** The repo root, derived from this file so the scripts also work in a temp copy of the repo. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Repo-relative POSIX path, for messages that name a file the user can open. */
export const rel = (p) => path.relative(root, p).split(path.sep).join("/");

/** A failure the user caused (bad name, bad file): printed as one line, no stack. */
export class UserError extends Error {}

/** Runs a script body; user errors print one line and exit 1, anything else is a bug and keeps its stack. */
export async function run(script, main) {
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (err) {
    if (err instanceof UserError) {
      console.error(`${script}: ${err.message}`);
      process.exitCode = 1;
    } else {
      throw err;
    }
  }
}

/** Collapses a multi-line tool message to its first meaningful line, so errors stay one line. */
export const firstLine = (message) =>
  String(message)
    .split("\n")
    .map((l) => l.trim())
    .find(Boolean) ?? "unknown error";
