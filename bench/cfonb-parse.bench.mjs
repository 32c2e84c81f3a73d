// parseCfonb120 throughput on a 100,000-movement file (target >= 50 MB/s), and the streaming parser's heap
// on the same file, to show that memory is bounded by one statement rather than by the file.
import { amountOf, formatCfonb120, parseCfonb120, parseCfonb120Stream } from "@x/cfonb";

const MOVEMENTS = 100_000;
const PER_STATEMENT = 1_000;

function statement(index) {
  let total = 100_000;
  const movements = Array.from({ length: PER_STATEMENT }, (_, m) => {
    const units = ((m * 7919 + index) % 200_000) - 100_000;
    total += units;
    return {
      bankCode: "15589",
      counterCode: "00000",
      internalOperationCode: "9162",
      interbankOperationCode: "B1",
      bookingDate: "2024-03-15",
      valueDate: "2024-03-16",
      label: `PRLV SEPA ${index}-${m}`,
      rejectionReason: "",
      entryNumber: "0000000",
      commissionExemption: "0",
      unavailability: "0",
      amount: amountOf(units, 2),
      reference: `REF${m}`,
      complements: m % 4 === 0 ? [{ qualifier: "LIB", information: `INVOICE ${m}` }] : [],
    };
  });
  return {
    bankCode: "15589",
    counterCode: "00000",
    accountNumber: String(10_000_000_000 + index),
    currency: "EUR",
    opening: { date: "2024-03-14", amount: amountOf(100_000, 2) },
    closing: { date: "2024-03-16", amount: amountOf(total, 2) },
    movements,
  };
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

export default async function () {
  const text = formatCfonb120(Array.from({ length: MOVEMENTS / PER_STATEMENT }, (_, i) => statement(i)));
  const bytes = new TextEncoder().encode(text);
  const rows = [];

  for (let i = 0; i < 3; i++) parseCfonb120(text); // warm-up (JIT)
  const runs = 10;
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const statements = parseCfonb120(text);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    if (statements.length !== MOVEMENTS / PER_STATEMENT) throw new Error("wrong statement count");
  }
  const seconds = (performance.now() - started) / 1000 / runs;
  rows.push({
    case: "parseCfonb120 (whole text)",
    "file MB": mb(bytes.length),
    movements: MOVEMENTS,
    "ms/file": (seconds * 1000).toFixed(1),
    "MB/s": (bytes.length / 1024 / 1024 / seconds).toFixed(0),
    "peak heap +MB": mb(peak - before),
  });

  const chunkSize = 64 * 1024;
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  }
  const streamBefore = process.memoryUsage().heapUsed;
  let streamPeak = streamBefore;
  const streamStarted = performance.now();
  let movements = 0;
  for await (const s of parseCfonb120Stream(chunks())) {
    movements += s.movements.length;
    streamPeak = Math.max(streamPeak, process.memoryUsage().heapUsed);
  }
  const streamSeconds = (performance.now() - streamStarted) / 1000;
  if (movements !== MOVEMENTS) throw new Error("wrong movement count");
  rows.push({
    case: "parseCfonb120Stream (64 KiB chunks)",
    "file MB": mb(bytes.length),
    movements,
    "ms/file": (streamSeconds * 1000).toFixed(1),
    "MB/s": (bytes.length / 1024 / 1024 / streamSeconds).toFixed(0),
    "peak heap +MB": mb(streamPeak - streamBefore),
  });
  return rows;
}
