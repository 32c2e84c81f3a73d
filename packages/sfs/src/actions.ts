import {
  ConfigurationError,
  XError,
  defineOperation,
  methodPromise,
  type CallOptions,
  type MethodPromise,
  type ProviderClient,
} from "@x/core";
import type { PathsOf } from "./client.js";
import { PROVIDER } from "./errors.js";
import type { PathLevels } from "./generated/methods.js";
import type { operations as specOperations } from "./generated/spec.js";
import type * as T from "./generated/types.js";

/*
 * SFS multiplexes every resource on one POST whose `data.action` says what to do, and the spec types that POST's body
 * and answer as unions of all its actions. Here each action is a method of its own (`acme.templates.list()`), typed
 * by that action's request and answer schemas, returning the answer's resource (the list's array, the created
 * object) rather than the union. Each action is first a function of a client (`listTemplates(acme)`), which
 * `@x/sfs/mini` exports one by one so that a bundler keeps only those an app imports; the client's methods call them.
 */

/** An action's types: its request schema, its answer schema, and the answer's key it returns (none: the answer). */
type Action<Request, Answer, Key extends keyof Answer | "" = ""> = [request: Request, answer: Answer, key: Key];

/** The actions of a client-level handle, by resource. */
interface ClientActionTypes {
  templates: {
    list: Action<T.TemplateListRequest, T.TemplateListResponse, "templates">;
    read: Action<T.TemplateReadRequest, T.TemplateReadResponse, "template">;
    create: Action<T.TemplateCreateRequest, T.TemplateCreateResponse, "template">;
  };
  placeholders: {
    list: Action<
      T.PlaceholderListByTemplateRequest | T.PlaceholderListByContractRequest,
      T.PlaceholderListResponse,
      "placeholders"
    >;
    create: Action<T.PlaceholderCreateRequest, T.PlaceholderCreateResponse, "placeholder">;
  };
  contracts: {
    list: Action<T.ContractListRequest, T.ContractListResponse, "contracts">;
    create: Action<T.ContractCreateRequest, T.ContractCreateResponse, "contract">;
    update: Action<T.ContractUpdateRequest, T.ContractUpdateResponse, "contract">;
  };
  recipients: {
    list: Action<T.RecipientListRequest, T.RecipientListResponse, "recipients">;
    create: Action<T.RecipientCreateRequest, T.ResultResponse>;
    send: Action<T.RecipientSendRequest, T.ResultResponse>;
    update: Action<T.RecipientUpdateRequest, T.RecipientUpdateResponse, "recipient">;
    delete: Action<T.RecipientDeleteRequest, T.RecipientDeleteResponse>;
  };
}

/** The actions of the platform client (`/api/client`, the platform token or the API key alone). */
interface PlatformActionTypes {
  clients: {
    list: Action<T.ClientListRequest, T.ClientListResponse, "clients">;
    create: Action<T.ClientCreateRequest, T.ClientCreateResponse, "client">;
  };
}

/**
 * What an action method takes: the action's `data` without `action`, and without `clientKey` (the handle's). Where
 * nothing is left (`contracts.list`), an object without fields, so a stray `{ action }` does not compile.
 */
export type ActionData<Request> = Request extends { data: infer Data }
  ? [keyof Omit<Data, "action" | "clientKey">] extends [never]
    ? { readonly [field: string]: never }
    : Omit<Data, "action" | "clientKey">
  : never;

/** The keys a data object must have; for a union (a template's placeholders or a contract's), those of each shape. */
type RequiredKeys<Data> = Data extends unknown
  ? { [K in keyof Data]-?: {} extends Pick<Data, K> ? never : K }[keyof Data]
  : never;

/** The data argument, optional where the action needs nothing (`list`). */
type DataArg<Data> = [RequiredKeys<Data>] extends [never] ? [data?: Data] : [data: Data];

/** One action as a method: its data, then the call's options; it returns the answer's resource, or throws. */
export type ActionMethod<Request, Answer, Key> = (
  ...args: [...DataArg<ActionData<Request>>, options?: CallOptions]
) => MethodPromise<Key extends keyof Answer ? Answer[Key] : Answer>;

/** A resource's actions as methods. */
type ActionMethods<Actions> = {
  [Name in keyof Actions]: Actions[Name] extends [infer Request, infer Answer, infer Key]
    ? ActionMethod<Request, Answer, Key>
    : never;
};

/** `templates.list()`, `read({ template: { templateKey } })`, `create({ template, placeholders? })` on a handle. */
export interface SfsTemplates extends ActionMethods<ClientActionTypes["templates"]> {}
/** `placeholders.list({ templateKey } | { contractKey })`, `create({ contractKey, placeholder })` on a handle. */
export interface SfsPlaceholders extends ActionMethods<ClientActionTypes["placeholders"]> {}
/** `contracts.list()`, `create({ contract, ... })`, `update({ contract })` on a handle (beside `uploadPdf`). */
export interface SfsContracts extends ActionMethods<ClientActionTypes["contracts"]> {}
/** `recipients.list({ contractKey })`, `create`, `send`, `update`, `delete` on a handle. */
export interface SfsRecipients extends ActionMethods<ClientActionTypes["recipients"]> {}
/** `clients.list()`, `clients.create({ client })` on the platform client. */
export interface SfsClients extends ActionMethods<PlatformActionTypes["clients"]> {}

/**
 * The action methods of a `forClient` handle: `templates`, `placeholders`, `contracts` (joined with the generated
 * file method `uploadPdf`) and `recipients`. Named interfaces, so a mistyped method reads "does not exist on type
 * 'SfsTemplates'".
 *
 * @example
 * const templates = await acme.templates.list(); // TemplateSummary[]
 * const { contractKey } = await acme.contracts.create({ contract: { name: "NDA", templateKey } });
 */
export interface SfsClientActions {
  templates: SfsTemplates;
  placeholders: SfsPlaceholders;
  contracts: SfsContracts;
  recipients: SfsRecipients;
}

/** The action methods of the platform client. */
export interface SfsPlatformActions {
  clients: SfsClients;
}

type ActionPath = "/api/client" | "/api/template" | "/api/placeholder" | "/api/contract" | "/api/recipient";

/** A client that may call an action of `path`: one of the path's level (the spec's `x-level`), full or mini. */
type ClientFor<Path extends ActionPath> = ProviderClient<PathsOf<PathLevels[Path]["post"]>>;

/** One resource's POST as an operation function, sending the whole envelope; `path` names it in errors. */
interface ActionOperation<Path extends ActionPath> {
  readonly path: Path;
  readonly send: (client: ClientFor<Path>, body: unknown, options: CallOptions | undefined) => MethodPromise<unknown>;
}

/**
 * The POST of `path`, carrying its operation's facts from the spec (operationId, the actions safe to retry), so that
 * a client without the spec's operations table (`mini`) still names the call and retries `list` but never `create`.
 * The facts are typed by generated/spec.ts, so a spec that changes them fails to compile here until they follow; the
 * table itself is not referenced, which would bundle every operation's path.
 */
function actionOperation<Path extends ActionPath>(
  path: Path,
  facts: (typeof specOperations)[Path]["post"],
): ActionOperation<Path> {
  return { path, send: defineOperation("POST", path, { ...facts, args: "body" }) };
}

const clientOperation = /* @__PURE__ */ actionOperation("/api/client", {
  operationId: "client",
  idempotentActions: ["list"],
});
const templateOperation = /* @__PURE__ */ actionOperation("/api/template", {
  operationId: "template",
  idempotentActions: ["list", "read"],
});
const placeholderOperation = /* @__PURE__ */ actionOperation("/api/placeholder", {
  operationId: "placeholder",
  idempotentActions: ["list"],
});
const contractOperation = /* @__PURE__ */ actionOperation("/api/contract", {
  operationId: "contract",
  idempotentActions: ["list"],
});
const recipientOperation = /* @__PURE__ */ actionOperation("/api/recipient", {
  operationId: "recipient",
  idempotentActions: ["list"],
});

/** One action as a function of a client of its level: `listTemplates(acme)` is `acme.templates.list()`. */
export type ActionFunction<A, Path extends ActionPath> = A extends [infer Request, infer Answer, infer Key]
  ? (
      client: ClientFor<Path>,
      ...args: Parameters<ActionMethod<Request, Answer, Key>>
    ) => ReturnType<ActionMethod<Request, Answer, Key>>
  : never;

/** The action sent and the answer's key returned, checked against the action's schemas. */
type Row<A> = A extends [infer Request, unknown, infer Key]
  ? Key extends ""
    ? readonly [action: ActionOf<Request>]
    : readonly [action: ActionOf<Request>, key: Key]
  : never;
type ActionOf<Request> = Request extends { data: { action: infer Name } } ? Name : never;

/**
 * One action of `operation` as a function: sends `{ data: { ...data, action } }` through the operation, so the call
 * keeps everything a typed call has (the operation in events, retries of the read-only actions, the call's options,
 * `ApiError` for an error answer), and returns the answer's resource.
 */
function defineAction<A, Path extends ActionPath>(
  { path, send }: ActionOperation<Path>,
  ...row: Row<A>
): ActionFunction<A, Path> {
  const [action, key] = row as readonly [string, string?];
  const call = (client: ClientFor<Path>, data?: unknown, options?: CallOptions): MethodPromise<unknown> => {
    if (data !== undefined && (typeof data !== "object" || data === null || Array.isArray(data))) {
      const fix = `takes the action's data as an object (SFS's data without "action"), or nothing.`;
      const rejected = Promise.reject(
        new ConfigurationError(`${action} on ${path} ${fix}`, { provider: PROVIDER, option: "data" }),
      );
      return Object.assign(rejected, { withResponse: () => rejected });
    }
    return methodPromise(
      send(client, { data: { ...data, action } }, options)
        .withResponse()
        .then(({ data: answer, response }) => ({
          data: key === undefined ? answer : resourceOf(answer, path, action, key),
          response,
        })),
    );
  };
  return call as unknown as ActionFunction<A, Path>;
}

/**
 * The answer's resource: a list's array, an object otherwise. An answer without it (a proxy's page, a wrong
 * `baseUrl`) is an `XError` with code `UNEXPECTED_RESPONSE`, never read as an empty list.
 */
function resourceOf(answer: unknown, path: ActionPath, action: string, key: string): unknown {
  const value = typeof answer === "object" && answer !== null ? (answer as Record<string, unknown>)[key] : undefined;
  const list = action === "list";
  if (list ? Array.isArray(value) : typeof value === "object" && value !== null) return value;
  const shape = Array.isArray(answer) ? "a bare array" : typeof answer === "object" ? "an object" : typeof answer;
  const expected = list ? `{ ${key}: [...], code, message }` : `{ ${key}: {...}, code, message }`;
  throw new XError(
    `${PROVIDER} answered ${action} on ${path} with ${shape} without a "${key}" ${list ? "array" : "object"}; ` +
      `SFS answers ${expected}. Check the baseUrl points at the SFS API.`,
    { provider: PROVIDER, code: "UNEXPECTED_RESPONSE" },
  );
}

type Clients = PlatformActionTypes["clients"];
type Templates = ClientActionTypes["templates"];
type Placeholders = ClientActionTypes["placeholders"];
type Contracts = ClientActionTypes["contracts"];
type Recipients = ClientActionTypes["recipients"];

/** `clients.list()`: the platform's clients. */
export const listClients = /* @__PURE__ */ defineAction<Clients["list"], "/api/client">(
  clientOperation,
  "list",
  "clients",
);
/** `clients.create({ client })`: the created client. */
export const createClient = /* @__PURE__ */ defineAction<Clients["create"], "/api/client">(
  clientOperation,
  "create",
  "client",
);
/** `templates.list()`: the client's templates. */
export const listTemplates = /* @__PURE__ */ defineAction<Templates["list"], "/api/template">(
  templateOperation,
  "list",
  "templates",
);
/** `templates.read({ template: { templateKey } })`: the template. */
export const readTemplate = /* @__PURE__ */ defineAction<Templates["read"], "/api/template">(
  templateOperation,
  "read",
  "template",
);
/** `templates.create({ template, placeholders? })`: the created template. */
export const createTemplate = /* @__PURE__ */ defineAction<Templates["create"], "/api/template">(
  templateOperation,
  "create",
  "template",
);
/** `placeholders.list({ templateKey } | { contractKey })`: the template's or contract's placeholders. */
export const listPlaceholders = /* @__PURE__ */ defineAction<Placeholders["list"], "/api/placeholder">(
  placeholderOperation,
  "list",
  "placeholders",
);
/** `placeholders.create({ contractKey, placeholder })`: the created placeholder. */
export const createPlaceholder = /* @__PURE__ */ defineAction<Placeholders["create"], "/api/placeholder">(
  placeholderOperation,
  "create",
  "placeholder",
);
/** `contracts.list()`: the client's contracts. */
export const listContracts = /* @__PURE__ */ defineAction<Contracts["list"], "/api/contract">(
  contractOperation,
  "list",
  "contracts",
);
/** `contracts.create({ contract, userKey?, placeholders?, recipients? })`: the created contract. */
export const createContract = /* @__PURE__ */ defineAction<Contracts["create"], "/api/contract">(
  contractOperation,
  "create",
  "contract",
);
/** `contracts.update({ contract })`: the updated contract. */
export const updateContract = /* @__PURE__ */ defineAction<Contracts["update"], "/api/contract">(
  contractOperation,
  "update",
  "contract",
);
/** `recipients.list({ contractKey })`: the contract's recipients. */
export const listRecipients = /* @__PURE__ */ defineAction<Recipients["list"], "/api/recipient">(
  recipientOperation,
  "list",
  "recipients",
);
/** `recipients.create({ contractKey, recipients })`: SFS's answer (`{ result, code, message }`). */
export const createRecipients = /* @__PURE__ */ defineAction<Recipients["create"], "/api/recipient">(
  recipientOperation,
  "create",
);
/** `recipients.send({ contractKey, recipients })`: SFS's answer (`{ result, code, message }`). */
export const sendRecipients = /* @__PURE__ */ defineAction<Recipients["send"], "/api/recipient">(
  recipientOperation,
  "send",
);
/** `recipients.update({ contractKey, recipient })`: the updated recipient. */
export const updateRecipient = /* @__PURE__ */ defineAction<Recipients["update"], "/api/recipient">(
  recipientOperation,
  "update",
  "recipient",
);
/** `recipients.delete({ contractKey, recipient: { recipientKey } })`: SFS's answer. */
export const deleteRecipient = /* @__PURE__ */ defineAction<Recipients["delete"], "/api/recipient">(
  recipientOperation,
  "delete",
);

/** Resource -> action -> what each row of a table must hold: every action of the types, and only those. */
type Table<Types> = { readonly [R in keyof Types]: { readonly [N in keyof Types[R]]: AnyAction } };
type AnyAction = (client: never, ...args: never[]) => unknown;

const clientActions = {
  templates: { list: listTemplates, read: readTemplate, create: createTemplate },
  placeholders: { list: listPlaceholders, create: createPlaceholder },
  contracts: { list: listContracts, create: createContract, update: updateContract },
  recipients: {
    list: listRecipients,
    create: createRecipients,
    send: sendRecipients,
    update: updateRecipient,
    delete: deleteRecipient,
  },
} satisfies Table<ClientActionTypes>;

const platformActions = { clients: { list: listClients, create: createClient } } satisfies Table<PlatformActionTypes>;

/** The functions of a table as methods of `client`, by resource. */
function methodsOf(client: object, table: Record<string, Record<string, AnyAction>>) {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const [resource, actions] of Object.entries(table)) {
    resources[resource] = {};
    for (const [name, action] of Object.entries(actions))
      resources[resource][name] = (...args: never[]) => action(client as never, ...args);
  }
  return resources;
}

/** The action methods of a `forClient` handle. */
export const clientActionsOf = (client: ProviderClient<PathsOf<"client">>) =>
  methodsOf(client, clientActions) as unknown as SfsClientActions;

/** The action methods of the platform client. */
export const platformActionsOf = (client: ProviderClient<PathsOf<"platform">>) =>
  methodsOf(client, platformActions) as unknown as SfsPlatformActions;
