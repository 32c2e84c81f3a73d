/**
 * An amount exactly as the record carries it: CFONB amounts are 14 digits (13 plus the one
 * hidden in the sign character), which a JavaScript number holds exactly as an integer but
 * not as a fraction, so the value is kept in minor units and as a decimal string.
 */
export interface CfonbAmount {
  /** Signed integer count of 10^-decimals units: `-19040` with 2 decimals is -190.40. */
  units: number;
  /** Number of decimals declared by the record (position 20). */
  decimals: number;
  /** The same amount as a decimal string, e.g. "-190.40": for display or a decimal library. */
  value: string;
}

/** A 01 (opening) or 07 (closing) balance. */
export interface CfonbBalance {
  /** ISO date, YYYY-MM-DD. */
  date: string;
  amount: CfonbAmount;
}

/** A 05 record: one complement of the movement before it. */
export interface CfonbComplement {
  /** Positions 46–48: LIB, NPY, IPY, RCN, REF, MMO, NBE, ... ("" when blank). */
  qualifier: string;
  /** Positions 49–118, trimmed. */
  information: string;
}

/** A 04 record and its 05 complements. Text fields are trimmed; "" means blank. */
export interface CfonbMovement {
  /** Positions 3–7; may differ from the statement's (real files do this). */
  bankCode: string;
  /** Positions 12–16 (guichet). */
  counterCode: string;
  /** Positions 8–11, the bank's own operation code. */
  internalOperationCode: string;
  /** Positions 33–34, the interbank operation code. */
  interbankOperationCode: string;
  /** Positions 35–40, YYYY-MM-DD. */
  bookingDate: string;
  /** Positions 43–48, YYYY-MM-DD. */
  valueDate: string;
  /** Positions 49–79. */
  label: string;
  /** Positions 41–42. */
  rejectionReason: string;
  /** Positions 82–88. */
  entryNumber: string;
  /** Position 89. */
  commissionExemption: string;
  /** Position 90. */
  unavailability: string;
  amount: CfonbAmount;
  /** Positions 105–120. */
  reference: string;
  complements: CfonbComplement[];
}

/** One account statement: a 01, its movements, a 07. */
export interface CfonbStatement {
  bankCode: string;
  counterCode: string;
  /** Positions 22–32 (11 characters, alphanumeric). */
  accountNumber: string;
  /** ISO 4217 code, "" when the file leaves it blank. */
  currency: string;
  opening: CfonbBalance;
  closing: CfonbBalance;
  movements: CfonbMovement[];
}

/** One thing wrong with a file, located so that a person can fix it. */
export interface CfonbProblem {
  /** 1-based line number in the file (blank lines count). */
  line: number;
  /** 1-based column where the field starts. */
  column: number;
  /** The field, e.g. "amount", "valueDate", "recordLength", "recordOrder", "balance". */
  field: string;
  message: string;
}
