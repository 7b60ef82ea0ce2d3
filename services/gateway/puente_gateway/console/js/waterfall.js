// A trace as a waterfall, drawn as SVG by the console's own code: one row per span, placed by
// its start and drawn as long as it lasted, coloured by the service that recorded it.

const NS = "http://www.w3.org/2000/svg";
const COLOURS = {
  gateway: "#0b5fa5", registration: "#1e7b34", scheduling: "#e07b00", transport: "#6a4c93",
  processing: "#b3261e", notifications: "#00796b", simulator: "#757575",
};
const MAX_ROWS = 300;

function node(tag, attributes, text) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

// spans: [{ spanId, name, service, start (ISO), durationMs }], oldest first
export function waterfall(title, spans) {
  const shown = spans.slice(0, MAX_ROWS);
  const width = 900, left = 330, right = 70, row = 16;
  const starts = shown.map((s) => new Date(s.start).getTime());
  const first = Math.min(...starts);
  const last = Math.max(...shown.map((s, i) => starts[i] + s.durationMs), first + 1);
  const scale = (ms) => ((width - left - right) * ms) / (last - first);
  const svg = node("svg", {
    viewBox: `0 0 ${width} ${shown.length * row + 24}`, width: "100%", role: "img",
    "aria-label": title, id: "waterfall",
  });
  svg.append(node("title", {}, title));
  shown.forEach((span, index) => {
    const y = index * row + 4;
    const x = left + scale(starts[index] - first);
    const text = `${span.service} · ${span.name.replace(/^org\.puente\./, "")}`;
    const label = text.length > 52 ? `${text.slice(0, 51)}…` : text;
    svg.append(node("text", { x: left - 6, y: y + 10, "text-anchor": "end" }, label));
    const bar = node("rect", {
      x, y, width: Math.max(scale(span.durationMs), 1), height: row - 4,
      fill: COLOURS[span.service] ?? "#333", "data-span": span.spanId,
    });
    bar.append(node("title", {}, `${text}: ${span.durationMs.toFixed(1)} ms`));
    svg.append(bar, node("text", { x: x + scale(span.durationMs) + 4, y: y + 10 },
      `${span.durationMs.toFixed(1)} ms`));
  });
  const total = node("text", { x: width - right, y: shown.length * row + 20, "text-anchor": "end" },
    `${(last - first).toFixed(0)} ms`);
  svg.append(total);
  return svg;
}
