// Building the page from data: text goes in as text (never as markup).

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function table(headings, rows) {
  return h("table", {},
    h("thead", {}, h("tr", {}, headings.map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell) => h("td", {}, cell))))));
}

export function panel(title, id, ...content) {
  return h("section", { class: "panel", "aria-labelledby": `${id}-title`, id },
    h("h3", { id: `${id}-title` }, title), ...content);
}

export function when(value) {
  return value ? new Date(value).toLocaleString(document.documentElement.lang, {
    dateStyle: "medium", timeStyle: "medium", timeZone: "UTC",
  }) + " UTC" : "—";
}

export function hours(value) {
  return value === null || value === undefined ? "—" : `${value.toFixed(1)} h`;
}
