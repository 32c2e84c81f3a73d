import type { SandboxStats } from "@x/sandbox";

export interface FlowContext {
  /** Base URL of the provider's sandbox emulator (unused when `real` is true). */
  sandboxUrl: string;
  /** Demo credentials the emulator accepts. */
  demoCredentials: Record<string, string>;
  /** True when every variable in the flow's `realEnv` is set: the flow must call the provider's real endpoints. */
  real: boolean;
  env: NodeJS.ProcessEnv;
}

export interface Flow {
  /** Sandbox emulator name; also the first column of the summary. */
  provider: string;
  name: string;
  /** Environment variables that, when all set, switch this flow to the real provider (documented in the README). */
  realEnv: string[];
  /** Runs the flow; `result` is one short human-readable line for the table. Throwing marks the flow failed. */
  run(ctx: FlowContext): Promise<{ result: string }>;
}

export type { SandboxStats };
