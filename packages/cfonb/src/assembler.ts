import { decimalString, decodeAmount, scaledUnits } from "./amount.js";
import { decodeDate } from "./date.js";
import type { CfonbAmount, CfonbMovement, CfonbProblem, CfonbStatement } from "./types.js";

/** Problems kept before giving up: enough to fix a file, bounded so a garbage upload cannot fill memory. */
export const MAX_PROBLEMS = 100;

const RECORD_LENGTH = 120;

/**
 * The record-level state machine shared by the whole-text and the streaming parser: it takes
 * one line at a time and hands back each statement when its 07 closes it, so a caller never
 * needs more than one statement in memory.
 */
export interface StatementAssembler {
  /** Feeds one line without its `\n`; returns the statement this line completed, if it was valid. */
  line(text: string, lineNumber: number): CfonbStatement | undefined;
  /** Reports what the end of input leaves unfinished (an open statement, no record at all). */
  end(): void;
  readonly problems: CfonbProblem[];
  /** True once `MAX_PROBLEMS` was reached: the parser should stop reading. */
  readonly truncated: boolean;
}

interface OpenStatement {
  statement: CfonbStatement;
  line: number;
  /** A record of this statement had a problem: it is not returned. */
  bad: boolean;
  /** Every amount decoded, so the balance can be checked. */
  amountsOk: boolean;
}

export function createStatementAssembler(): StatementAssembler {
  const problems: CfonbProblem[] = [];
  let truncated = false;
  let records = 0;
  let open: OpenStatement | undefined;
  let lastMovement: CfonbMovement | undefined;
  // A 04 outside any statement was reported; its 05s would only repeat that problem.
  let skippingOrphan = false;

  const report = (line: number, column: number, field: string, message: string) => {
    if (problems.length >= MAX_PROBLEMS) truncated = true;
    else problems.push({ line, column, field, message });
  };

  function parseRecord(text: string, n: number): CfonbStatement | undefined {
    const record: RecordReader = { text, line: n, ok: true, report };
    const decimalsChar = text[19] ?? "";
    const decimals = decimalsChar >= "0" && decimalsChar <= "9" ? decimalsChar.charCodeAt(0) - 48 : -1;
    if (decimals < 0) fail(record, 20, "decimals", `"${decimalsChar}" is not a number of decimals (0-9)`);
    // Plain calls rather than per-record closures: this runs once per line of files of 100,000s of lines.
    const code = text.slice(0, 2);

    switch (code) {
      case "01": {
        if (open) {
          report(
            n,
            1,
            "recordOrder",
            `a new statement (01) starts before the statement opened on line ${open.line} ended with a 07`,
          );
        }
        skippingOrphan = false;
        lastMovement = undefined;
        const openingDate = readDate(record, 35, "date");
        const openingAmount = readAmount(record, decimals);
        open = {
          statement: {
            bankCode: trimmedField(text, 3, 7),
            counterCode: trimmedField(text, 12, 16),
            accountNumber: trimmedField(text, 22, 32),
            currency: trimmedField(text, 17, 19),
            opening: { date: openingDate, amount: openingAmount ?? ZERO },
            closing: { date: "", amount: ZERO },
            movements: [],
          },
          line: n,
          bad: !record.ok,
          amountsOk: openingAmount !== undefined,
        };
        return undefined;
      }
      case "04": {
        if (!open) {
          report(n, 1, "recordOrder", "a movement (04) outside any statement: no 01 record opens one before it");
          skippingOrphan = true;
          return undefined;
        }
        const movementAmount = readAmount(record, decimals);
        const movement: CfonbMovement = {
          bankCode: trimmedField(text, 3, 7),
          counterCode: trimmedField(text, 12, 16),
          internalOperationCode: trimmedField(text, 8, 11),
          interbankOperationCode: trimmedField(text, 33, 34),
          bookingDate: readDate(record, 35, "bookingDate"),
          valueDate: readDate(record, 43, "valueDate"),
          label: trimmedField(text, 49, 79),
          rejectionReason: trimmedField(text, 41, 42),
          entryNumber: trimmedField(text, 82, 88),
          commissionExemption: trimmedField(text, 89, 89),
          unavailability: trimmedField(text, 90, 90),
          amount: movementAmount ?? ZERO,
          reference: trimmedField(text, 105, 120),
          complements: [],
        };
        open.statement.movements.push(movement);
        lastMovement = movement;
        if (!movementAmount) open.amountsOk = false;
        if (!record.ok) open.bad = true;
        return undefined;
      }
      case "05": {
        if (!open) {
          if (!skippingOrphan)
            report(n, 1, "recordOrder", "a complement (05) outside any statement: no 01 record opens one before it");
          return undefined;
        }
        if (!lastMovement) {
          report(
            n,
            1,
            "recordOrder",
            "a complement (05) before any movement (04) of its statement: a 05 must follow the 04 it completes",
          );
          open.bad = true;
          return undefined;
        }
        if (text.slice(34, 40).trim() !== "") readDate(record, 35, "bookingDate");
        lastMovement.complements.push({
          qualifier: trimmedField(text, 46, 48),
          information: trimmedField(text, 49, 118),
        });
        if (!record.ok) open.bad = true;
        return undefined;
      }
      case "07": {
        if (!open) {
          report(n, 1, "recordOrder", "an end of statement (07) without a statement: no 01 record opens one before it");
          return undefined;
        }
        const current = open;
        open = undefined;
        lastMovement = undefined;
        const closingDate = readDate(record, 35, "date");
        const closingAmount = readAmount(record, decimals);
        current.statement.closing = { date: closingDate, amount: closingAmount ?? ZERO };
        if (closingAmount && current.amountsOk && !balances(current.statement)) {
          const { opening, movements, closing } = current.statement;
          fail(
            record,
            91,
            "balance",
            `the statement opened on line ${current.line} does not add up: ` +
              `opening balance ${opening.amount.value} plus ${movements.length} movement(s) ` +
              `is ${expectedClosing(current.statement)}, but the closing balance is ${closing.amount.value}`,
          );
        }
        return record.ok && !current.bad ? current.statement : undefined;
      }
      default:
        report(n, 1, "recordCode", `unknown record code "${code}": expected 01, 04, 05 or 07`);
        if (open) open.bad = true;
        return undefined;
    }
  }

  return {
    problems,
    get truncated() {
      return truncated;
    },
    line(raw, n) {
      let text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
      // Real files separate records with blank lines; they carry nothing.
      if (text.length < 2 || text.charCodeAt(0) <= 32) {
        if (BLANK.test(text)) return undefined;
      }
      records++;
      if (text.length !== RECORD_LENGTH) {
        report(
          n,
          Math.min(text.length, RECORD_LENGTH) + 1,
          "recordLength",
          `the record is ${text.length} characters long; CFONB 120 records are exactly ${RECORD_LENGTH}`,
        );
        if (open) open.bad = true;
        // Still read its fields, so one pass reports every problem of the line.
        text = text.length < RECORD_LENGTH ? text.padEnd(RECORD_LENGTH) : text.slice(0, RECORD_LENGTH);
      }
      return parseRecord(text, n);
    },
    end() {
      if (open) report(open.line, 1, "recordOrder", "the statement opened here never ends: no 07 record follows");
      if (records === 0) report(1, 1, "file", "the file holds no CFONB record (it is empty or blank)");
    },
  };
}

const BLANK = /^\s*$/;

/** One record being read: its problems go to the file's list and mark the record bad. */
interface RecordReader {
  readonly text: string;
  readonly line: number;
  ok: boolean;
  report(line: number, column: number, field: string, message: string): void;
}

function fail(record: RecordReader, column: number, field: string, message: string): void {
  record.ok = false;
  record.report(record.line, column, field, message);
}

/** Positions `from`..`to` (1-based, inclusive) without their padding, sliced once. */
function trimmedField(text: string, from: number, to: number): string {
  let start = from - 1;
  let end = to;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  if (start === end) return "";
  const value = text.slice(start, end);
  if (end - start > INTERNED_MAX) return value;
  // Codes repeat on every record: keep one copy, so a large parsed file retains far fewer strings.
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size >= 4096) interned.clear();
  interned.set(value, value);
  return value;
}

const INTERNED_MAX = 7;
const interned = new Map<string, string>();

function readDate(record: RecordReader, from: number, name: string): string {
  const iso = decodeDate(record.text, from - 1);
  if (iso !== undefined) return iso;
  fail(record, from, name, `"${record.text.slice(from - 1, from + 5)}" is not a DDMMYY date`);
  return "";
}

function readAmount(record: RecordReader, decimals: number): CfonbAmount | undefined {
  const decoded = decimals < 0 ? undefined : decodeAmount(record.text, 90, decimals);
  if (!decoded)
    fail(
      record,
      91,
      "amount",
      `"${record.text.slice(90, 104)}" is not an amount: expected 13 digits and a sign character ({, A-I, }, J-R)`,
    );
  return decoded;
}

const ZERO: CfonbAmount = { units: 0, decimals: 0, value: "0" };

function scaleOf(statement: CfonbStatement): number {
  let scale = Math.max(statement.opening.amount.decimals, statement.closing.amount.decimals);
  for (const movement of statement.movements) scale = Math.max(scale, movement.amount.decimals);
  return scale;
}

function sumAtScale(statement: CfonbStatement, scale: number): bigint {
  let total = scaledUnits(statement.opening.amount, scale);
  for (const movement of statement.movements) total += scaledUnits(movement.amount, scale);
  return total;
}

// BigInt, because the sum of many 14-digit amounts can leave the exact range of a number.
function balances(statement: CfonbStatement): boolean {
  const scale = scaleOf(statement);
  return sumAtScale(statement, scale) === scaledUnits(statement.closing.amount, scale);
}

function expectedClosing(statement: CfonbStatement): string {
  const scale = scaleOf(statement);
  return decimalString(sumAtScale(statement, scale), scale);
}
