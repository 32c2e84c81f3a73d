// The fault soak of issue 22 (see packages/hostile-test/src/soak.mjs): every provider's SDK against its sandbox
// emulator in a second process, under latency, 5xx, 429 with Retry-After, dropped connections and tokens expiring
// every 2 s.
// Target: 0 hung, 0 other (untyped) errors, 0 unhandled rejections, 0 creates sent twice, heap flat.
// Env: SOAK_CALLS (calls per provider, default 10000), SOAK_CONCURRENCY (default 32).
import { soak } from "../packages/hostile-test/src/soak.mjs";

export default function () {
  return soak({
    calls: Number(process.env.SOAK_CALLS ?? 10_000),
    concurrency: Number(process.env.SOAK_CONCURRENCY ?? 32),
  });
}
