// The soak's server side, in a process of its own (as a provider's API is), so the heap the soak reports is the SDK's
// alone: starts the sandbox, sends its URLs and demo credentials to the parent, and draws faults for the provider
// the parent names (`{ chaos: "sfs" }`, `{ chaos: null }` to stop).
import { startSandbox } from "@x/sandbox";

const { providers, options } = JSON.parse(process.argv[2]);
const sandbox = await startSandbox({ providers, options });

/** Every `everyMs`: a little latency always, now and then a 5xx, a 429 with Retry-After, or a dropped connection. */
function chaos(handle, everyMs = 25) {
  const timer = setInterval(() => {
    const roll = Math.random();
    const faults = { latencyMs: Math.floor(Math.random() * 8) };
    if (roll < 0.15) faults.failNext = { status: [500, 502, 503][Math.floor(Math.random() * 3)], count: 1 };
    else if (roll < 0.25) faults.failNext = { status: 429, count: 1, retryAfter: Math.random() < 0.5 ? 0 : 1 };
    else if (roll < 0.35) faults.dropNext = 1;
    handle.setFaults(faults);
  }, everyMs);
  return () => {
    clearInterval(timer);
    handle.setFaults({});
  };
}

let stop;
process.on("message", (message) => {
  stop?.();
  stop = message.chaos ? chaos(sandbox.provider(message.chaos)) : undefined;
  process.send({ chaos: message.chaos });
});
process.on("disconnect", () => sandbox.close().then(() => process.exit(0)));
process.send({
  urls: sandbox.urls,
  demoCredentials: Object.fromEntries(providers.map((name) => [name, sandbox.provider(name).demoCredentials])),
});
