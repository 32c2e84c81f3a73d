import { json } from "../emulator.js";
import type { EmulatorRequest, Fail, RouteTable } from "../emulator.js";

/**
 * Inqom's accounting API, as far as a sandbox needs it: fixed periods and journals, a chart of accounts that grows,
 * entries booked all or none, their lines read back 100 per page, and letterings. Shapes follow Inqom's "API
 * Accounting" guide (see specs/inqom.accounting.yaml); per dossier, in memory.
 */
export interface AccountingBook {
  accounts: { Number: string; Name: string; IsImpactable: boolean; IsDivisible: boolean }[];
  journals: { Id: number; Name: string; Description: string; Type: string }[];
  periods: { Id: number; BeginDate: string; EndDate: string; Locked: boolean; Name: string }[];
  lines: BookedLine[];
  letterings: Map<number, number[]>;
  /** Supporting documents by id: the entry they belong to and the file's name. */
  documents: Map<number, { entryId: number; fileName: string }>;
}

interface BookedLine {
  Id: number;
  Label: string;
  DebitAmount: number;
  CreditAmount: number;
  Currency: string;
  AccountNumber: string;
  ExternalId?: string;
  Entry: { Id: number; Date: string; ExternalId?: string };
  Journal: { Id: number; Code: string };
  LetterId?: number;
  /** When the line was last added or changed (ms), for the changes reads. */
  ChangedAt: number;
}

export interface AccountingState {
  books: Map<number, AccountingBook>;
  nextId: number;
}

/** What the accounting routes need of the emulator around them. */
export interface AccountingContext<State> {
  accounting(state: State): AccountingState;
  /** Checks the bearer (throws 401/403). */
  authenticate(state: State, req: EmulatorRequest): void;
  /** The path's dossier id, checked (throws 400/403/404). */
  dossier(req: EmulatorRequest, name?: string): number;

  fail: Fail<[code: string, message: string, details?: string[]]>;
  /** The one firm the sandbox knows, and its dossiers. */
  company: { id: number; dossierIds: readonly number[] };
}

const JOURNALS = [
  { Id: 1, Name: "HA", Description: "Achat", Type: "Buy" },
  { Id: 2, Name: "VT", Description: "Vente", Type: "Sell" },
  { Id: 3, Name: "BQ", Description: "Banque", Type: "Bank" },
  { Id: 4, Name: "OD", Description: "Opérations Diverses", Type: "Misc" },
];
const CHART = [
  ["401", "Fournisseurs"],
  ["411", "Clients"],
  ["44566", "TVA déductible sur autres biens et services"],
  ["512", "Banques"],
  ["607", "Achats de marchandises"],
  ["706", "Prestations de services"],
] as const;
const PERIODS = [
  { Id: 1, BeginDate: "2024-01-01T00:00:00Z", EndDate: "2024-12-31T00:00:00Z", Locked: true, Name: "2024-12" },
  { Id: 2, BeginDate: "2025-01-01T00:00:00Z", EndDate: "2025-12-31T00:00:00Z", Locked: false, Name: "2025-12" },
];
const PAGE = 100;
/** The guide's page of entry-line changes (and what observed answers confirm). */
const CHANGES_PAGE = 1000;
/** The file types Inqom's guide accepts for a supporting document. */
const DOCUMENT_TYPES = /\.(pdf|png|jpe?g|xlsx?|docx?|csv|txt)$/i;

export function emptyAccounting(): AccountingState {
  return { books: new Map(), nextId: 1 };
}

export function accountingRoutes<State>(ctx: AccountingContext<State>): RouteTable<State> {
  const { fail } = ctx;
  const book = (state: State, req: EmulatorRequest, name?: string): AccountingBook => {
    ctx.authenticate(state, req);
    const id = ctx.dossier(req, name);
    const books = ctx.accounting(state).books;
    let found = books.get(id);
    if (!found) {
      const accounts = CHART.map(([Number, Name]) => ({ Number, Name, IsImpactable: true, IsDivisible: true }));
      const journals = JOURNALS.map((journal) => ({ ...journal }));
      const periods = PERIODS.map((period) => ({ ...period }));
      books.set(id, (found = { accounts, journals, periods, lines: [], letterings: new Map(), documents: new Map() }));
    }
    return found;
  };
  const period = (req: EmulatorRequest) => {
    const start = req.url.searchParams.get("startDate");
    const end = req.url.searchParams.get("endDate");
    const date = /^\d{4}-\d{2}-\d{2}$/;
    if (!start || !end || !date.test(start) || !date.test(end)) {
      throw fail(400, "InvalidRequest", "startDate and endDate (YYYY-MM-DD) are required.");
    }
    return { start, end };
  };
  const linesOf = (state: State, req: EmulatorRequest) => {
    const { start, end } = period(req);
    const account = req.url.searchParams.get("accountNumber");
    const journal = req.url.searchParams.get("journalId");
    return book(state, req).lines.filter(
      (line) =>
        line.Entry.Date.slice(0, 10) >= start &&
        line.Entry.Date.slice(0, 10) <= end &&
        (!account || line.AccountNumber.startsWith(account)) &&
        (!journal || line.Journal.Id === Number(journal)),
    );
  };

  /** A date-time query parameter as ms, `undefined` when absent (400 when required or unreadable). */
  const instant = (req: EmulatorRequest, name: string, required = false): number | undefined => {
    const raw = req.url.searchParams.get(name);
    if (raw === null && !required) return undefined;
    const ms = raw === null ? Number.NaN : Date.parse(raw);
    if (Number.isNaN(ms)) throw fail(400, "InvalidRequest", `${name} must be a date and time (ISO 8601).`);
    return ms;
  };

  const folders = (state: State, req: EmulatorRequest) => {
    ctx.authenticate(state, req);
    const companyId = Number(req.params.companyId);
    if (companyId !== ctx.company.id) throw fail(404, "NotFound", `Company ${req.params.companyId} does not exist.`);
    return ctx.company.dossierIds.map((Id) => ({
      Id,
      Name: `DOSSIER DEMO ${Id}`,
      Siren: String(514673000 + Id),
      ExternalId: `demo-${Id}`,
      CompanyId: companyId,
      Status: "Active",
    }));
  };

  return {
    "GET /provisioning/companies/:companyId/accounting-folders": (state, req, res) => {
      json(
        res,
        200,
        folders(state, req).map((folder) => ({
          ...folder,
          UniqueName: folder.Name,
          ContractType: "Normal",
          AccountingType: "Engagement",
          StateMode: "Active",
          OwnerCompanyId: folder.CompanyId,
        })),
      );
    },

    "GET /provisioning/companies/:companyId/accounting-folders/search": (state, req, res) => {
      const query = req.url.searchParams;
      const search = (query.get("search") ?? "").toLowerCase();
      const page = Number(query.get("page") ?? "1");
      const size = Number(query.get("size") ?? "10");
      if (!Number.isSafeInteger(page) || page < 1 || !Number.isSafeInteger(size) || size < 1 || size > 100) {
        throw fail(400, "InvalidRequest", "page must be 1 or more, size 1 to 100.");
      }
      const found = folders(state, req).filter((f) => `${f.Name} ${f.ExternalId}`.toLowerCase().includes(search));
      json(res, 200, found.slice((page - 1) * size, page * size));
    },

    "GET /v1/dossiers/:dossierId/accounting-periods": (state, req, res) => {
      const DossierId = Number(req.params.dossierId);
      json(
        res,
        200,
        book(state, req).periods.map((period, i) => ({
          ...period,
          DossierId,
          ...(i > 0 ? { PreviousAccountingPeriod: book(state, req).periods[i - 1]?.Id } : {}),
        })),
      );
    },

    "POST /api/app/enterprises/:dossierId/exercices/v2": (state, req, res) => {
      const { periods } = book(state, req);
      const body = req.json<{ beginDate?: unknown; endDate?: unknown }>();
      const date = /^\d{4}-\d{2}-\d{2}$/;
      if (typeof body.beginDate !== "string" || typeof body.endDate !== "string") {
        throw fail(400, "InvalidRequest", "beginDate and endDate (YYYY-MM-DD) are required.");
      }
      if (!date.test(body.beginDate) || !date.test(body.endDate) || body.endDate <= body.beginDate) {
        throw fail(400, "InvalidRequest", "beginDate and endDate must be YYYY-MM-DD, the end after the beginning.");
      }
      const period = {
        Id: ctx.accounting(state).nextId++,
        BeginDate: `${body.beginDate}T00:00:00Z`,
        EndDate: `${body.endDate}T00:00:00Z`,
        Locked: false,
        Name: body.endDate.slice(0, 7),
      };
      periods.push(period);
      const { Locked, ...created } = period;
      json(res, 200, { ...created, EnterpriseId: Number(req.params.dossierId) });
    },

    "GET /v1/dossiers/:dossierId/journals": (state, req, res) => {
      json(res, 200, book(state, req).journals);
    },

    "POST /api/app/enterprises/:enterpriseId/journals": (state, req, res) => {
      const { journals } = book(state, req, "enterpriseId");
      const body = req.json<{ Type?: unknown; Name?: unknown; Description?: unknown }>();
      if (typeof body.Name !== "string" || !/^\w{1,4}$/.test(body.Name)) {
        throw fail(400, "InvalidRequest", "Name: 1 to 4 letters or digits.");
      }
      if (typeof body.Type !== "string" || body.Type === "") throw fail(400, "InvalidRequest", "Type is required.");
      if (journals.some((j) => j.Name === body.Name)) throw fail(400, "InvalidRequest", "A journal has this Name.");
      const journal = {
        Id: ctx.accounting(state).nextId++,
        Name: body.Name,
        Description: typeof body.Description === "string" ? body.Description : "",
        Type: body.Type,
      };
      journals.push(journal);
      json(res, 200, { ...journal, EnterpriseId: Number(req.params.enterpriseId) });
    },

    "GET /v1/dossiers/:dossierId/accounts": (state, req, res) => {
      const prefix = req.url.searchParams.get("accountNumberPrefix") ?? "";
      json(
        res,
        200,
        book(state, req).accounts.filter((a) => a.Number.startsWith(prefix)),
      );
    },

    "POST /v1/dossiers/:dossierId/accounts": (state, req, res) => {
      const accounts = book(state, req).accounts;
      const body = req.json<{ AccountNumber?: unknown; Name?: unknown }>();
      if (typeof body.AccountNumber !== "string" || !/^\w{1,22}$/.test(body.AccountNumber)) {
        throw fail(400, "InvalidRequest", "AccountNumber: 1 to 22 letters or digits.");
      }
      if (typeof body.Name !== "string" || body.Name === "" || body.Name.length > 100) {
        throw fail(400, "InvalidRequest", "Name: 1 to 100 characters.");
      }
      // Inqom maps a supplier account under 4011 (its guide's example: 401X becomes 4011X).
      const number = body.AccountNumber.replace(/^401(?!1)/, "4011");
      if (!accounts.some((a) => a.Number === number)) {
        accounts.push({ Number: number, Name: body.Name, IsImpactable: true, IsDivisible: false });
      }
      json(res, 201, number);
    },

    "POST /v1/dossiers/:dossierId/entries": (state, req, res) => {
      const target = book(state, req);
      const entries = req.json<unknown>();
      if (!Array.isArray(entries) || entries.length === 0 || entries.length > 50) {
        throw fail(400, "InvalidRequest", "Send a list of 1 to 50 entries.");
      }
      const accounting = ctx.accounting(state);
      const problems: string[] = [];
      const booked = entries.map((entry, e) => {
        const journal = target.journals.find((j) => j.Id === entry?.JournalId);
        if (!journal) problems.push(`entry ${e}: unknown JournalId`);
        if (typeof entry?.Date !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(entry.Date)) {
          problems.push(`entry ${e}: Date must be YYYY-MM-DD`);
        }
        const lines: unknown[] = Array.isArray(entry?.Lines) ? entry.Lines : [];
        let balance = 0;
        for (const [l, line] of lines.entries()) {
          const { DebitAmount, CreditAmount, AccountNumber } = (line ?? {}) as Record<string, unknown>;
          if (typeof DebitAmount !== "number" || typeof CreditAmount !== "number") {
            problems.push(`entry ${e}, line ${l}: DebitAmount and CreditAmount must be numbers`);
          } else balance += Math.round(DebitAmount * 100) - Math.round(CreditAmount * 100);
          if (!target.accounts.some((a) => a.Number === AccountNumber)) {
            problems.push(`entry ${e}, line ${l}: unknown AccountNumber`);
          }
        }
        if (lines.length < 2) problems.push(`entry ${e}: at least two lines`);
        else if (balance !== 0) problems.push(`entry ${e}: debits and credits differ`);
        return { entry, journal, lines: lines as Record<string, unknown>[] };
      });
      // All or none, as Inqom documents.
      if (problems.length) throw fail(400, "InvalidEntries", "No entry was created.", problems);
      const created = booked.map(({ entry, journal, lines }) => {
        const Entry = { Id: accounting.nextId++, Date: `${String(entry.Date).slice(0, 10)}T00:00:00Z` };
        const Lines = lines.map((line) => {
          const booked: BookedLine = {
            Id: accounting.nextId++,
            Label: String(line.Label ?? "").toUpperCase(),
            DebitAmount: line.DebitAmount as number,
            CreditAmount: line.CreditAmount as number,
            Currency: String(line.Currency ?? "EUR"),
            AccountNumber: line.AccountNumber as string,
            ...(typeof line.ExternalId === "string" ? { ExternalId: line.ExternalId } : {}),
            Entry,
            Journal: { Id: journal!.Id, Code: journal!.Name },
            ChangedAt: Date.now(),
          };
          target.lines.push(booked);
          const { Id, Label, DebitAmount, CreditAmount, AccountNumber, ExternalId } = booked;
          return { Id, Label, DebitAmount, CreditAmount, AccountNumber, ...(ExternalId ? { ExternalId } : {}) };
        });
        return {
          Id: Entry.Id,
          ...(typeof entry.ExternalId === "string" ? { ExternalId: entry.ExternalId } : {}),
          Lines,
        };
      });
      json(res, 200, created);
    },

    "GET /v1/dossiers/:dossierId/entry-lines/count": (state, req, res) => {
      const count = linesOf(state, req).length;
      json(res, 200, { TotalLinesCount: count, TotalPagesCount: Math.ceil(count / PAGE) });
    },

    "GET /v1/dossiers/:dossierId/entry-lines/changes/count": (state, req, res) => {
      const after = instant(req, "changesAfterDate", true) ?? 0;
      const count = linesOf(state, req).filter((line) => line.ChangedAt > after).length;
      json(res, 200, { TotalLinesCount: count, TotalPagesCount: Math.ceil(count / CHANGES_PAGE) });
    },

    // Lines are only ever added here, so every change is the line's creation; answers observed in production show
    // such lines with `TypeOfChange: "Update"` (the guide's table names other values), which the sandbox repeats.
    "GET /v1/dossiers/:dossierId/entry-lines/changes": (state, req, res) => {
      const after = instant(req, "changedAfter") ?? Number.NEGATIVE_INFINITY;
      const before = instant(req, "changedBefore") ?? Number.POSITIVE_INFINITY;
      const page = Number(req.url.searchParams.get("pageNumber") ?? "1");
      if (!Number.isSafeInteger(page) || page < 1) throw fail(400, "InvalidRequest", "pageNumber must be 1 or more.");
      const changed = linesOf(state, req).filter((line) => line.ChangedAt > after && line.ChangedAt <= before);
      json(res, 200, {
        EntryLines: changed
          .slice((page - 1) * CHANGES_PAGE, page * CHANGES_PAGE)
          .map(({ ExternalId, LetterId, Entry, ChangedAt, ...line }) => ({
            TypeOfChange: "Update",
            ...line,
            Entry: { Id: Entry.Id, Date: Entry.Date },
            ...(LetterId ? { LetterId } : {}),
          })),
        CurrentPage: page,
      });
    },

    "GET /v1/dossiers/:dossierId/entry-lines": (state, req, res) => {
      const page = Number(req.url.searchParams.get("pageNumber") ?? "1");
      if (!Number.isSafeInteger(page) || page < 1) throw fail(400, "InvalidRequest", "pageNumber must be 1 or more.");
      const lines = linesOf(state, req).slice((page - 1) * PAGE, page * PAGE);
      json(res, 200, {
        EntryLines: lines.map(({ ExternalId, LetterId, Entry, ChangedAt, ...line }) => ({
          ...line,
          Entry: { Id: Entry.Id, Date: Entry.Date },
          ...(LetterId ? { LetterId } : {}),
        })),
        CurrentPage: page,
      });
    },

    "POST /v1/dossiers/:dossierId/accounting-documents": async (state, req, res) => {
      const target = book(state, req);
      const contentType = req.headers["content-type"] ?? "";
      if (!contentType.startsWith("multipart/form-data")) {
        throw fail(400, "InvalidRequest", "Send the document as multipart/form-data.");
      }
      const body = new Response(new Uint8Array(req.body), { headers: { "content-type": contentType } });
      const form = await body.formData().catch(() => undefined);
      const entryId = Number(form?.get("entryId"));
      const file = form?.get("file");
      if (!target.lines.some((line) => line.Entry.Id === entryId)) {
        throw fail(400, "InvalidRequest", "entryId must be an entry of this dossier.");
      }
      if (!file || typeof file === "string") throw fail(400, "InvalidRequest", "The field `file` is missing.");
      const fileName = String(form?.get("fileName") ?? file.name ?? "");
      if (!DOCUMENT_TYPES.test(fileName)) {
        throw fail(
          400,
          "InvalidRequest",
          "fileName must end with pdf, png, jpg, jpeg, xls, xlsx, doc, docx, csv or txt.",
        );
      }
      const id = ctx.accounting(state).nextId++;
      target.documents.set(id, { entryId, fileName });
      json(res, 201, id);
    },

    "GET /v1/dossiers/:dossierId/accounting-documents/:accountingDocumentId": (state, req, res, { baseUrl }) => {
      const target = book(state, req);
      const id = Number(req.params.accountingDocumentId);
      const document = target.documents.get(id);
      if (!document) throw fail(404, "NotFound", `No accounting document ${id} in this dossier.`);
      // A link valid 60 minutes in Inqom's storage; the sandbox serves no file behind it.
      json(res, 200, { Id: id, link: `${baseUrl}/__files/${id}/${encodeURIComponent(document.fileName)}?se=60m` });
    },

    "POST /v1/dossiers/:dossierId/letterings": (state, req, res) => {
      const target = book(state, req);
      const body = req.json<{ CreateLetterringCommands?: { EntryLineIds?: unknown }[] }>();
      const commands = body.CreateLetterringCommands;
      if (!Array.isArray(commands) || commands.length === 0 || commands.length > 100) {
        throw fail(400, "InvalidRequest", "CreateLetterringCommands: 1 to 100 letterings.");
      }
      const groups = commands.map((command, c) => {
        const ids = command?.EntryLineIds;
        const lines = Array.isArray(ids) ? ids.map((id) => target.lines.find((line) => line.Id === id)) : [];
        if (lines.length < 2 || lines.some((line) => !line || line.LetterId)) {
          throw fail(400, "InvalidLettering", `lettering ${c}: at least two known, unlettered entry lines.`);
        }
        const booked = lines as BookedLine[];
        const cents = booked.reduce(
          (sum, l) => sum + Math.round(l.DebitAmount * 100) - Math.round(l.CreditAmount * 100),
          0,
        );
        if (new Set(booked.map((l) => l.AccountNumber)).size !== 1 || cents !== 0) {
          throw fail(400, "InvalidLettering", `lettering ${c}: the lines must be on one account and balance.`);
        }
        return booked;
      });
      const CreatedLetterings = groups.map((lines) => {
        const Id = ctx.accounting(state).nextId++;
        for (const line of lines) line.LetterId = Id;
        target.letterings.set(
          Id,
          lines.map((line) => line.Id),
        );
        return { Id, EntryLineIds: lines.map((line) => line.Id) };
      });
      json(res, 200, { CreatedLetterings });
    },

    "DELETE /v1/dossiers/:dossierId/letterings": (state, req, res) => {
      const target = book(state, req);
      const ids = req.json<{ LetteringIds?: unknown }>().LetteringIds;
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100) {
        throw fail(400, "InvalidRequest", "LetteringIds: 1 to 100 ids.");
      }
      for (const id of ids) {
        if (!target.letterings.delete(id)) continue;
        for (const line of target.lines) if (line.LetterId === id) delete line.LetterId;
      }
      res.writeHead(204).end();
    },
  };
}
