// Runs the graphql-http reference audit of the GraphQL over HTTP spec against a server.
// Usage: GRAPHQL_TOKEN=<bearer token> node graphql-http-audit.mjs URL
// Every request carries the token (when given), as a partner's client would. Prints one JSON
// line per audit that did not pass, then a summary line; exits 1 on any error or warning.
import { auditServer } from "graphql-http";

const url = process.argv[2];
const token = process.env.GRAPHQL_TOKEN;
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

const results = await auditServer({ url, fetchFn });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] += 1;
  if (result.status !== "ok") {
    const { id, name, status, reason, response } = result;
    const body = await response.text().catch(() => "");
    console.log(JSON.stringify({ id, name, status, reason, httpStatus: response.status, body: body.slice(0, 300) }));
  }
}
console.log(JSON.stringify({ audits: results.length, ...counts }));
process.exit(counts.error + counts.warn > 0 ? 1 : 0);
