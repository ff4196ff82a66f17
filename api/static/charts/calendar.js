// A year's calendar heatmap: one <rect class="day" data-date> per day, shaded by its watches.
// Wide: a strip of 53 week columns by 7 weekday rows. Narrow: twelve month blocks, three a row.
// The svg is role="img" with a summary; the days with watches are also listed as a table.

import { s } from "../lib/dom.js";
import { day, monthShortName, plural, weekdayName } from "../lib/format.js";

const STRIP_MIN_WIDTH = 640;
const specs = new WeakMap();
const observer =
  typeof ResizeObserver === "function"
    ? new ResizeObserver((records) => {
        for (const record of records) {
          const spec = specs.get(record.target);
          const width = Math.floor(record.contentRect.width);
          if (spec && width > 0 && width !== spec.drawnWidth) draw(record.target, spec);
        }
      })
    : null;

/** spec: {key, title, desc, days: [{date, count}] (every day of one year), onSelect?(day)} */
export function mountCalendar(container, spec) {
  const previous = specs.get(container);
  specs.set(container, spec);
  draw(container, spec);
  if (observer && !previous) observer.observe(container);
}

const level = (count, max) => (count === 0 ? 0 : Math.min(4, Math.ceil((count / Math.max(1, max)) * 4)));
const isoWeekday = (date) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

function draw(container, spec) {
  const width = Math.floor(container.clientWidth) || 640;
  spec.drawnWidth = width;
  const max = Math.max(0, ...spec.days.map((d) => d.count));
  const layout = width >= STRIP_MIN_WIDTH ? strip(spec.days, width) : months(spec.days, width);
  const id = `chart-${spec.key}`;
  const svg = s(
    "svg",
    {
      class: "chart-svg calendar" + (spec.onSelect ? " selectable" : ""),
      role: "img",
      "aria-labelledby": `${id}-title ${id}-desc`,
      width,
      height: layout.height,
      viewBox: `0 0 ${width} ${layout.height}`,
      "data-chart": spec.key,
      "data-days": spec.days.length,
    },
    [s("title", { id: `${id}-title`, text: spec.title }), s("desc", { id: `${id}-desc`, text: spec.desc })],
  );
  svg.append(...layout.labels);
  for (const [i, d] of spec.days.entries()) {
    const { x, y } = layout.at(i);
    svg.append(
      s(
        "rect",
        {
          class: `day level-${level(d.count, max)}`,
          x,
          y,
          width: layout.cell,
          height: layout.cell,
          rx: Math.min(3, layout.cell / 4),
          "data-date": d.date,
          "data-count": d.count,
        },
        [s("title", { text: `${day(d.date)}: ${plural(d.count, "watch", "watches")}` })],
      ),
    );
  }
  if (spec.onSelect) {
    svg.addEventListener("click", (event) => {
      const rect = event.target.closest?.("rect.day");
      if (rect && Number(rect.dataset.count) > 0) spec.onSelect(spec.days.find((d) => d.date === rect.dataset.date));
    });
  }
  container.replaceChildren(svg);
}

/** 53 columns of weeks (Monday on top), month names above. */
function strip(days, width) {
  const left = 30;
  const top = 18;
  const gap = 2;
  const firstOffset = isoWeekday(days[0].date) - 1;
  const weeks = Math.ceil((days.length + firstOffset) / 7);
  const cell = Math.max(6, Math.min(16, Math.floor((width - left) / weeks) - gap));
  const step = cell + gap;
  const at = (i) => {
    const k = i + firstOffset;
    return { x: left + Math.floor(k / 7) * step, y: top + (k % 7) * step };
  };
  const labels = [];
  for (const row of [1, 3, 5]) {
    labels.push(s("text", { x: 0, y: top + (row - 1) * step + cell - 1, class: "tick", "aria-hidden": "true", text: weekdayName(row, true) }));
  }
  days.forEach((d, i) => {
    if (d.date.endsWith("-01")) {
      labels.push(s("text", { x: at(i).x, y: 11, class: "tick", "aria-hidden": "true", text: monthShortName(Number(d.date.slice(5, 7))) }));
    }
  });
  return { cell, at, labels, height: top + 7 * step };
}

/** Twelve small month calendars, three a row: big enough to tap on a phone. */
function months(days, width) {
  const columns = 3;
  const gutter = 14;
  const blockW = (width - gutter * (columns - 1)) / columns;
  const gap = 2;
  const cell = Math.max(6, Math.floor((blockW - 6 * gap) / 7));
  const step = cell + gap;
  const title = 16;
  const blockH = title + 6 * step + 10;
  const starts = {};
  days.forEach((d, i) => {
    const m = Number(d.date.slice(5, 7));
    if (!(m in starts)) starts[m] = i;
  });
  const at = (i) => {
    const d = days[i];
    const m = Number(d.date.slice(5, 7));
    const firstWeekday = isoWeekday(days[starts[m]].date) - 1;
    const k = Number(d.date.slice(8, 10)) - 1 + firstWeekday;
    const bx = ((m - 1) % columns) * (blockW + gutter);
    const by = Math.floor((m - 1) / columns) * blockH;
    return { x: Math.round(bx + (k % 7) * step), y: Math.round(by + title + Math.floor(k / 7) * step) };
  };
  const labels = Object.keys(starts).map((m) =>
    s("text", {
      x: Math.round(((m - 1) % columns) * (blockW + gutter)),
      y: Math.floor((m - 1) / columns) * blockH + 11,
      class: "tick",
      "aria-hidden": "true",
      text: monthShortName(Number(m)),
    }),
  );
  return { cell, at, labels, height: Math.ceil(12 / columns) * blockH };
}

/** Stop fitting a calendar to `container`. */
export function unmountCalendar(container) {
  if (specs.delete(container)) observer?.unobserve(container);
}
