const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads the DDMMYY date at `offset` (0-based) of a record as YYYY-MM-DD (YY > 60 is 19YY, else
 * 20YY, as banks do), or undefined if it is no calendar date. A file repeats a handful of dates
 * thousands of times, so decoded dates are looked up by their digits without slicing the record:
 * a big file then costs no garbage for its dates.
 */
export function decodeDate(record: string, offset: number): string | undefined {
  let key = 0;
  for (let i = offset; i < offset + 6; i++) {
    const digit = record.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return undefined;
    key = key * 10 + digit;
  }
  let iso = dateCache.get(key);
  if (iso === undefined) {
    iso = calendarDate(Math.floor(key / 10_000), Math.floor(key / 100) % 100, key % 100);
    if (dateCache.size >= 10_000) dateCache.clear();
    dateCache.set(key, iso);
  }
  return iso === "" ? undefined : iso;
}

/** DDMMYY digits -> ISO date, "" for an impossible date (cached as such too). */
const dateCache = new Map<number, string>();

function calendarDate(day: number, month: number, yy: number): string {
  const year = yy > 60 ? 1900 + yy : 2000 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (daysInMonth === undefined || day < 1 || day > daysInMonth) return "";
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** YYYY-MM-DD to DDMMYY; the year must be one that DDMMYY can express (1961–2060). */
export function encodeDate(iso: string, what: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const year = Number(match?.[1]);
  const encoded = match ? `${match[3]}${match[2]}${match[1]?.slice(2)}` : "";
  if (!match || year < 1961 || year > 2060 || decodeDate(encoded, 0) !== iso) {
    throw new RangeError(
      `formatCfonb120: ${what} must be a YYYY-MM-DD date between 1961-01-01 and 2060-12-31, ` +
        `got ${JSON.stringify(iso)}.`,
    );
  }
  return encoded;
}
