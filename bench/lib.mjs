// Shared measuring helper for bench files, so every table reports the same columns the same way.

/**
 * Runs `fn` `warmup` times unmeasured (JIT, connection pools), then `iterations` times, and returns one table row.
 * @param {string} name
 * @param {() => Promise<unknown>} fn
 */
export async function measure(name, fn, { iterations = 200, warmup = 20 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const total = performance.now() - started;
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
  return {
    case: name,
    iterations,
    "ops/s": Math.round((iterations / total) * 1000),
    "p50 ms": pct(50).toFixed(3),
    "p99 ms": pct(99).toFixed(3),
  };
}

/** The middle value (the upper one of an even count): what the interleaved-rounds benches report. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
