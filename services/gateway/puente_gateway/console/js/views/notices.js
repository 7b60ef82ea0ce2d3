// Notices: the caller's organisation's inbox with an Acknowledge button (acknowledged ones
// say when), live through the notices subscription; and the page a notice's e-mail links to
// (/notices/{id}), which shows that one notice to any role of the organisation that owns it.

import { problem, subscribe } from "../api.js";
import { h, panel, when } from "../dom.js";
import { t } from "../i18n.js";
import { answer } from "./actions.js";

export const id = "notice";
export const roles = ["ADMIN", "REGISTRAR", "HOTLINE_OPERATOR", "LEGAL_PROVIDER",
  "EXPEDITE_DECIDER", "POLICY_OFFICER", "SHELTER", "TRANSPORT_OPERATOR", "PORT_OFFICER",
  "ANALYST"];
export const hidden = true; // reached from a notice's link, not from the menu

const FIELDS = "id kind title text language createdAt effectiveAt acknowledgedAt cursor";
const NOTICES = `query ($id: ID) { notices(id: $id) { ${FIELDS} } }`;
const FEED = "subscription ($after: String) { notices(after: $after) { cursor } }";
const ACKNOWLEDGE = `mutation ($id: ID!) { acknowledgeNotice(noticeId: $id) {
  status outcome acknowledgedAt errors { field message } } }`;

function item(notice, acknowledge) {
  return h("li", { class: "notice", "data-notice-id": notice.id, lang: notice.language },
    h("h4", {}, notice.title),
    h("p", { class: "muted" }, when(notice.createdAt),
      notice.effectiveAt ? ` · ${t("effective")}: ${when(notice.effectiveAt)}` : ""),
    h("p", {}, notice.text),
    notice.acknowledgedAt
      ? h("p", { class: "ok acknowledged" }, t("acknowledgedAt"), " ", when(notice.acknowledgedAt))
      : h("button", { type: "button", onclick: () => acknowledge(notice.id) }, t("acknowledge")));
}

// A panel of the organisation's notices (or the one named by `noticeId`), kept live.
// Returns { element, close }.
export function noticesPanel(context, noticeId = null) {
  const list = h("ol", { class: "notices", id: "notice-list" });
  const status = h("p", { role: "status", id: "notice-status" });
  const element = panel(t("notices"), "notices", status, list);
  let stopped = false;

  async function acknowledge(notice) {
    const result = await context.ask(ACKNOWLEDGE, { id: notice });
    status.replaceChildren(answer(result, "acknowledgeNotice"));
    refresh();
  }

  async function refresh() {
    const result = await context.ask(NOTICES, { id: noticeId });
    if (stopped) return;
    const found = result.data?.notices;
    if (!found) {
      list.replaceChildren(h("li", { class: "error" }, problem(result)));
      return null;
    }
    if (noticeId && !found.length) {
      list.replaceChildren(h("li", { class: "error", role: "alert" }, t("noticeNotFound")));
    } else if (!found.length) {
      list.replaceChildren(h("li", { class: "muted" }, t("noNotices")));
    } else {
      list.replaceChildren(...[...found].reverse().map((n) => item(n, acknowledge)));
    }
    return found;
  }

  // A new notice is read again at once; the feed starts after the last one already shown
  // (one notice's page needs no feed: only its acknowledgement changes it).
  let close = () => {};
  refresh().then((found) => {
    if (stopped || noticeId || !found) return;
    close = subscribe(FEED, { after: found.at(-1)?.cursor ?? null }, () => refresh(), (code) => {
      if (code === 4403 || code === 4401) context.ended();
    });
  });
  return { element, close: () => { stopped = true; close(); } };
}

export function render(root, context, [noticeId]) {
  root.append(h("h2", {}, t("notice")));
  const notices = noticesPanel(context, noticeId ?? null);
  root.append(notices.element);
  return notices.close;
}
