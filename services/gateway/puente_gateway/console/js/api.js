// The GraphQL API, the console's only source: POST /graphql with the session's bearer token,
// and graphql-transport-ws subscriptions on the same path.

const KEY = "puente.token";

export class SessionEnded extends Error {}

export function token() { return sessionStorage.getItem(KEY); }
export function keep(value) { sessionStorage.setItem(KEY, value); }
export function forget() { sessionStorage.removeItem(KEY); }

// Resolves to { data, errors }; a refused token ends the session (SessionEnded).
export async function query(document, variables = {}, bearer = token()) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      authorization: `Bearer ${bearer}`,
    },
    body: JSON.stringify({ query: document, variables }),
  });
  if (response.status === 401) throw new SessionEnded();
  const body = await response.json();
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

// The first error's message, or null.
export function problem(result) {
  return result.errors.length ? result.errors[0].message : null;
}

// Calls onEvent(payload.data) for each event; returns a function that closes it.
export function subscribe(document, variables, onEvent, onClosed = () => {}) {
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
  const socket = new WebSocket(url, "graphql-transport-ws");
  let closing = false;
  socket.onopen = () => socket.send(JSON.stringify({
    type: "connection_init", payload: { authorization: `Bearer ${token()}` },
  }));
  socket.onmessage = (message) => {
    const frame = JSON.parse(message.data);
    if (frame.type === "connection_ack") {
      socket.send(JSON.stringify({
        id: "1", type: "subscribe", payload: { query: document, variables },
      }));
    } else if (frame.type === "next" && frame.payload.data) {
      onEvent(frame.payload.data);
    } else if (frame.type === "ping") {
      socket.send(JSON.stringify({ type: "pong" }));
    }
  };
  socket.onclose = (event) => { if (!closing) onClosed(event.code); };
  return () => { closing = true; socket.close(1000); };
}
