// What views share: a command's answer as a user reads it, and re-reading on live events.

import { problem, subscribe } from "../api.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";

const EVENTS = "subscription { familyEvents { cursor } }";

export function answer(result, field) {
  const reply = result.data?.[field];
  if (!reply) return h("span", { class: "error" }, problem(result));
  const errors = reply.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
  return h("span", { class: reply.status === "ACCEPTED" ? "ok" : "error" },
    `${t(`status.${reply.status}`)}${reply.outcome ? ` (${reply.outcome})` : ""}`,
    errors ? ` — ${errors}` : "");
}

// Re-read (at most every half second) whenever a step the caller may see happens.
export function liveRefresh(context, refresh) {
  let pending;
  const close = subscribe(EVENTS, {}, () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, 500);
  }, (code) => { if (code === 4403 || code === 4401) context.ended(); });
  return () => { clearTimeout(pending); close(); };
}
