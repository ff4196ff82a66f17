// "Download as image": a year's summary as a standalone SVG (1080 × 1350, a portrait post), and
// the same drawn onto a canvas for a PNG. Built from DOM nodes and serialised, never from
// strings, so titles stay text; it carries TMDB's attribution like the page.

import { s } from "../lib/dom.js";
import { dec1, monthShortName, num, ordinal, shortDay, stars, weekdayName } from "../lib/format.js";
import { TMDB_NOTICE } from "../lib/tmdb.js";

const W = 1080;
const H = 1350;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const INK = "#161920";
const MUTED = "#555d6c";
const ACCENT = "#4f46e5";
const SOFT = "#eef0ff";

const text = (x, y, value, attrs = {}) => s("text", { x, y, "font-family": FONT, fill: INK, "font-size": 28, ...attrs, text: value });

function clip(value, max) {
  return value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value;
}

function bars(x, y, width, height, entries, label) {
  const g = s("g", {});
  const max = Math.max(1, ...entries.map((e) => e.value));
  const band = width / entries.length;
  entries.forEach((e, i) => {
    const h = Math.round((e.value / max) * (height - 40));
    g.append(
      s("rect", { x: Math.round(x + i * band + band * 0.15), y: y + height - 30 - h, width: Math.round(band * 0.7), height: h, rx: 6, fill: ACCENT }),
      text(Math.round(x + i * band + band / 2), y + height, label(e), { "font-size": 22, fill: MUTED, "text-anchor": "middle" }),
    );
  });
  return g;
}

function ranking(x, y, title, entries) {
  const g = s("g", {}, [text(x, y, title, { "font-size": 24, fill: MUTED, "font-weight": 700, "letter-spacing": 2 })]);
  entries.slice(0, 3).forEach((e, i) => g.append(text(x, y + 44 + i * 38, clip(e, 26), { "font-size": 28 })));
  return g;
}

/** The summary of one year's analytics as an <svg> element. */
export function summarySvg(a, { demo = false } = {}) {
  const svg = s("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}` }); // serialised with its xmlns
  svg.append(s("rect", { x: 0, y: 0, width: W, height: H, fill: "#ffffff" }), s("rect", { x: 0, y: 0, width: W, height: 12, fill: ACCENT }));
  svg.append(
    text(72, 110, "reelstats", { "font-size": 30, fill: ACCENT, "font-weight": 700 }),
    text(72, 200, `${a.year} in review`, { "font-size": 76, "font-weight": 800 }),
  );
  const hours = Math.round(a.total_runtime_minutes / 60);
  // Without ratings in the upload (Netflix) the fourth number is the days with a watch.
  const days = a.calendar.filter((d) => d.count).length;
  const numbers = [
    [num(a.films), "films"],
    [num(hours), "hours"],
    [num(a.watches), "watches"],
    a.rated === null ? [num(days), "days"] : [a.average_rating == null ? "—" : `${dec1(a.average_rating)}★`, "average"],
  ];
  numbers.forEach(([value, label], i) => {
    const x = 72 + i * 240;
    svg.append(
      s("rect", { x, y: 250, width: 216, height: 150, rx: 20, fill: SOFT }),
      text(x + 24, 330, value, { "font-size": 56, "font-weight": 800 }),
      text(x + 24, 375, label, { "font-size": 26, fill: MUTED }),
    );
  });
  svg.append(text(72, 470, "BY WEEKDAY", { "font-size": 24, fill: MUTED, "font-weight": 700, "letter-spacing": 2 }));
  svg.append(bars(72, 490, 440, 220, a.watches_by_weekday.map((d) => ({ value: d.count, key: d.weekday })), (e) => weekdayName(e.key, true)));
  const months = Array.from({ length: 12 }, (_, i) => {
    const key = `${a.year}-${String(i + 1).padStart(2, "0")}`;
    return { key: i + 1, value: a.watches_by_month.find((m) => m.month === key)?.count ?? 0 };
  });
  svg.append(text(568, 470, "BY MONTH", { "font-size": 24, fill: MUTED, "font-weight": 700, "letter-spacing": 2 }));
  svg.append(bars(568, 490, 440, 220, months, (e) => monthShortName(e.key).slice(0, 1)));
  svg.append(
    ranking(72, 790, "GENRES", a.genres.map((g) => g.name)),
    ranking(404, 790, "DIRECTORS", a.top_directors.map((d) => d.name)),
    ranking(736, 790, "ACTORS", a.top_actors.map((d) => d.name)),
  );
  svg.append(text(72, 1000, "MILESTONES", { "font-size": 24, fill: MUTED, "font-weight": 700, "letter-spacing": 2 }));
  a.milestones.slice(0, 3).forEach((m, i) => {
    const label = m.n === 1 ? "First" : ordinal(m.n);
    svg.append(text(72, 1044 + i * 38, `${label}: ${clip(m.name, 24)} · ${shortDay(m.date)}`, { "font-size": 26 }));
  });
  if (a.best_rated !== null) {
    svg.append(text(568, 1000, "BEST RATED", { "font-size": 24, fill: MUTED, "font-weight": 700, "letter-spacing": 2 }));
    a.best_rated.slice(0, 3).forEach((f, i) => {
      svg.append(text(568, 1044 + i * 38, `${stars(f.rating)} ${clip(f.name, 24)}`, { "font-size": 26 }));
    });
  } else if (a.most_rewatched?.length) {
    svg.append(text(568, 1000, "MOST REWATCHED", { "font-size": 24, fill: MUTED, "font-weight": 700, "letter-spacing": 2 }));
    a.most_rewatched.slice(0, 3).forEach((f, i) => {
      svg.append(text(568, 1044 + i * 38, `${num(f.count)}× ${clip(f.name, 24)}`, { "font-size": 26 }));
    });
  }
  svg.append(
    s("line", { x1: 72, x2: W - 72, y1: 1200, y2: 1200, stroke: "#e0e3e9", "stroke-width": 2 }),
    text(72, 1245, demo ? "Film data: the bundled demo catalogue (facts from TMDB)." : "Film data from TMDB.", { "font-size": 22, fill: MUTED }),
    text(72, 1280, TMDB_NOTICE, { "font-size": 22, fill: MUTED }),
  );
  return svg;
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const serialise = (svg) => new XMLSerializer().serializeToString(svg);

export function downloadSvg(a, options) {
  save(new Blob([serialise(summarySvg(a, options))], { type: "image/svg+xml" }), `reelstats-${a.year}.svg`);
}

/** The SVG drawn onto a canvas, saved as PNG; rejects if the browser cannot. */
export async function downloadPng(a, options) {
  const image = new Image();
  image.decoding = "async";
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(serialise(summarySvg(a, options)))}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = W;
  canvas.height = H;
  canvas.getContext("2d").drawImage(image, 0, 0, W, H);
  const blob = await new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("no PNG"))), "image/png"),
  );
  save(blob, `reelstats-${a.year}.png`);
}
