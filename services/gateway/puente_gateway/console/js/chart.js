// Bar charts drawn as SVG by the console's own code: groups of bars, one per series, and an
// optional marker per group (e.g. a site's capacity).

import { t } from "./i18n.js";

const NS = "http://www.w3.org/2000/svg";
const COLOURS = ["#0b5fa5", "#e07b00", "#6a4c93", "#1e7b34"];

function node(tag, attributes, text) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

// groups: [{ label, values: [number per series], marker?: number }]
export function bars({ title, series, groups, markerLabel }) {
  const width = 640, left = 190, rowHeight = 12 * series.length + 10;
  const height = groups.length * rowHeight + 30;
  const top = Math.max(1, ...groups.flatMap((g) => [...g.values, g.marker ?? 0]));
  const scale = (value) => ((width - left - 40) * value) / top;
  const svg = node("svg", {
    viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "aria-label": title,
  });
  svg.append(node("title", {}, title));
  groups.forEach((group, row) => {
    const y = row * rowHeight + 5;
    const label = group.label.length > 30 ? `${group.label.slice(0, 29)}…` : group.label;
    svg.append(node("text", { x: left - 6, y: y + rowHeight / 2, "text-anchor": "end" }, label));
    group.values.forEach((value, index) => {
      const bar = node("rect", {
        x: left, y: y + index * 12, width: Math.max(scale(value), 1), height: 10,
        fill: COLOURS[index % COLOURS.length],
      });
      bar.append(node("title", {}, `${group.label}: ${series[index]} ${value}`));
      svg.append(bar, node("text", { x: left + scale(value) + 4, y: y + index * 12 + 9 }, value));
    });
    if (group.marker !== undefined) {
      const x = left + scale(group.marker);
      const line = node("line", {
        x1: x, x2: x, y1: y - 2, y2: y + 12 * series.length, stroke: "#b3261e", "stroke-width": 2,
      });
      line.append(node("title", {}, `${group.label}: ${markerLabel} ${group.marker}`));
      svg.append(line);
    }
  });
  const legend = document.createElement("p");
  legend.className = "legend";
  [...series, ...(markerLabel ? [markerLabel] : [])].forEach((name, index) => {
    const item = document.createElement("span");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = index < series.length ? COLOURS[index % COLOURS.length] : "#b3261e";
    item.append(swatch, name);
    legend.append(item);
  });
  const figure = document.createElement("figure");
  figure.append(svg, legend);
  figure.setAttribute("aria-label", t("chart"));
  return figure;
}

// One column per day (e.g. people booked), against a horizontal line (e.g. capacity per day);
// a column over the line is drawn in the warning colour.
// days: [{ label, value }]
export function columns({ title, days, limit, limitLabel }) {
  const width = 320, height = 120, bottom = 18, left = 4;
  const top = Math.max(1, limit ?? 0, ...days.map((d) => d.value));
  const step = (width - left) / Math.max(days.length, 1);
  const y = (value) => height - bottom - ((height - bottom - 8) * value) / top;
  const svg = node("svg", {
    viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "aria-label": title,
  });
  svg.append(node("title", {}, title));
  days.forEach((day, index) => {
    const x = left + index * step;
    const over = limit !== undefined && day.value > limit;
    const bar = node("rect", {
      x: x + 1, y: y(day.value), width: Math.max(step - 2, 1),
      height: Math.max(height - bottom - y(day.value), day.value ? 1 : 0),
      fill: over ? "#b3261e" : COLOURS[0], "data-value": day.value,
    });
    bar.append(node("title", {}, `${day.label}: ${day.value}`));
    svg.append(bar);
    if (index % 2 === 0) {
      svg.append(node("text", { x: x + step / 2, y: height - 4, "text-anchor": "middle" },
        day.label));
    }
  });
  if (limit !== undefined) {
    const line = node("line", {
      x1: left, x2: width, y1: y(limit), y2: y(limit), stroke: "#e07b00", "stroke-width": 2,
      "stroke-dasharray": "4 3",
    });
    line.append(node("title", {}, `${limitLabel} ${limit}`));
    svg.append(line);
  }
  return svg;
}
