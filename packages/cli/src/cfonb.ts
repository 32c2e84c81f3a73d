import { createReadStream, statSync } from "node:fs";
import { CfonbParseError, parseCfonb120Stream, type CfonbProblem, type CfonbStatement } from "@x/cfonb";
import { UsageError, note, progress } from "./usage.js";

export interface CfonbOptions {
  file: string | undefined;
  json: boolean;
}

/** One statement in a line: account, period, balances and what moved. */
function summary(statement: CfonbStatement) {
  let credits = 0;
  let debits = 0;
  for (const movement of statement.movements) {
    // Minor units are integers: summed exactly, converted once for display.
    if (movement.amount.units >= 0) credits += movement.amount.units;
    else debits -= movement.amount.units;
  }
  const decimals = statement.opening.amount.decimals;
  const money = (units: number) => (units / 10 ** decimals).toFixed(decimals);
  return {
    account: statement.accountNumber,
    bank: `${statement.bankCode} ${statement.counterCode}`,
    currency: statement.currency,
    opening: { date: statement.opening.date, amount: statement.opening.amount.value },
    closing: { date: statement.closing.date, amount: statement.closing.amount.value },
    movements: statement.movements.length,
    credits: money(credits),
    debits: money(debits),
  };
}

/** `x cfonb <file>`: validates a CFONB 120 file as it streams in and summarises it, or lists its problems by line. */
export async function cfonb(options: CfonbOptions): Promise<number> {
  if (!options.file) throw new UsageError("give the CFONB 120 file to check: x cfonb <file>");
  let size: number;
  try {
    size = statSync(options.file).size;
  } catch {
    throw new UsageError(`${options.file} cannot be read; give the path of a CFONB 120 file`);
  }
  const stream = createReadStream(options.file);
  const done = progress(`reading ${options.file}`, () => `${Math.round((stream.bytesRead / (size || 1)) * 100)}%`);
  const statements: ReturnType<typeof summary>[] = [];
  let problems: readonly CfonbProblem[] = [];
  let truncated = false;
  try {
    for await (const statement of parseCfonb120Stream(stream)) statements.push(summary(statement));
  } catch (error) {
    if (!(error instanceof CfonbParseError)) throw error;
    problems = error.problems;
    truncated = error.truncated;
  } finally {
    done();
  }

  if (options.json) {
    console.log(JSON.stringify({ file: options.file, valid: problems.length === 0, statements, problems, truncated }));
  } else {
    for (const s of statements) {
      console.log(
        `${s.account} (${s.bank}) ${s.currency || "---"}: ${s.opening.date} ${s.opening.amount} -> ` +
          `${s.closing.date} ${s.closing.amount}, ${s.movements} movements (+${s.credits} / -${s.debits})`,
      );
    }
    for (const p of problems) console.log(`line ${p.line}, column ${p.column} (${p.field}): ${p.message}`);
    const count = `${statements.length} statement${statements.length === 1 ? "" : "s"}`;
    if (problems.length === 0) note(`${options.file}: valid CFONB 120, ${count}`);
    else note(`${options.file}: invalid, ${problems.length}${truncated ? "+" : ""} problem(s); ${count} read whole`);
  }
  return problems.length > 0 ? 1 : 0;
}
