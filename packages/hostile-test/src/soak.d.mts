/** One provider's counts after a soak (see soak.mjs). */
export interface SoakRow {
  provider: string;
  calls: number;
  ok: number;
  "typed errors": number;
  "other errors": number;
  hung: number;
  unhandled: number;
  "creates sent twice": number;
  "creates replayed after 401/403": number;
  "heap after 10% MB": number;
  "heap after MB": number;
  seconds: number;
  errors: string;
}

export const PROVIDERS: readonly string[];

export function soak(options?: {
  calls?: number;
  concurrency?: number;
  outerDeadlineMs?: number;
  providers?: readonly string[];
}): Promise<SoakRow[]>;
