import { ConfigurationError, XError, type CallOptions, type MethodPromise } from "@x/core";
import { PROVIDER } from "./errors.js";
import type * as T from "./generated/types.js";

/*
 * SFS multiplexes every resource on one POST whose `data.action` says what to do, and the spec types that POST's body
 * and answer as unions of all its actions. Here each action is a method of its own (`acme.templates.list()`), typed
 * by that action's request and answer schemas, returning the answer's resource (the list's array, the created
 * object) rather than the union. One table lists the actions; one function turns every row into a method.
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

/** A row of the table: the resource's POST, the action sent, and the answer's key returned. */
type Row<A> = A extends [infer Request, unknown, infer Key]
  ? Key extends ""
    ? readonly [path: ActionPath, action: ActionOf<Request>]
    : readonly [path: ActionPath, action: ActionOf<Request>, key: Key]
  : never;
type ActionOf<Request> = Request extends { data: { action: infer Name } } ? Name : never;
/** The runtime table, checked against the types: each row's action and key are those of its schemas. */
type Table<Types> = { readonly [R in keyof Types]: { readonly [N in keyof Types[R]]: Row<Types[R][N]> } };

const clientActions = {
  templates: {
    list: ["/api/template", "list", "templates"],
    read: ["/api/template", "read", "template"],
    create: ["/api/template", "create", "template"],
  },
  placeholders: {
    list: ["/api/placeholder", "list", "placeholders"],
    create: ["/api/placeholder", "create", "placeholder"],
  },
  contracts: {
    list: ["/api/contract", "list", "contracts"],
    create: ["/api/contract", "create", "contract"],
    update: ["/api/contract", "update", "contract"],
  },
  recipients: {
    list: ["/api/recipient", "list", "recipients"],
    create: ["/api/recipient", "create"],
    send: ["/api/recipient", "send"],
    update: ["/api/recipient", "update", "recipient"],
    delete: ["/api/recipient", "delete"],
  },
} as const satisfies Table<ClientActionTypes>;

const platformActions = {
  clients: {
    list: ["/api/client", "list", "clients"],
    create: ["/api/client", "create", "client"],
  },
} as const satisfies Table<PlatformActionTypes>;

/** What an action needs of its client: the path-style POST (with the call's options) and `unwrap`. */
export interface ActionHost {
  POST(path: ActionPath, init: { body: unknown }, options?: CallOptions): Promise<ActionResult>;
  unwrap(result: Promise<ActionResult>): Promise<unknown>;
}
type ActionResult = { data?: unknown; error?: unknown; response: Response };

/**
 * Sends one action through the client's path-style POST, so it keeps everything a typed call has: the operation in
 * events, retries of the read-only actions (`x-action`), the call's options, and `ApiError` for an error answer.
 */
function sendAction(
  host: ActionHost,
  [path, action, key]: readonly [ActionPath, string, string?],
  data: unknown,
  options: CallOptions | undefined,
): MethodPromise<unknown> {
  const sent =
    data === undefined || (typeof data === "object" && data !== null && !Array.isArray(data))
      ? host.POST(path, { body: { data: { ...data, action } } }, options)
      : Promise.reject(
          new ConfigurationError(
            `${action} on ${path} takes the action's data as an object (SFS's data without "action"), or nothing.`,
            { provider: PROVIDER, option: "data" },
          ),
        );
  const raw = sent.then(async (result) => {
    const answer = await host.unwrap(Promise.resolve(result));
    return { data: key === undefined ? answer : resourceOf(answer, path, action, key), response: result.response };
  });
  const resource = raw.then(({ data }) => data) as MethodPromise<unknown>;
  // A caller who takes only `withResponse()` leaves `resource` unawaited: its rejection is theirs through `raw`.
  resource.catch(() => {});
  resource.withResponse = () => raw;
  return resource;
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

function methodsOf(host: ActionHost, table: Record<string, Record<string, readonly [ActionPath, string, string?]>>) {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const [resource, actions] of Object.entries(table)) {
    resources[resource] = {};
    for (const [name, row] of Object.entries(actions))
      resources[resource][name] = (data?: unknown, options?: CallOptions) => sendAction(host, row, data, options);
  }
  return resources;
}

/** The action methods of a `forClient` handle, over its path-style calls. */
export const clientActionsOf = (host: ActionHost) => methodsOf(host, clientActions) as unknown as SfsClientActions;

/** The action methods of the platform client. */
export const platformActionsOf = (host: ActionHost) =>
  methodsOf(host, platformActions) as unknown as SfsPlatformActions;
