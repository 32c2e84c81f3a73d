// finAPI emulator, bank data: a user's bank connections, accounts and transactions, in finAPI Access V2's shapes
// (specs/finapi.yaml: BankConnection, Account, PageableTransactionList), and their list routes.
import type { EmulatorRequest } from "../emulator.js";

export interface AccountRecord {
  id: number;
  bankConnectionId: number;
  accountName: string;
  iban: string;
  accountNumber: string;
  accountHolderName: string;
  accountType: "Checking" | "Savings";
  balance: number;
}

export interface TransactionRecord {
  id: number;
  accountId: number;
  amount: number;
  purpose: string;
  counterpartName: string;
  counterpartIban: string | null;
  bankBookingDate: string;
  /** Set by an edit (`PATCH /api/v2/transactions/{id}`); false as imported. */
  isNew?: boolean;
  /** The split's parts (`POST /api/v2/transactions/{id}/split`), gone again on a restore. */
  children?: TransactionRecord[];
  /** The split transaction a part belongs to. */
  parentId?: number;
}

export interface ConnectionRecord {
  id: number;
  name: string | null;
  accounts: AccountRecord[];
  /** When the last import or update finished. */
  updatedAt: string;
}

/** A bank's answer in the emulator: the finAPI test bank, with no interface details. */
const TEST_BANK = {
  id: 280001,
  name: "finAPI Test Bank",
  bic: "TESTBANKXXX",
  blz: "00000000",
  location: null,
  city: null,
  isTestBank: true,
  popularity: 0,
  interfaces: [],
  bankGroup: null,
  isBeta: false,
  logo: null,
  icon: null,
};

/**
 * A connection to the test bank with a checking and a savings account and `transactions` transactions, spread over
 * both. Deterministic amounts (every third one is income) so direction filters have something to split.
 */
export function createConnection(
  nextId: () => number,
  holder: string,
  transactions: number,
  into: TransactionRecord[],
): ConnectionRecord {
  const connectionId = nextId();
  const accounts: AccountRecord[] = (["Checking", "Savings"] as const).map((accountType, i) => ({
    id: nextId(),
    bankConnectionId: connectionId,
    accountName: accountType === "Checking" ? "Girokonto" : "Tagesgeld",
    iban: `DE8937040044053201300${i}`,
    accountNumber: `053201300${i}`,
    accountHolderName: holder,
    accountType,
    balance: 0,
  }));
  for (let i = 0; i < transactions; i++) {
    const account = accounts[i % accounts.length] as AccountRecord;
    const amount = i % 3 === 0 ? 1250 + i : -(12.5 + i);
    account.balance = Math.round((account.balance + amount) * 100) / 100;
    into.push({
      id: nextId(),
      accountId: account.id,
      amount,
      purpose: amount > 0 ? `Gehalt ${i}` : `Einkauf ${i}`,
      counterpartName: amount > 0 ? "Arbeitgeber GmbH" : "Supermarkt AG",
      counterpartIban: amount > 0 ? "DE02120300000000202051" : null,
      bankBookingDate: new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
    });
  }
  return { id: connectionId, name: null, accounts, updatedAt: new Date().toISOString() };
}

/** `BankConnection`: the bank as an object, its interfaces and owners; no `bankId` in V2. */
export function bankConnectionView(connection: ConnectionRecord, updating: boolean) {
  return {
    id: connection.id,
    name: connection.name,
    updateStatus: updating ? "IN_PROGRESS" : "READY",
    categorizationStatus: "READY",
    interfaces: [
      {
        bankingInterface: "XS2A",
        loginCredentials: [{ label: "Onlinebanking-ID", value: "XXXXX" }],
        defaultTwoStepProcedureId: null,
        twoStepProcedures: [],
        aisConsent: { status: "PRESENT", expiresAt: null, supportsImportNewAccounts: true },
        lastManualUpdate: { result: "OK", errorMessage: null, errorType: null, timestamp: connection.updatedAt },
        lastAutoUpdate: null,
        userActionRequired: false,
        maxDaysForDownload: 0,
      },
    ],
    accountIds: connection.accounts.map((a) => a.id),
    owners: [],
    bank: TEST_BANK,
  };
}

const PAYMENT_CAPABILITIES = {
  sepaInstantMoneyTransfer: false,
  sepaFutureMoneyTransfer: false,
  sepaFutureCollectiveMoneyTransfer: false,
  domesticMoneyTransfer: false,
  domesticCollectiveMoneyTransfer: false,
  domesticFutureMoneyTransfer: false,
  domesticFutureCollectiveMoneyTransfer: false,
};

/** `Account` of Access V2. */
export function accountView(account: AccountRecord, updatedAt: string) {
  return {
    id: account.id,
    bankConnectionId: account.bankConnectionId,
    accountName: account.accountName,
    iban: account.iban,
    accountNumber: account.accountNumber,
    subAccountNumber: null,
    accountHolderName: account.accountHolderName,
    accountHolderId: null,
    accountCurrency: "EUR",
    accountType: account.accountType,
    balance: account.balance,
    overdraft: null,
    overdraftLimit: null,
    availableFunds: null,
    isNew: false,
    interfaces: [
      {
        bankingInterface: "XS2A",
        status: "UPDATED",
        capabilities: ["DATA_DOWNLOAD"],
        paymentCapabilities: PAYMENT_CAPABILITIES,
        lastSuccessfulUpdate: updatedAt,
        lastUpdateAttempt: updatedAt,
      },
    ],
    isSeized: false,
  };
}

/** `Transaction` of Access V2 (the emulator splits, but does not categorize). */
export function transactionView(t: TransactionRecord, importDate: string) {
  return {
    id: t.id,
    parentId: t.parentId ?? null,
    accountId: t.accountId,
    valueDate: t.bankBookingDate,
    bankBookingDate: t.bankBookingDate,
    finapiBookingDate: t.bankBookingDate,
    amount: t.amount,
    currency: "EUR",
    purpose: t.purpose,
    counterpartName: t.counterpartName,
    counterpartIban: t.counterpartIban,
    category: null,
    labels: [],
    isPotentialDuplicate: false,
    isAdjustingEntry: false,
    isNew: t.isNew ?? false,
    importDate,
    children: t.children?.map((child) => child.id) ?? null,
  };
}

/** A list query parameter, repeated (finAPI's published style) or comma-separated. */
export function listParam(req: EmulatorRequest, name: string): string[] | undefined {
  const values = req.url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(","))
    .filter(Boolean);
  return values.length ? values : undefined;
}

export const idsParam = (req: EmulatorRequest, name: string) => listParam(req, name)?.map(Number);
