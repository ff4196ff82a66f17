// Formatting helpers: numbers, ratings, months, durations. Pure functions, no DOM.

const LOCALE = "en";
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const monthName = new Intl.DateTimeFormat(LOCALE, { month: "short", year: "numeric", timeZone: "UTC" });
const dayMonth = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", timeZone: "UTC" });
const dayMonthYear = new Intl.DateTimeFormat(LOCALE, {
  day: "numeric", month: "short", year: "numeric", timeZone: "UTC",
});
const dateTime = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short" });

/** 1000 -> "1,000" */
export const num = (n) => integer.format(n ?? 0);

/** 3.87 -> "3.9" */
export const dec1 = (n) => oneDecimal.format(n ?? 0);

/** "n film"/"n films" */
export const plural = (n, one, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;

/** 0.5 -> "½ ★", 3 -> "3 ★", 3.5 -> "3½ ★" */
export function stars(rating) {
  const whole = Math.floor(rating);
  const half = rating - whole >= 0.5 ? "½" : "";
  return `${whole || !half ? whole : ""}${half} ★`;
}

/** "2023-10" -> "Oct 2023" */
export function monthLabel(yyyymm) {
  const [y, m] = String(yyyymm).split("-").map(Number);
  if (!y || !m) return String(yyyymm);
  return monthName.format(Date.UTC(y, m - 1, 1));
}

/** "2023-10" -> 24285 (months since year 0), for placing months on a continuous axis */
export function monthIndex(yyyymm) {
  const [y, m] = String(yyyymm).split("-").map(Number);
  return y * 12 + (m - 1);
}

/** ISO dates -> "24 Oct – 31 Oct 2023" (or with both years when they differ) */
export function dateRange(start, end) {
  const a = Date.parse(`${start}T00:00:00Z`);
  const b = Date.parse(`${end}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b)) return `${start} – ${end}`;
  if (a === b) return dayMonthYear.format(b);
  const sameYear = new Date(a).getUTCFullYear() === new Date(b).getUTCFullYear();
  return `${(sameYear ? dayMonth : dayMonthYear).format(a)} – ${dayMonthYear.format(b)}`;
}

/** ISO timestamp -> "12 Jan 2025, 14:03" in the reader's time zone */
export function when(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? "" : dateTime.format(t);
}

/** minutes -> {big: "4 d 1 h", small: "97 hours of film"} */
export function runtime(minutes) {
  const total = Math.max(0, Math.round(minutes ?? 0));
  const hours = Math.round(total / 60);
  const days = Math.floor(total / 1440);
  const restHours = Math.round((total - days * 1440) / 60);
  let big;
  if (total === 0) big = "0 hours";
  else if (days === 0 && total < 60) big = plural(total, "minute");
  else if (days === 0) big = plural(hours, "hour");
  else big = restHours ? `${num(days)} d ${num(restHours)} h` : plural(days, "day");
  return { big, small: `${plural(hours, "hour")} of film` };
}

/** bytes -> "12.3 MB" */
export function megabytes(bytes) {
  return `${dec1(bytes / (1024 * 1024))} MB`;
}

const weekdayLong = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const dayDate = new Intl.DateTimeFormat(LOCALE, { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const monthShort = new Intl.DateTimeFormat(LOCALE, { month: "short", timeZone: "UTC" });

/** ISO weekday 1..7 -> "Monday"; short: "Mon" */
export const weekdayName = (n, short = false) => (short ? weekdayLong[n - 1]?.slice(0, 3) : weekdayLong[n - 1]) ?? String(n);

/** "2023-10-24" -> "Tue, 24 Oct 2023" */
export function day(iso) {
  const t = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(t) ? String(iso) : dayDate.format(t);
}

/** "2023-10-24" -> "24 Oct 2023" */
export function shortDay(iso) {
  const t = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(t) ? String(iso) : dayMonthYear.format(t);
}

/** month number 1..12 -> "Jan" */
export const monthShortName = (m) => monthShort.format(Date.UTC(2000, m - 1, 1));

/** minutes -> "101 h" (whole hours; "0 h" for none) */
export const hoursOf = (minutes) => `${num(Math.round((minutes ?? 0) / 60))} h`;

/** +3 / −2 / ±0 with a real minus sign */
export function signed(n, digits = 0) {
  const value = Number(n ?? 0);
  const text = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(Math.abs(value));
  if (Math.abs(value) < 10 ** -(digits + 1)) return `±${text}`;
  return `${value > 0 ? "+" : "−"}${text}`;
}

/** "1st", "50th", "1,000th" */
export function ordinal(n) {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th");
  return `${num(n)}${suffix}`;
}
