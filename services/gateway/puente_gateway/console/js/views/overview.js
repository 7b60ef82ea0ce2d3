// Overview: the wind-down in figures for those who watch it (no one named). Each panel shows
// only for the roles the API lets read it; the figures are re-read every few seconds.

import { problem } from "../api.js";
import { bars, columns } from "../chart.js";
import { h, hours, panel, table, when } from "../dom.js";
import { t } from "../i18n.js";

export const id = "overview";
export const roles = ["ADMIN", "ANALYST", "POLICY_OFFICER"];

const REFRESH_MS = 3000;
const WATCHERS = ["ANALYST", "POLICY_OFFICER"];

const QUEUE = `{ sites { id name capacityPerDay open }
  queueSummary { site waitingFamilies waitingPeople waitingForEligibility
                 scheduledFamilies scheduledPeople } }`;
const STAGES = "{ familiesByStage { stage families } }";
const LOAD = `{ siteLoad(days: 14) { site name open capacityPerDay days { date people }
  arrivingToday arrivedToday } }`;
const PROCESSING = `{ processingTimes { site targetHours families inProcessing withinTarget
  overTarget checkInToProcessed { p50Hours p90Hours maxHours } } }`;
const SHELTERS = "{ shelters { id name city beds bedsFree expectedFamilies expectedPeople } }";
const POLICIES = `{ policies(limit: 5) { policyId title effectiveAt status
  organisations { noticeId hoursAhead acknowledgedAt atRisk } } }`;
const NOTICE_HOURS = 24; // rule 6: at least 24 hours' notice (notifications enforces it)
const ORGANISATIONS = "{ organisations { id name kind tokens { id revokedAt } } }";
const OPERATIONS = "{ operations { service lag deadLetters parked outboxBacklog } }";

function fairness(sites) {
  const today = new Date();
  const day = (offset) => new Date(today.getTime() + offset * 86400000).toISOString().slice(0, 10);
  const fields = sites.map((site, index) =>
    `s${index}: fairnessAudit(site: ${JSON.stringify(site.id)}, from: "${day(-30)}", ` +
    `to: "${day(30)}") { site checked inversions { behind { day } } }`);
  return `{ ${fields.join(" ")} }`;
}

function queuePanel(data) {
  const names = Object.fromEntries(data.sites.map((s) => [s.id, s]));
  const placed = data.queueSummary.filter((row) => row.site);
  const total = data.queueSummary.reduce(
    (sum, row) => sum + row.waitingFamilies + row.waitingForEligibility + row.scheduledFamilies, 0);
  return panel(t("queueTitle"), "queue",
    h("p", {}, t("familiesInQueue"), " ", h("strong", { id: "families-total" }, total)),
    bars({
      title: t("queueChart"),
      series: [t("waitingPeople"), t("scheduledPeople")],
      markerLabel: t("capacityPerDay"),
      groups: placed.map((row) => ({
        label: names[row.site]?.name ?? row.site,
        values: [row.waitingPeople, row.scheduledPeople],
        marker: names[row.site]?.capacityPerDay,
      })),
    }),
    table([t("site"), t("waitingFamilies"), t("waitingForEligibility"), t("scheduledFamilies")],
      data.queueSummary.map((row) => [
        row.site ? names[row.site]?.name ?? row.site : t("notPlaced"),
        row.waitingFamilies, row.waitingForEligibility, row.scheduledFamilies])));
}

function stagesPanel(data) {
  const stages = data.familiesByStage.filter((row) => row.stage !== "UNKNOWN");
  return panel(t("stagesTitle"), "stages", bars({
    title: t("stagesTitle"),
    series: [t("families")],
    groups: stages.map((row) => ({ label: t(`stage.${row.stage}`), values: [row.families] })),
  }));
}

function loadPanel(data) {
  const sites = data.siteLoad.filter((s) => s.open || s.days.some((d) => d.people));
  return panel(t("loadTitle"), "load",
    h("div", { class: "small-multiples" }, sites.map((s) => h("figure", { "data-site": s.site },
      h("figcaption", {}, s.name, h("span", { class: "muted" },
        ` · ${t("capacityPerDay")} ${s.capacityPerDay}`)),
      columns({
        title: `${s.name}: ${t("loadChart")}`, limit: s.capacityPerDay,
        limitLabel: t("capacityPerDay"),
        days: s.days.map((d) => ({ label: d.date.slice(8), value: d.people })),
      })))),
    table([t("site"), t("bookedFortnight"), t("arrivingToday"), t("arrivedToday")],
      data.siteLoad.map((s) => [s.name, s.days.reduce((sum, d) => sum + d.people, 0),
        s.arrivingToday, s.arrivedToday])));
}

function processingPanel(data) {
  return panel(t("processingTitle"), "processing", table(
    [t("site"), t("target"), t("median"), t("p90"), t("longest"), t("inProcessing"),
      t("withinTarget"), t("overdue")],
    data.processingTimes.map((row) => [row.site, hours(row.targetHours),
      hours(row.checkInToProcessed.p50Hours), hours(row.checkInToProcessed.p90Hours),
      hours(row.checkInToProcessed.maxHours), row.inProcessing, row.withinTarget,
      h("span", { class: row.overTarget ? "error" : "" }, row.overTarget)])));
}

function policiesPanel(data) {
  const rows = data.policies.map((policy) => {
    const told = policy.organisations.filter((o) => o.noticeId);
    const ahead = told.filter((o) => o.hoursAhead !== null && o.hoursAhead >= NOTICE_HOURS);
    const acknowledged = told.filter((o) => o.acknowledgedAt);
    const atRisk = policy.organisations.filter((o) => o.atRisk).length;
    return [policy.title, when(policy.effectiveAt), policy.status,
      `${told.length} / ${policy.organisations.length}`, `${ahead.length} / ${told.length}`,
      h("span", { class: acknowledged.length === told.length ? "ok" : "" },
        `${acknowledged.length} / ${told.length}`),
      h("span", { class: atRisk ? "error" : "" }, atRisk)];
  });
  return panel(t("policiesTitle"), "policies", rows.length
    ? table([t("policy"), t("effective"), t("status"), t("told"), t("toldInTime"),
      t("acknowledgedCount"), t("atRisk")], rows)
    : h("p", { class: "muted" }, t("noPolicies")));
}

function sheltersPanel(data) {
  return panel(t("sheltersTitle"), "shelters",
    bars({
      title: t("bedsChart"),
      series: [t("beds"), t("bedsFree")],
      groups: data.shelters.map((s) => ({ label: s.name, values: [s.beds, s.bedsFree] })),
    }),
    table([t("shelter"), t("city"), t("beds"), t("bedsFree"), t("expectedFamilies"),
      t("expectedPeople")], data.shelters.map((s) => [s.name, s.city, s.beds, s.bedsFree,
      s.expectedFamilies, s.expectedPeople])));
}

function fairnessPanel(data) {
  const audits = Object.values(data);
  return panel(t("fairnessTitle"), "fairness",
    h("p", {}, audits.every((a) => a.inversions.length === 0) ? t("fairnessClean") : t("fairnessBroken")),
    table([t("site"), t("checked"), t("inversions")],
      audits.map((a) => [a.site, a.checked, a.inversions.length])));
}

function organisationsPanel(data) {
  return panel(t("organisationsTitle"), "organisations", table(
    [t("organisation"), t("kind"), t("activeTokens")],
    data.organisations.map((o) => [o.name, o.kind, o.tokens.filter((k) => !k.revokedAt).length])));
}

// The figures each service's /metrics serves, summed per service (issue 11, item 4).
function operationsPanel(data) {
  return panel(t("operationsTitle"), "operations", table(
    [t("service"), t("lag"), t("deadLetters"), t("parked"), t("outboxBacklog")],
    data.operations.map((s) => [s.service, s.lag, s.deadLetters, s.parked, s.outboxBacklog])));
}

export function render(root, context) {
  const body = h("div", { class: "grid" });
  root.append(h("h2", {}, t("overview")), body);

  async function read(document, draw) {
    const result = await context.ask(document);
    return result.data ? draw(result.data) : h("p", { class: "error" }, problem(result));
  }

  async function refresh() {
    const panels = [];
    const sites = await context.ask("{ sites { id name } }");
    if (context.has(...WATCHERS)) {
      panels.push(read(STAGES, stagesPanel), read(QUEUE, queuePanel), read(LOAD, loadPanel),
        read(SHELTERS, sheltersPanel));
    }
    if (context.has("ANALYST")) panels.push(read(PROCESSING, processingPanel));
    if (context.has("ADMIN", "POLICY_OFFICER")) panels.push(read(POLICIES, policiesPanel));
    panels.push(read(fairness(sites.data.sites), fairnessPanel));
    if (context.has("ADMIN")) panels.push(read(ORGANISATIONS, organisationsPanel));
    panels.push(read(OPERATIONS, operationsPanel));
    body.replaceChildren(...(await Promise.all(panels)));
  }

  let stopped = false;
  let timer;
  const loop = async () => {
    try { await refresh(); } finally { if (!stopped) timer = setTimeout(loop, REFRESH_MS); }
  };
  loop();
  return () => { stopped = true; clearTimeout(timer); };
}
