// x: developer commands over the @x SDKs. Each command is a module of its own; this file reads the command line.
import { parseArgs } from "node:util";
import { ConfigurationError } from "@x/core";
import { call } from "./call.js";
import { cfonb } from "./cfonb.js";
import { providers } from "./providers.js";
import { token } from "./token.js";
import { UsageError } from "./usage.js";
import { verifyCallbackCommand } from "./verify-callback.js";

const HELP = `Usage: x <command> [options]

Commands:
  x token <provider> [--show] [--json]         get a token with the credentials of the environment; prints its
                                               expiry and scopes, the token itself only with --show
  x call <provider> <operationId | METHOD /path> [--param name=v ...] [--query k=v ...] [--data json]
                                               one call through the SDK's pipeline (auth, retries, errors);
                                               the answer on stdout, status, operationId and timing on stderr;
                                               --param fills the {name} segments of an operation's path
  x verify-callback saltedge --url U --signature S --body-file F [--public-key-file K] [--kind success]
                                               says whether a Salt Edge callback verifies, and if not, what was signed
  x cfonb <file> [--json]                      validates a CFONB 120 file: statements, balances, problems by line

Options: --debug (SDK log and events on stderr), --json, -h/--help.

Credentials come from the environment (<PROVIDER>_BASE_URL points at the sandbox: see x-sandbox --json):
${Object.entries(providers)
  .map(([name, entry]) => `  ${name.padEnd(9)} ${entry.env.join(" ")}`)
  .join("\n")}
  (a trailing ? marks an optional variable; SALTEDGE_CALLBACK_PUBLIC_KEY(_FILE) for verify-callback)

Exit codes: 0 done, 1 the call, file or callback failed (details on stderr), 2 invalid command line or environment.`;

async function dispatch(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: "boolean", short: "h", default: false },
      json: { type: "boolean", default: false },
      show: { type: "boolean", default: false },
      debug: { type: "boolean", default: false },
      data: { type: "string" },
      query: { type: "string", multiple: true, default: [] },
      param: { type: "string", multiple: true, default: [] },
      url: { type: "string" },
      signature: { type: "string" },
      "body-file": { type: "string" },
      "public-key-file": { type: "string" },
      kind: { type: "string", default: "success" },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === "help") {
    console.log(HELP);
    return 0;
  }
  switch (command) {
    case "token":
      return token({ provider: rest[0], show: values.show, json: values.json, debug: values.debug }, env);
    case "call":
      return call(
        {
          provider: rest[0],
          target: rest.slice(1),
          data: values.data,
          query: values.query,
          param: values.param,
          debug: values.debug,
        },
        env,
      );
    case "verify-callback":
      return verifyCallbackCommand(
        {
          provider: rest[0],
          url: values.url,
          signature: values.signature,
          bodyFile: values["body-file"],
          publicKeyFile: values["public-key-file"],
          kind: values.kind,
          json: values.json,
        },
        env,
      );
    case "cfonb":
      return cfonb({ file: rest[0], json: values.json });
    default:
      throw new UsageError(`unknown command "${command}"; one of token, call, verify-callback, cfonb (x --help)`);
  }
}

const isUsage = (err: unknown) =>
  err instanceof UsageError ||
  err instanceof ConfigurationError ||
  String((err as { code?: unknown } | null)?.code).startsWith("ERR_PARSE_ARGS");

/**
 * Runs one `x` command as the `x` bin does: output on stdout and stderr, errors as one line, and resolves with the
 * exit code (0 done, 1 the call, file or callback failed, 2 invalid command line or environment).
 *
 * @example process.exitCode = await run(["cfonb", "statement.txt", "--json"]);
 */
export async function run(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  try {
    return await dispatch([...argv], env);
  } catch (err) {
    // One line: the first of the message (SDK errors name the fix in it), never a stack.
    const message = (err instanceof Error ? err.message : String(err)).split("\n")[0];
    const parseError = String((err as { code?: unknown } | null)?.code).startsWith("ERR_PARSE_ARGS");
    console.error(`x: ${message}${parseError ? " (see x --help)" : ""}`);
    return isUsage(err) ? 2 : 1;
  }
}
