// Sign-in, the views the caller's roles may use, and moving between them (#/view/argument).

import { SessionEnded, forget, keep, query, token } from "./api.js";
import { h } from "./dom.js";
import { language, setLanguage, t, translatePage } from "./i18n.js";
import * as family from "./views/family.js";
import * as notice from "./views/notices.js";
import * as overview from "./views/overview.js";
import * as port from "./views/port.js";
import * as shelter from "./views/shelter.js";
import * as stuck from "./views/stuck.js";

const VIEWS = [overview, family, stuck, shelter, port, notice];
const VIEWER = "{ viewer { name roles sites shelterId } }";

let viewer = null;
let leave = () => {};

const $ = (id) => document.getElementById(id);

function allowed() {
  return VIEWS.filter((view) => view.roles.some((role) => viewer.roles.includes(role)));
}

function ended(reason) {
  leave();
  leave = () => {};
  forget();
  viewer = null;
  $("views").hidden = true;
  $("sign-out").hidden = true;
  $("who").textContent = "";
  $("view").replaceChildren();
  $("sign-in").hidden = false;
  $("sign-in-error").textContent = reason ? t(reason) : "";
  $("token").value = "";
  $("token").focus();
}

// What every view gets: the caller, a query that ends the session on a refused token, and
// a way to report a refused token from a subscription.
const context = {
  get viewer() { return viewer; },
  has: (...roles) => roles.some((role) => viewer.roles.includes(role)),
  async ask(document, variables) {
    try {
      return await query(document, variables);
    } catch (error) {
      if (error instanceof SessionEnded) ended("sessionEnded");
      throw error;
    }
  },
  ended: () => ended("sessionEnded"),
  go: (path) => { location.hash = `#/${path}`; },
};

function show() {
  if (!viewer) return;
  const views = allowed();
  const [name, ...rest] = location.hash.replace(/^#\/?/, "").split("/");
  const view = views.find((v) => v.id === name) ?? views.find((v) => !v.hidden);
  leave();
  const container = $("view");
  container.replaceChildren();
  for (const link of $("views").querySelectorAll("a")) {
    if (link.dataset.view === view?.id) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (!view) {
    container.append(h("p", { class: "muted" }, t("noViews")));
    leave = () => {};
    return;
  }
  document.title = `${t(view.id)} · Puente`;
  leave = view.render(container, context, rest.map(decodeURIComponent)) ?? (() => {});
}

function start() {
  $("sign-in").hidden = true;
  $("sign-out").hidden = false;
  $("who").textContent = `${viewer.name} · ${viewer.roles.map((r) => t(`role.${r}`)).join(", ")}`;
  const nav = $("views");
  nav.replaceChildren(...allowed().filter((view) => !view.hidden).map((view) =>
    h("a", { href: `#/${view.id}`, "data-view": view.id }, t(view.id))));
  nav.hidden = false;
  show();
}

async function signIn(candidate) {
  let result;
  try {
    result = await query(VIEWER, {}, candidate);
  } catch (error) {
    if (error instanceof SessionEnded) return ended("badToken");
    throw error;
  }
  if (!result.data) return ended("badToken");
  keep(candidate);
  viewer = result.data.viewer;
  start();
}

$("sign-in").addEventListener("submit", (event) => {
  event.preventDefault();
  signIn($("token").value.trim());
});
$("sign-out").addEventListener("click", () => ended(null));
$("language").addEventListener("click", () => {
  setLanguage(language() === "es" ? "en" : "es");
  translatePage();
  if (viewer) start();
});
window.addEventListener("hashchange", () => { show(); $("main").focus(); });

// A notice's e-mail links to /notices/{id}: the same page, showing that notice once signed in.
const linked = location.pathname.match(/^\/notices\/([^/]+)$/);
if (linked) history.replaceState(null, "", `/#/notice/${linked[1]}`);

translatePage();
if (token()) signIn(token());
else ended(null);
