// Inline SVG bar charts, drawn at the container's real width (and again when it changes).
//
// Every chart is <svg role="img" aria-labelledby="…" data-chart="<key>" data-bars="<n>"
// data-limit="<top-N cut or none>"> with a <title> and <desc>, and exactly one <rect class="bar">
// per entry, each with a <title> "label: value". With `onSelect`, a click on a bar (or anywhere in
// its column or row: <rect class="hit" data-index>) calls onSelect(entry); keyboard and screen
// reader users get the same through the chart's table (charts/table.js).

import { s } from "../lib/dom.js";

const CHAR_W = 6.8; // average width of a 12–13 px system-font character, for label fitting
const FALLBACK_WIDTH = 560;

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

/**
 * Put a chart into `container` and keep it fitted to the container's width.
 *
 * spec: {key, title, desc, kind: "vertical" | "horizontal", limit (number | null),
 *        entries: [{label, value, tip, pos?}], axis?: "category" | "linear",
 *        labelOf?(pos), steps?: number[], max?: number, valueText?(entry), showValues?: boolean,
 *        onSelect?(entry)}
 */
export function mountChart(container, spec) {
  const previous = specs.get(container);
  specs.set(container, spec);
  draw(container, spec);
  if (observer && !previous) observer.observe(container);
}

/** Stop fitting a chart to `container` (it shows something else now). */
export function unmountChart(container) {
  if (specs.delete(container)) observer?.unobserve(container);
  container.replaceChildren();
}

function draw(container, spec) {
  const width = Math.floor(container.clientWidth) || FALLBACK_WIDTH;
  spec.drawnWidth = width;
  const svg = spec.kind === "horizontal" ? horizontal(spec, width) : vertical(spec, width);
  if (spec.onSelect) {
    svg.classList.add("selectable");
    svg.addEventListener("click", (event) => {
      const index = event.target.closest?.("[data-index]")?.getAttribute("data-index");
      if (index !== null && index !== undefined) spec.onSelect(spec.entries[Number(index)]);
    });
  }
  container.replaceChildren(svg);
}

/** A transparent target over a bar's whole column or row, so that short bars are easy to click. */
function hit(attrs, index) {
  return s("rect", { class: "hit", "data-index": index, "aria-hidden": "true", ...attrs });
}

function frame(spec, width, height) {
  const id = `chart-${spec.key.replace(/[^a-z0-9_-]/gi, "")}`;
  return s(
    "svg",
    {
      class: `chart-svg chart-${spec.kind}`,
      role: "img",
      "aria-labelledby": `${id}-title ${id}-desc`,
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      "data-chart": spec.key,
      "data-bars": spec.entries.length,
      "data-limit": spec.limit ?? "none",
    },
    [s("title", { id: `${id}-title`, text: spec.title }), s("desc", { id: `${id}-desc`, text: spec.desc ?? "" })],
  );
}

function bar(attrs, tip) {
  return s("rect", { class: "bar", ...attrs }, [s("title", { text: tip })]);
}

/** Tick values 0…top for a maximum, on a 1/2/5 × 10^k step, at most ~4 steps. */
export function niceTicks(max) {
  const target = Math.max(1, max);
  const raw = target / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * power).find((v) => v >= raw && v >= 1) ?? Math.max(1, power * 10);
  const top = Math.ceil(target / step) * step;
  const ticks = [];
  for (let v = 0; v <= top + 1e-9; v += step) ticks.push(Math.round(v * 100) / 100);
  return { ticks, top };
}

function round(n) {
  return Math.round(n * 10) / 10;
}

function vertical(spec, width) {
  const height = 230;
  const values = spec.entries.map((e) => e.value);
  const { ticks, top } = niceTicks(Math.max(0, ...values));
  const tickW = Math.max(...ticks.map((t) => String(t).length)) * CHAR_W + 10;
  const m = { top: 18, right: 6, bottom: 28, left: Math.max(24, tickW) };
  const pw = Math.max(40, width - m.left - m.right);
  const ph = height - m.top - m.bottom;
  const y = (v) => m.top + ph - (v / top) * ph;
  const svg = frame(spec, width, height);

  const grid = s("g", { class: "grid", "aria-hidden": "true" });
  for (const t of ticks) {
    grid.append(
      s("line", { x1: m.left, x2: width - m.right, y1: round(y(t)), y2: round(y(t)), class: t ? "" : "baseline" }),
      s("text", { x: m.left - 8, y: round(y(t)) + 4, "text-anchor": "end", class: "tick", text: t }),
    );
  }
  svg.append(grid);

  // Where each bar goes: evenly spaced categories, or positions on a continuous axis (years, months).
  const linear = spec.axis === "linear" && spec.entries.length > 0;
  const positions = spec.entries.map((e, i) => (linear ? e.pos : i));
  const lo = linear ? Math.min(...positions) : 0;
  const hi = linear ? Math.max(...positions) : spec.entries.length - 1;
  const slots = Math.max(1, hi - lo + 1);
  const band = pw / slots;
  const barW = Math.max(1.5, Math.min(band * (linear ? 0.78 : 0.68), 64));
  const xOf = (pos) => m.left + (pos - lo) * band + band / 2;

  const bars = s("g", { class: "bars" });
  const hits = s("g", { class: "hits" });
  spec.entries.forEach((entry, i) => {
    const top_ = y(entry.value);
    bars.append(
      bar(
        {
          x: round(xOf(positions[i]) - barW / 2),
          y: round(top_),
          width: round(barW),
          height: round(m.top + ph - top_),
          rx: barW >= 8 ? 3 : 0,
          "data-index": i,
        },
        entry.tip,
      ),
    );
    if (spec.onSelect && entry.value) {
      hits.append(hit({ x: round(xOf(positions[i]) - band / 2), y: m.top, width: round(band), height: ph }, i));
    }
  });
  svg.append(bars);

  // Axis labels: every category if they fit, else every Nth; on a continuous axis, round steps.
  const labels = s("g", { class: "labels", "aria-hidden": "true" });
  if (linear) {
    const sample = spec.labelOf(lo);
    const need = sample.length * CHAR_W + 14;
    const steps = spec.steps ?? [1, 2, 5, 10, 20, 25, 50, 100];
    const step = steps.find((st) => st * band >= need) ?? steps.at(-1);
    for (let p = Math.ceil(lo / step) * step; p <= hi; p += step) {
      labels.append(s("text", { x: round(xOf(p)), y: height - 8, "text-anchor": "middle", text: spec.labelOf(p) }));
    }
  } else {
    const longest = Math.max(1, ...spec.entries.map((e) => e.label.length));
    const every = Math.max(1, Math.ceil((longest * CHAR_W + 10) / band));
    spec.entries.forEach((entry, i) => {
      if (i % every) return;
      labels.append(s("text", { x: round(xOf(i)), y: height - 8, "text-anchor": "middle", text: entry.label }));
    });
    // Values above the bars when there is room for every one of them.
    if (spec.showValues !== false && every === 1 && band >= 26) {
      spec.entries.forEach((entry, i) => {
        if (!entry.value) return;
        labels.append(
          s("text", {
            x: round(xOf(i)),
            y: round(y(entry.value) - 5),
            "text-anchor": "middle",
            class: "value",
            text: spec.valueText ? spec.valueText(entry) : entry.value,
          }),
        );
      });
    }
  }
  svg.append(labels);
  if (spec.onSelect) bars.before(hits); // beneath the bars: a click on a bar is the bar's
  return svg;
}

function truncate(text, maxChars) {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, Math.max(1, maxChars - 1)).trimEnd()}…`;
}

function horizontal(spec, width) {
  const rowH = 36;
  const height = spec.entries.length * rowH + 2;
  const max = spec.max ?? Math.max(1, ...spec.entries.map((e) => e.value));
  const svg = frame(spec, width, height);
  spec.entries.forEach((entry, i) => {
    const top = i * rowH;
    const valueText = spec.valueText ? spec.valueText(entry) : String(entry.value);
    const room = Math.floor((width - valueText.length * CHAR_W - 16) / CHAR_W);
    if (spec.onSelect) svg.append(hit({ x: 0, y: top, width, height: rowH }, i)); // beneath the row
    svg.append(
      s("text", { x: 0, y: top + 14, class: "label", "aria-hidden": "true", text: truncate(entry.label, room) }),
      s("text", {
        x: width,
        y: top + 14,
        "text-anchor": "end",
        class: "value",
        "aria-hidden": "true",
        text: valueText,
      }),
      s("rect", { x: 0, y: top + 21, width, height: 8, rx: 4, class: "track", "aria-hidden": "true" }),
      bar(
        {
          x: 0,
          y: top + 21,
          width: entry.value > 0 ? round(Math.max(4, (entry.value / max) * width)) : 0,
          height: 8,
          rx: 4,
          "data-index": i,
        },
        entry.tip,
      ),
    );
  });
  return svg;
}
