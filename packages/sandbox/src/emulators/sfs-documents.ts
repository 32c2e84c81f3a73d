import { randomUUID } from "node:crypto";
import { json } from "../emulator.js";
import type { EmulatorRequest, RouteTable } from "../emulator.js";
import {
  type Client,
  type Contract,
  type Placeholder,
  type Recipient,
  type State,
  clientOf,
  envelope,
  fail,
  file,
  nextId,
  objectOf,
  placeholder,
  placeholdersIn,
  stamp,
  text,
  unknownAction,
} from "./sfs-state.js";

// The client-level resources of the SFS emulator: templates, placeholders, contracts, recipients and their files.
// Answers follow the reference pages: lists are envelopes (`{ templates }`, `{ placeholders }`, `{ contracts }`,
// `{ recipients }`) beside `code` and `message`, never bare arrays.

const templateSummary = ({ templateKey, name, createTime, changeTime }: Client["templates"][number]) => ({
  templateKey,
  name,
  createTime,
  changeTime,
});

function contractOf(client: Client, contractKey: unknown): Contract {
  const contract = typeof contractKey === "string" ? client.contracts.get(contractKey) : undefined;
  if (!contract) throw fail(404, "Not found: unknown contractKey");
  return contract;
}

function templateOf(client: Client, templateKey: unknown) {
  const template = client.templates.find((t) => t.templateKey === templateKey);
  if (!template) throw fail(404, "Not found: unknown templateKey");
  return template;
}

/** Recipients from a request's `recipients[]`; each needs an email. */
function recipientsOf(state: State, client: Client, data: Record<string, unknown>, sent: boolean): Recipient[] {
  const given = data.recipients;
  if (!Array.isArray(given) || given.length === 0) throw fail(400, "Bad request: recipients[] is required");
  return given.map((item) => {
    const r = objectOf(item);
    if (typeof r.email !== "string" || r.email === "") throw fail(400, "Bad request: each recipient needs an email");
    const time = stamp();
    return {
      id: nextId(state),
      recipientKey: randomUUID(),
      name: text(r.fullname),
      email: r.email,
      customMessage: text(r.customMessage),
      position: text(r.position, "1"),
      action: text(r.action, "sign"),
      clientKey: client.clientKey,
      createTime: time,
      changeTime: time,
      sent,
    };
  });
}

/** The placeholders of a new contract: the template's, with the values given by key or by name. */
function filledPlaceholders(state: State, from: Placeholder[], contractKey: string, values: unknown): Placeholder[] {
  const filled = from.map((p, i) => ({ ...placeholder(state, `${contractKey}-ph-${i + 1}`, p.name, p.value, i + 1) }));
  for (const item of Array.isArray(values) ? values : []) {
    const v = objectOf(item);
    const index = from.findIndex((p) => p.placeholderKey === v.placeholderKey || p.name === v.name);
    const target = index >= 0 ? filled[index] : undefined;
    if (target) target.value = text(v.value);
    else if (typeof v.name === "string") {
      filled.push(
        placeholder(state, `${contractKey}-ph-${filled.length + 1}`, v.name, text(v.value), filled.length + 1),
      );
    }
  }
  return filled;
}

/** A stand-in for a document file: real enough to check its type, with the contract's name inside. */
function documentBytes(kind: "pdf" | "docx", contract: Contract): Uint8Array {
  const head = kind === "pdf" ? "%PDF-1.4\n" : "PK\u0003\u0004";
  return new TextEncoder().encode(`${head}% sandbox stand-in for contract "${contract.name}"\n`);
}

/** The multipart field `pdf` of an upload, as bytes. */
async function uploadedPdf(req: EmulatorRequest): Promise<Uint8Array> {
  const contentType = req.headers["content-type"] ?? "";
  if (!contentType.startsWith("multipart/form-data")) {
    throw fail(400, "Bad request: send the file as multipart/form-data with the field pdf");
  }
  const body = new Response(new Uint8Array(req.body), { headers: { "content-type": contentType } });
  const pdf = (await body.formData().catch(() => undefined))?.get("pdf");
  if (!pdf || typeof pdf === "string") throw fail(400, "Bad request: the multipart field pdf is missing");
  return new Uint8Array(await pdf.arrayBuffer());
}

export const documentRoutes: RouteTable<State> = {
  "POST /api/template": (state, req, res) => {
    const data = envelope(req);
    const client = clientOf(state, req, data);
    if (data.action === "list") {
      const templates = client.templates.map(templateSummary);
      return json(res, 200, { templates, code: "200", message: "Templates found" });
    }
    if (data.action === "read") {
      const { placeholders: _, pdf: __, ...template } = templateOf(client, objectOf(data.template).templateKey);
      return json(res, 200, { template, code: "200", message: "Template found" });
    }
    if (data.action === "create") {
      const given = objectOf(data.template);
      if (typeof given.name !== "string" || given.name === "")
        throw fail(400, "Bad request: template.name is required");
      const templateKey = randomUUID();
      const value = text(given.value);
      const marked = placeholdersIn(state, templateKey, value);
      const named = (Array.isArray(data.placeholders) ? data.placeholders : []).map((item, i) => {
        const p = objectOf(item);
        return placeholder(state, `${templateKey}-ph-${marked.length + i + 1}`, text(p.name), text(p.value), i + 1);
      });
      const time = stamp();
      const placeholders = [...marked, ...named.filter((p) => !marked.some((m) => m.name === p.name))];
      client.templates.push({ templateKey, name: given.name, value, createTime: time, changeTime: time, placeholders });
      return json(res, 201, { template: { templateKey, createTime: time }, code: "201", message: "Template created" });
    }
    throw unknownAction(data.action);
  },

  "POST /api/placeholder": (state, req, res) => {
    const data = envelope(req);
    const client = clientOf(state, req, data);
    if (data.action === "list") {
      const owner =
        data.templateKey !== undefined
          ? templateOf(client, data.templateKey)
          : data.contractKey !== undefined
            ? contractOf(client, data.contractKey)
            : undefined;
      if (!owner) throw fail(400, "Bad request: list needs a templateKey or a contractKey");
      return json(res, 200, { placeholders: owner.placeholders, code: "200", message: "Placeholders found" });
    }
    if (data.action === "create") {
      const contract = contractOf(client, data.contractKey);
      const given = objectOf(data.placeholder);
      if (typeof given.name !== "string" || given.name === "") {
        throw fail(400, "Bad request: placeholder.name is required");
      }
      const position = contract.placeholders.length + 1;
      const created = placeholder(state, randomUUID(), given.name, text(given.value), position);
      contract.placeholders.push(created);
      // The reference page answers this one with a numeric code (201), unlike the other resources.
      return json(res, 201, {
        placeholder: { ...created, position: String(position) },
        code: 201,
        message: "Placeholder created",
      });
    }
    throw unknownAction(data.action);
  },

  "POST /api/contract": (state, req, res) => {
    const data = envelope(req);
    const client = clientOf(state, req, data);
    if (data.action === "list") {
      const contracts = [...client.contracts.values()].map(({ contractKey, name, status, createTime, changeTime }) => ({
        contractKey,
        name,
        status,
        createTime,
        changeTime,
      }));
      return json(res, 200, { contracts, code: "200", message: "Contracts found" });
    }
    if (data.action === "create") {
      const given = objectOf(data.contract);
      if (typeof given.name !== "string" || given.name === "")
        throw fail(400, "Bad request: contract.name is required");
      const template = given.templateKey === undefined ? undefined : templateOf(client, given.templateKey);
      const contractKey = randomUUID();
      const value = template ? template.value : text(given.value);
      const from = template ? template.placeholders : placeholdersIn(state, contractKey, value);
      const recipients = data.recipients === undefined ? [] : recipientsOf(state, client, data, true);
      const time = stamp();
      client.contracts.set(contractKey, {
        contractKey,
        name: given.name,
        value,
        status: recipients.length ? "Sent" : "Created",
        createTime: time,
        changeTime: time,
        placeholders: filledPlaceholders(state, from, contractKey, data.placeholders),
        recipients,
      });
      return json(res, 201, { contract: { contractKey, createTime: time }, code: "201", message: "Contract created" });
    }
    if (data.action === "update") {
      const given = objectOf(data.contract);
      const contract = contractOf(client, given.contractKey);
      if (typeof given.name === "string") contract.name = given.name;
      if (typeof given.value === "string") contract.value = given.value;
      contract.changeTime = stamp();
      const { contractKey, createTime, changeTime } = contract;
      return json(res, 201, {
        contract: { contractKey, createTime, changeTime },
        code: "201",
        message: "Contract updated",
      });
    }
    throw unknownAction(data.action);
  },

  "POST /api/recipient": (state, req, res) => {
    const data = envelope(req);
    const client = clientOf(state, req, data);
    const contract = contractOf(client, data.contractKey);
    if (data.action === "list") {
      const recipients = contract.recipients.map(({ sent: _, ...recipient }) => recipient);
      return json(res, 200, { recipients, code: "200", message: "Recipients found" });
    }
    if (data.action === "create") {
      contract.recipients.push(...recipientsOf(state, client, data, false));
      return json(res, 200, { result: true, code: "200", message: "Recipient created" });
    }
    if (data.action === "send") {
      // A recipient given with its recipientKey is updated and sent; one without is added and sent.
      const given = recipientsOf(state, client, data, true);
      given.forEach((sent, i) => {
        const key = objectOf((data.recipients as unknown[])[i]).recipientKey;
        const existing = contract.recipients.find((r) => r.recipientKey === key);
        if (existing) Object.assign(existing, { ...sent, id: existing.id, recipientKey: existing.recipientKey });
        else contract.recipients.push(sent);
      });
      for (const r of contract.recipients) r.sent = true;
      contract.status = "Sent";
      return json(res, 200, { result: true, code: "200", message: "Contract sent" });
    }
    if (data.action === "update") {
      const given = objectOf(data.recipient);
      const recipient = contract.recipients.find((r) => r.recipientKey === given.recipientKey);
      if (!recipient) throw fail(404, "Not found: unknown recipientKey");
      if (typeof given.fullname === "string") recipient.name = given.fullname;
      if (typeof given.email === "string") recipient.email = given.email;
      if (typeof given.customMessage === "string") recipient.customMessage = given.customMessage;
      if (typeof given.action === "string") recipient.action = given.action;
      if (given.position !== undefined) recipient.position = text(given.position);
      recipient.changeTime = stamp();
      return json(res, 201, {
        recipient: { changeTime: recipient.changeTime },
        code: "201",
        message: "Recipient updated",
      });
    }
    if (data.action === "delete") {
      const recipientKey = objectOf(data.recipient).recipientKey;
      const index = contract.recipients.findIndex((r) => r.recipientKey === recipientKey);
      if (index < 0) throw fail(404, "Not found: unknown contractKey or recipientKey");
      contract.recipients.splice(index, 1);
      return json(res, 200, { code: "200", message: "Recipient deleted" });
    }
    throw unknownAction(data.action);
  },

  "POST /api/upload_pdf": async (state, req, res) => {
    const client = clientOf(state, req);
    const query = req.url.searchParams;
    const owner = query.has("templateKey")
      ? templateOf(client, query.get("templateKey"))
      : contractOf(client, query.get("contractKey"));
    owner.pdf = await uploadedPdf(req);
    json(res, 200, { code: "200", message: "PDF uploaded" });
  },

  "GET /api/download_pdf": (state, req, res) => {
    const contract = contractOf(clientOf(state, req), req.url.searchParams.get("contractKey"));
    file(res, "application/pdf", contract.pdf ?? documentBytes("pdf", contract));
  },

  "GET /api/download_docx": (state, req, res) => {
    const contract = contractOf(clientOf(state, req), req.url.searchParams.get("contractKey"));
    const docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    file(res, docx, documentBytes("docx", contract));
  },
};
