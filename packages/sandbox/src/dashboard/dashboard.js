// The x-sandbox dashboard's script: no framework, no build. It loads the state once through the event stream
// (GET /api/events sends "state" first), then applies each event. Values are set with textContent only, so nothing
// a request carried can inject markup.
"use strict";

const model = { providers: [], requests: [], tokens: [], callbacks: [] };
const $ = (selector, root = document) => root.querySelector(selector);

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text === undefined || text === null ? "" : String(text);
  if (className) td.className = className;
  return td;
}

const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : "");

function renderRequests() {
  const body = $("#requests tbody");
  body.replaceChildren();
  for (const r of [...model.requests].reverse()) {
    const row = body.insertRow();
    row.className = r.fault ? "fault" : r.status >= 400 || r.status === 0 ? "refused" : "ok";
    row.dataset.provider = r.provider;
    row.dataset.status = String(r.status);
    cell(row, time(r.at));
    cell(row, r.provider);
    cell(row, r.method);
    cell(row, r.route ?? r.path, "path").title = r.path;
    cell(row, r.status === 0 ? "dropped" : r.status, "status");
    cell(row, r.latencyMs);
    cell(row, r.credential, "credential");
    cell(row, r.reason, "reason");
  }
  $("#request-count").textContent = `(${model.requests.length})`;
}

function renderTokens() {
  const body = $("#tokens tbody");
  body.replaceChildren();
  for (const t of [...model.tokens].reverse()) {
    const row = body.insertRow();
    cell(row, time(t.at));
    cell(row, t.provider);
    cell(row, t.event);
    cell(row, t.token, "token");
    cell(row, t.credential, "credential");
    cell(row, t.expiresAt ? new Date(t.expiresAt).toLocaleString() : "");
    cell(row, t.scope);
  }
}

function renderCallbacks() {
  const body = $("#callbacks tbody");
  body.replaceChildren();
  for (const c of model.callbacks) {
    const row = body.insertRow();
    cell(row, c.provider);
    cell(row, c.kind);
    cell(row, c.url, "path");
    cell(row, c.status === 0 ? "unreachable" : c.status);
  }
}

function describeFaults(faults) {
  const parts = [];
  if (faults.latencyMs) parts.push(`+${faults.latencyMs} ms`);
  if (faults.failNext && faults.failNext.count > 0) {
    const retry = faults.failNext.retryAfter === undefined ? "" : `, Retry-After ${faults.failNext.retryAfter}`;
    parts.push(`next ${faults.failNext.count} fail with ${faults.failNext.status}${retry}`);
  }
  if (faults.dropNext) parts.push(`next ${faults.dropNext} dropped`);
  return parts.length ? `In force: ${parts.join("; ")}` : "No faults.";
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });
  if (!response.ok) alert((await response.json()).message ?? `HTTP ${response.status}`);
}

function providerCard(provider) {
  const card = $("#provider-card").content.firstElementChild.cloneNode(true);
  card.dataset.provider = provider.name;
  $(".name", card).textContent = provider.name;
  $(".url", card).textContent = provider.url;
  $(".url", card).href = provider.url;
  for (const [key, value] of Object.entries(provider.credentials)) {
    const dt = document.createElement("dt");
    dt.textContent = key;
    const dd = document.createElement("dd");
    dd.textContent = value;
    $(".credentials", card).append(dt, dd);
  }
  const form = $(".faults", card);
  const read = (name) => (form.elements[name].value === "" ? undefined : Number(form.elements[name].value));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const faults = { latencyMs: read("latencyMs"), dropNext: read("dropNext") };
    if (read("count")) {
      faults.failNext = { status: read("status"), count: read("count"), retryAfter: read("retryAfter") };
    }
    void post(`/api/providers/${provider.name}/faults`, faults);
  });
  $(".clear", card).addEventListener("click", () => void post(`/api/providers/${provider.name}/faults`, {}));
  for (const action of [...provider.actions, "reset"]) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.action = action;
    button.textContent = action === "reset" ? "reset provider" : action.replace(/([A-Z])/g, " $1").toLowerCase();
    button.addEventListener("click", () => void post(`/api/providers/${provider.name}/actions/${action}`));
    $(".actions", card).append(button);
  }
  return card;
}

function renderProviders() {
  $("#providers").replaceChildren(...model.providers.map(providerCard));
  model.providers.forEach(renderFaults);
}

function renderFaults(provider) {
  const card = document.querySelector(`.provider[data-provider="${CSS.escape(provider.name)}"]`);
  if (!card) return;
  const line = $(".faults-in-force", card);
  line.textContent = describeFaults(provider.faults);
  line.dataset.active = String(line.textContent !== "No faults.");
}

const handlers = {
  state(state) {
    Object.assign(model, state);
    renderProviders();
    renderRequests();
    renderTokens();
    renderCallbacks();
  },
  request({ request }) {
    model.requests.push(request);
    renderRequests();
  },
  token({ token }) {
    model.tokens.push(token);
    renderTokens();
  },
  faults({ provider, faults }) {
    const entry = model.providers.find((p) => p.name === provider);
    if (!entry) return;
    entry.faults = faults;
    renderFaults(entry);
  },
  reset({ provider }) {
    model.requests = model.requests.filter((r) => r.provider !== provider);
    model.tokens = model.tokens.filter((t) => t.provider !== provider);
    renderRequests();
    renderTokens();
  },
  callbacks(list) {
    model.callbacks = list;
    renderCallbacks();
  },
};

const events = new EventSource("/api/events");
for (const [name, handle] of Object.entries(handlers)) {
  events.addEventListener(name, (event) => handle(JSON.parse(event.data)));
}
events.addEventListener("open", () => {
  $("#status").textContent = "live";
  $("#status").dataset.state = "live";
});
events.addEventListener("error", () => {
  $("#status").textContent = "offline (reconnecting)";
  $("#status").dataset.state = "offline";
});
