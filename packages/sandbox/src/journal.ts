import type { Faults } from "./emulator.js";

/** One request an emulator served (control endpoints under `/__sandbox/` excluded). */
export interface RequestRecord {
  id: number;
  /** ISO time the request arrived. */
  at: string;
  provider: string;
  method: string;
  path: string;
  /** The route's template when the emulator's router matched one (`/accounts/:id`). */
  route?: string;
  /** 0 when the connection was dropped without an answer. */
  status: number;
  latencyMs: number;
  /** The credential used, by id or fingerprint, never its value. */
  credential?: string;
  /** Why it was refused (status >= 400), in words. */
  reason?: string;
  /** Set when the sandbox answered instead of the emulator: `fail`, `drop`. */
  fault?: "fail" | "drop";
}

/** A token's life as the sandbox saw it: issued, refreshed, revoked, or expired from the sandbox's controls. */
export interface TokenRecord {
  at: string;
  provider: string;
  event: "issued" | "refreshed" | "revoked" | "expired";
  /** Fingerprint of the token, or what was expired (`all tokens`). */
  token: string;
  credential?: string;
  expiresAt?: string;
  scope?: string;
}

/** A callback or webhook an emulator posted to the app, with the app's answer (0: unreachable). */
export interface CallbackRecord {
  provider: string;
  kind: string;
  url: string;
  status: number;
}

export type SandboxEvent =
  | { type: "request"; request: RequestRecord }
  | { type: "token"; token: TokenRecord }
  | { type: "faults"; provider: string; faults: Faults }
  | { type: "reset"; provider: string };

export interface Journal {
  requests(): RequestRecord[];
  tokens(): TokenRecord[];
  record(event: SandboxEvent): void;
  /** Calls `listener` with every event from now on; returns the unsubscribe function. */
  subscribe(listener: (event: SandboxEvent) => void): () => void;
}

/**
 * What happened in the sandbox, kept in memory for the dashboard and tests: the last `limit` requests and token
 * events, and a feed of every event for the page's live view.
 */
export function createJournal(limit = 500): Journal {
  let nextId = 1;
  let requests: RequestRecord[] = [];
  let tokens: TokenRecord[] = [];
  const listeners = new Set<(event: SandboxEvent) => void>();
  const keep = <T>(list: T[], item: T) => {
    list.push(item);
    if (list.length > limit) list.shift();
    return list;
  };
  return {
    requests: () => [...requests],
    tokens: () => [...tokens],
    record(event) {
      if (event.type === "request") {
        event.request.id = nextId++;
        requests = keep(requests, event.request);
      } else if (event.type === "token") {
        tokens = keep(tokens, event.token);
      } else if (event.type === "reset") {
        requests = requests.filter((r) => r.provider !== event.provider);
        tokens = tokens.filter((t) => t.provider !== event.provider);
      }
      for (const listener of listeners) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
