// Frontline web UI: map, timeline, filters, event panel, article view and paste page.
// Plain JavaScript, no dependencies, no network beyond this server's own API.
"use strict";

// ---------------------------------------------------------------------------------------------
// Small helpers

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    // Through the CSSOM, which the Content-Security-Policy allows; a `style` attribute would
    // be inline style, which it refuses.
    else if (k === "style") e.style.cssText = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return e;
};

// Replaces a node's children, skipping null/false entries.
function put(node, ...kids) {
  node.replaceChildren(...kids.flat().filter((k) => k !== null && k !== undefined && k !== false));
}

async function api(path, opts) {
  const resp = await fetch(path, opts);
  let body = null;
  try { body = await resp.json(); } catch { /* not JSON */ }
  if (!resp.ok) {
    const msg = body?.error ? `${body.error.message} (${body.error.code})` : `HTTP ${resp.status}`;
    throw new Error(msg);
  }
  return body;
}

const TYPE_COLOURS = {
  ASSAULT: "#d62728", COERCE: "#ff7f0e", PROTEST: "#9467bd", THREATEN: "#e377c2",
  MOBILIZE: "#8c564b", SANCTION: "#7f7f7f", ACCUSE: "#b8a31f", REJECT: "#a0522d",
  REQUEST: "#17becf", RETREAT: "#7fbf7b", AID: "#2ca02c", COOPERATE: "#1f77b4",
  CONCEDE: "#6baed6", SUPPORT: "#41ab5d", CONSULT: "#6b8fd6", AGREE: "#2b8cbe",
};
const colourOf = (t) => TYPE_COLOURS[t] || "#555";
const typeLabel = (t) => t ? t.charAt(0) + t.slice(1).toLowerCase() : "?";

const fmtDate = (d) => d || "undated";
const dayMs = 86400000;
const parseDay = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
const dayStr = (ms) => new Date(ms).toISOString().slice(0, 10);

function fatalitiesText(e) {
  if (e.fatalities == null) return null;
  if (e.fatalities_max != null && e.fatalities_max !== e.fatalities) return `${e.fatalities}–${e.fatalities_max}`;
  return String(e.fatalities);
}

// "5–9 (best 7)": the lowest and highest figure any report gives, and the best estimate.
function tollRangeText(e) {
  const range = fatalitiesText(e);
  if (range == null) return null;
  const best = e.fatalities_best;
  return best != null && range !== String(best) ? `${range} (best ${best})` : range;
}

function placeText(loc) {
  if (!loc) return "unknown place";
  const bits = [loc.name];
  if (loc.admin1 && loc.admin1 !== loc.name) bits.push(loc.admin1);
  if (loc.country_code) bits.push(loc.country_code);
  return bits.join(", ");
}

// ---------------------------------------------------------------------------------------------
// Span highlighting. Spans are UTF-8 byte offsets into the document text; JavaScript strings
// are UTF-16, so the text is sliced as bytes and decoded piece by piece.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MARK_PRIORITY = { trigger: 0, quote: 1, quantity: 2, time: 3, place: 4, speaker: 5, actor: 6 };

// Renders `text` (which starts at byte `base` of the document) with `marks`
// ([{start, end, kind, title}] in document byte offsets) as <mark> elements.
function highlight(text, base, marks) {
  const bytes = encoder.encode(text);
  const len = bytes.length;
  const local = marks
    .map((m) => ({ ...m, s: m.start - base, e: m.end - base }))
    .filter((m) => m.s >= 0 && m.e <= len && m.e > m.s);
  const cuts = new Set([0, len]);
  for (const m of local) { cuts.add(m.s); cuts.add(m.e); }
  const points = [...cuts].sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const piece = decoder.decode(bytes.subarray(a, b));
    const covering = local.filter((m) => m.s <= a && m.e >= b);
    if (!covering.length) { frag.append(piece); continue; }
    // Innermost first: the narrowest span, then the kind's priority.
    covering.sort((x, y) => (x.e - x.s) - (y.e - y.s) || MARK_PRIORITY[x.kind] - MARK_PRIORITY[y.kind]);
    let node = document.createTextNode(piece);
    for (const m of covering.slice(0, 2).reverse()) {
      const mk = el("mark", { class: `m-${m.kind}`, title: m.title || m.kind });
      mk.append(node);
      node = mk;
    }
    frag.append(node);
  }
  return frag;
}

function mentionMarks(mentions) {
  return mentions.map((m) => ({ start: m.span.start, end: m.span.end, kind: m.kind, title: mentionTitle(m) }));
}

function mentionTitle(m) {
  switch (m.kind) {
    case "actor": return `actor: ${m.name} (${m.code}${m.actor_type ? ", " + m.actor_type : ""})`;
    case "place": return `place: ${m.name}${m.lat != null ? ` (${m.lat.toFixed(3)}, ${m.lon.toFixed(3)})` : ""}${m.country_code ? " " + m.country_code : ""} [${m.precision}]`;
    case "time": return `time: ${m.start}${m.end !== m.start ? " to " + m.end : ""} (${m.derivation})`;
    case "quantity": return `quantity: ${m.value}${m.value_max != null ? "–" + m.value_max : ""} ${m.quantity_kind}`;
    case "speaker": return `speaker (${m.cue})`;
    default: return m.kind;
  }
}

function legend() {
  return el("div", { class: "legend" },
    ["actor", "place", "time", "quantity", "speaker", "quote"].map((k) => el("mark", { class: `m-${k}`, text: k })));
}

// ---------------------------------------------------------------------------------------------
// TopoJSON decoding (quantized arcs, delta-encoded) into rings of projected points.

function decodeTopology(topo) {
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  const arcs = topo.arcs.map((arc) => {
    let x = 0, y = 0;
    const out = new Array(arc.length);
    for (let i = 0; i < arc.length; i++) {
      x += arc[i][0]; y += arc[i][1];
      out[i] = [x * sx + tx, y * sy + ty];
    }
    return out;
  });
  const ring = (indexes) => {
    const pts = [];
    for (const i of indexes) {
      const a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
      for (let k = pts.length ? 1 : 0; k < a.length; k++) pts.push(a[k]);
    }
    const flat = new Float64Array(pts.length * 2);
    pts.forEach(([lon, lat], k) => { const [x, y] = project(lon, lat); flat[2 * k] = x; flat[2 * k + 1] = y; });
    return flat;
  };
  const countries = [];
  for (const g of topo.objects.countries.geometries) {
    const polys = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
    countries.push({ name: g.properties?.name || "", rings: polys.flatMap((p) => p.map(ring)) });
  }
  return countries;
}

// Web Mercator onto the unit square.
const MAX_LAT = 85;
function project(lon, lat) {
  const phi = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI / 180;
  return [(lon + 180) / 360, (1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2];
}

// ---------------------------------------------------------------------------------------------
// Application state

const state = {
  filters: { text: "", actor: "", country: "", min: 1, types: new Set() },
  knownTypes: [],
  brush: null, // [startMs, endMs] inclusive days
  stats: null,
  events: [],
  total: 0,
  world: null,
  view: { cx: 0.5, cy: 0.5, k: 800 },
  points: [], // drawn markers: {x, y, r, events}
  selected: null,
  fitted: false,
};

// The API query of the filters; `withTypes` adds the ticked types (the stats are asked
// without them, so that every type keeps its box and count).
function filterQuery(withTime, withTypes = false) {
  const f = state.filters;
  const q = new URLSearchParams();
  if (withTypes && f.types.size) q.set("type", [...f.types].join(","));
  if (f.text) q.set("text", f.text);
  if (f.actor) q.set("actor", f.actor);
  if (f.country) q.set("country", f.country);
  if (f.min > 1) q.set("min_sources", String(f.min));
  if (withTime && state.brush) {
    q.set("since", dayStr(state.brush[0]));
    q.set("until", dayStr(state.brush[1]));
  }
  return q;
}

// The ticked types, applied here too (the events loaded before a box was ticked are shown at
// once while the new ones load).
function visibleEvents() {
  const types = state.filters.types;
  return state.events.filter((e) => !types.size || types.has(e.plover_type));
}

// Most events the map loads at once: the newest ones, and the page says so when there are
// more (see renderCount).
const MAP_LIMIT = 10000;

let loadSeq = 0;
async function reload() {
  const seq = ++loadSeq;
  try {
    const [stats, page] = await Promise.all([
      api(`/api/stats?${filterQuery(false)}`),
      api(`/api/events?limit=${MAP_LIMIT}&order=newest&${filterQuery(true, true)}`),
    ]);
    if (seq !== loadSeq) return;
    state.stats = stats;
    state.events = page.events;
    state.total = page.total;
    noteFresh();
    renderTypeFilters();
    renderCountries();
    renderTimeline();
    renderCount();
    if (!state.fitted && state.events.length) { fitEvents(); state.fitted = true; }
    drawMap();
  } catch (err) {
    showPanelError(err);
  }
}

function renderCount() {
  const n = visibleEvents().length;
  $("#count").textContent = String(n);
  $("#count-label").textContent = n === 1 ? "event" : "events";
  const off = visibleEvents().filter((e) => !hasPoint(e)).length;
  $("#range-label").textContent = state.brush ? `${dayStr(state.brush[0])} → ${dayStr(state.brush[1])}` : "";
  $("#unlocated").textContent = off ? `${off} without a known place, not on the map` : "";
  $("#shown-note").textContent = state.total > state.events.length
    ? `Showing the ${state.events.length.toLocaleString()} newest of ${state.total.toLocaleString()} matching events: narrow the filters or the period to see older ones.`
    : "";
  document.body.dataset.count = String(n);
}

// ---------------------------------------------------------------------------------------------
// Filters

function renderTypeFilters() {
  const box = $("#f-types");
  const counts = new Map((state.stats?.by_type || []).map((c) => [c.key, c.count]));
  for (const t of state.filters.types) if (!counts.has(t)) counts.set(t, 0);
  const keys = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || a.localeCompare(b));
  put(box, ...keys.map((t) => el("label", { class: "type-row" },
    el("input", {
      type: "checkbox", value: t, checked: state.filters.types.has(t),
      onchange: (ev) => {
        if (ev.target.checked) state.filters.types.add(t); else state.filters.types.delete(t);
        // Shown at once from what is loaded, then loaded again with the types asked of the
        // server, so that the map's 10,000 are the newest of those types.
        renderCount(); drawMap(); reload();
      },
    }),
    el("span", { class: "swatch", style: `background:${colourOf(t)}` }),
    typeLabel(t),
    el("span", { class: "n", text: counts.get(t) }))));
  if (!keys.length) put(box, el("span", { class: "muted", text: "No events." }));
}

function renderCountries() {
  const sel = $("#f-country");
  const cur = state.filters.country;
  const items = (state.stats?.by_country || []).filter((c) => c.key);
  if (cur && !items.some((c) => c.key === cur)) items.push({ key: cur, count: 0 });
  put(sel, el("option", { value: "", text: "All countries" }),
    ...items.map((c) => el("option", { value: c.key, selected: c.key === cur, text: `${c.key} (${c.count})` })));
}

function wireFilters() {
  let timer = 0;
  const later = () => { clearTimeout(timer); timer = setTimeout(reload, 250); };
  $("#f-text").addEventListener("input", (e) => { state.filters.text = e.target.value.trim(); later(); });
  $("#f-actor").addEventListener("input", (e) => { state.filters.actor = e.target.value.trim(); later(); });
  $("#f-country").addEventListener("change", (e) => { state.filters.country = e.target.value; reload(); });
  $("#f-min").addEventListener("input", (e) => {
    state.filters.min = +e.target.value; $("#f-min-label").textContent = e.target.value; later();
  });
  $("#f-reset").addEventListener("click", () => {
    state.filters = { text: "", actor: "", country: "", min: 1, types: new Set() };
    state.brush = null;
    $("#f-text").value = ""; $("#f-actor").value = ""; $("#f-min").value = "1"; $("#f-min-label").textContent = "1";
    $("#brush-clear").hidden = true;
    reload();
  });
}

// ---------------------------------------------------------------------------------------------
// Map

const canvas = $("#map");
const ctx = canvas.getContext("2d");

function resizeCanvas() {
  const r = canvas.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(r.width * dpr));
  canvas.height = Math.max(1, Math.round(r.height * dpr));
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
}

const size = () => { const r = canvas.getBoundingClientRect(); return [r.width, r.height]; };
function toScreen(x, y) {
  const [w, h] = size();
  const v = state.view;
  return [(x - v.cx) * v.k + w / 2, (y - v.cy) * v.k + h / 2];
}
function toWorld(sx, sy) {
  const [w, h] = size();
  const v = state.view;
  return [(sx - w / 2) / v.k + v.cx, (sy - h / 2) / v.k + v.cy];
}
function clampView() {
  const v = state.view;
  const [w, h] = size();
  v.k = Math.max(Math.max(w, h) / 1.2, Math.min(v.k, 2 ** 17));
  v.cx = Math.max(0, Math.min(1, v.cx));
  v.cy = Math.max(0.05, Math.min(0.95, v.cy));
}

function fitEvents() {
  const pts = visibleEvents().filter(hasPoint).map((e) => project(e.location.lon, e.location.lat));
  const [w, h] = size();
  if (!pts.length) { state.view = { cx: 0.55, cy: 0.4, k: w * 2.2 }; clampView(); return; }
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of pts) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  const pad = 0.02;
  const k = Math.min(w / (x1 - x0 + 2 * pad), h / (y1 - y0 + 2 * pad), 2 ** 13);
  state.view = { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, k };
  clampView();
}

const hasPoint = (e) => e.location && e.location.lat != null && e.location.lon != null;

function drawMap() {
  const [w, h] = size();
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = "#dfe8f0";
  ctx.fillRect(0, 0, w, h);
  if (state.world) {
    const v = state.view;
    ctx.lineJoin = "round";
    // Draw the world three times side by side so panning across the date line works.
    for (const shift of [-1, 0, 1]) {
      const ox = (shift - v.cx) * v.k + w / 2, oy = -v.cy * v.k + h / 2;
      if (ox + v.k < 0 || ox > w) continue;
      ctx.beginPath();
      for (const c of state.world) {
        for (const r of c.rings) {
          for (let i = 0; i < r.length; i += 2) {
            const x = r[i] * v.k + ox, y = r[i + 1] * v.k + oy;
            if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
          }
          ctx.closePath();
        }
      }
      ctx.fillStyle = "#fbfaf6";
      ctx.fill("evenodd");
      ctx.strokeStyle = "#b8c0ca";
      ctx.lineWidth = 0.7;
      ctx.stroke();
    }
    drawCountryLabels(w, h);
  }
  drawEvents(w, h);
}

// Country names for the larger shapes in view, once zoomed in.
function drawCountryLabels(w, h) {
  const v = state.view;
  if (v.k < 2500) return;
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = "#8a93a0";
  ctx.textAlign = "center";
  for (const c of state.world) {
    let best = null, bestArea = 0;
    for (const r of c.rings) {
      let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
      for (let i = 0; i < r.length; i += 2) { x0 = Math.min(x0, r[i]); x1 = Math.max(x1, r[i]); y0 = Math.min(y0, r[i + 1]); y1 = Math.max(y1, r[i + 1]); }
      const area = (x1 - x0) * (y1 - y0);
      if (area > bestArea) { bestArea = area; best = [(x0 + x1) / 2, (y0 + y1) / 2, x1 - x0]; }
    }
    if (!best || best[2] * v.k < 70) continue;
    const [sx, sy] = toScreen(best[0], best[1]);
    if (sx < 0 || sy < 0 || sx > w || sy > h) continue;
    ctx.fillText(c.name, sx, sy);
  }
}

// Events are grouped into clusters of nearby markers in screen space.
function drawEvents(w, h) {
  const cell = 44;
  const groups = new Map();
  for (const e of visibleEvents()) {
    if (!hasPoint(e)) continue;
    const [wx, wy] = project(e.location.lon, e.location.lat);
    const [sx, sy] = toScreen(wx, wy);
    if (sx < -cell || sy < -cell || sx > w + cell || sy > h + cell) continue;
    const key = `${Math.floor(sx / cell)},${Math.floor(sy / cell)}`;
    let g = groups.get(key);
    if (!g) { g = { sx: 0, sy: 0, events: [] }; groups.set(key, g); }
    g.sx += sx; g.sy += sy; g.events.push(e);
  }
  state.points = [];
  for (const g of groups.values()) {
    const n = g.events.length;
    const x = g.sx / n, y = g.sy / n;
    const tally = new Map();
    for (const e of g.events) tally.set(e.plover_type, (tally.get(e.plover_type) || 0) + 1);
    const main = [...tally.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const r = n === 1 ? 7 + Math.min(4, g.events[0].n_sources - 1) : 11 + Math.min(14, Math.sqrt(n) * 3);
    const isSel = state.selected != null && g.events.some((e) => e.id === state.selected);
    ctx.beginPath();
    ctx.arc(x, y, r, 0, Math.PI * 2);
    ctx.fillStyle = colourOf(main);
    ctx.globalAlpha = n === 1 ? 0.9 : 0.8;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.lineWidth = isSel ? 3 : 1.5;
    ctx.strokeStyle = isSel ? "#17202e" : "#fff";
    ctx.stroke();
    const fresh = g.events.some((e) => live.fresh.has(e.id));
    if (fresh) {
      ctx.beginPath();
      ctx.arc(x, y, r + 4, 0, Math.PI * 2);
      ctx.lineWidth = 3;
      ctx.strokeStyle = "#f08c00";
      ctx.stroke();
    }
    if (n > 1) {
      ctx.fillStyle = "#fff";
      ctx.font = "bold 12px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(String(n), x, y + 0.5);
    }
    state.points.push({ x, y, r, events: g.events, fresh });
  }
}

function pointAt(x, y) {
  let best = null, bestD = Infinity;
  for (const p of state.points) {
    const d = Math.hypot(p.x - x, p.y - y);
    if (d <= p.r + 3 && d < bestD) { best = p; bestD = d; }
  }
  return best;
}

function zoomAt(sx, sy, factor) {
  const [wx, wy] = toWorld(sx, sy);
  state.view.k *= factor;
  clampView();
  const [nx, ny] = toWorld(sx, sy);
  state.view.cx += wx - nx;
  state.view.cy += wy - ny;
  clampView();
  drawMap();
}

function wireMap() {
  let drag = null;
  canvas.addEventListener("pointerdown", (e) => {
    drag = { x: e.clientX, y: e.clientY, cx: state.view.cx, cy: state.view.cy, moved: false };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", (e) => {
    const r = canvas.getBoundingClientRect();
    if (drag) {
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) {
        canvas.classList.add("dragging");
        state.view.cx = drag.cx - dx / state.view.k;
        state.view.cy = drag.cy - dy / state.view.k;
        clampView();
        drawMap();
      }
      return;
    }
    showTooltip(pointAt(e.clientX - r.left, e.clientY - r.top), e.clientX - r.left, e.clientY - r.top);
  });
  canvas.addEventListener("pointerup", (e) => {
    canvas.classList.remove("dragging");
    const d = drag;
    drag = null;
    if (!d || d.moved) return;
    const r = canvas.getBoundingClientRect();
    const p = pointAt(e.clientX - r.left, e.clientY - r.top);
    if (!p) return;
    if (p.events.length === 1) { location.hash = `#/event/${p.events[0].id}`; return; }
    const same = p.events.every((ev) => ev.location.lat === p.events[0].location.lat && ev.location.lon === p.events[0].location.lon);
    if (same || state.view.k > 2 ** 15) showClusterList(p.events);
    else zoomAt(p.x, p.y, 2.5);
  });
  canvas.addEventListener("pointerleave", () => { $("#tooltip").hidden = true; });
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    zoomAt(e.clientX - r.left, e.clientY - r.top, Math.exp(-e.deltaY * 0.0015));
  }, { passive: false });
  $("#zoom-in").addEventListener("click", () => { const [w, h] = size(); zoomAt(w / 2, h / 2, 1.6); });
  $("#zoom-out").addEventListener("click", () => { const [w, h] = size(); zoomAt(w / 2, h / 2, 1 / 1.6); });
  $("#zoom-fit").addEventListener("click", () => { fitEvents(); drawMap(); });
  window.addEventListener("resize", () => { resizeCanvas(); clampView(); drawMap(); renderTimeline(); });
}

function showTooltip(p, x, y) {
  const tip = $("#tooltip");
  if (!p) { tip.hidden = true; canvas.style.cursor = ""; return; }
  canvas.style.cursor = "pointer";
  const e = p.events[0];
  put(tip, p.events.length === 1
    ? el("div", {},
      el("div", { class: "t", text: `${typeLabel(e.plover_type)} · ${placeText(e.location)}` }),
      el("div", { text: `${fmtDate(e.date_start)} · ${e.n_sources} source${e.n_sources === 1 ? "" : "s"}` }),
      fatalitiesText(e) ? el("div", { text: `${fatalitiesText(e)} killed` }) : null)
    : el("div", {}, el("div", { class: "t", text: `${p.events.length} events` }),
      el("div", { text: "Click to zoom in" })));
  tip.hidden = false;
  tip.style.left = `${x + 14}px`;
  tip.style.top = `${y + 10}px`;
}

// ---------------------------------------------------------------------------------------------
// Timeline with a brush

const tl = { x0: 0, x1: 1, pad: 18, width: 0 };

function renderTimeline() {
  const svg = $("#timeline");
  const days = state.stats?.by_day || [];
  const w = svg.getBoundingClientRect().width || 600;
  const h = 96, axisH = 16;
  tl.width = w;
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  put(svg);
  const ns = "http://www.w3.org/2000/svg";
  const mk = (tag, attrs) => { const e = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); return e; };
  if (!days.length) {
    const t = mk("text", { x: w / 2, y: h / 2, "text-anchor": "middle", fill: "#6b7280" });
    t.textContent = "No dated events";
    svg.append(t);
    return;
  }
  const t0 = parseDay(days[0].date) - dayMs, t1 = parseDay(days[days.length - 1].date) + dayMs;
  tl.x0 = t0; tl.x1 = t1;
  const max = Math.max(...days.map((d) => d.count));
  const xOf = (t) => tl.pad + (t - t0) / (t1 - t0) * (w - 2 * tl.pad);
  const bw = Math.max(2, Math.min(14, (w - 2 * tl.pad) / ((t1 - t0) / dayMs) - 1));
  const g = mk("g", {});
  for (const d of days) {
    const t = parseDay(d.date);
    const bh = Math.max(2, (d.count / max) * (h - axisH - 6));
    const out = state.brush && (t < state.brush[0] || t > state.brush[1]);
    const bar = mk("rect", { class: out ? "bar out" : "bar", x: xOf(t) - bw / 2, y: h - axisH - bh, width: bw, height: bh, rx: 1 });
    const title = mk("title", {});
    title.textContent = `${d.date}: ${d.count} event${d.count === 1 ? "" : "s"}`;
    bar.append(title);
    g.append(bar);
  }
  svg.append(g);
  // Month ticks.
  const axis = mk("g", { class: "axis" });
  axis.append(mk("line", { x1: tl.pad, x2: w - tl.pad, y1: h - axisH, y2: h - axisH }));
  const start = new Date(t0);
  let m = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
  const span = (t1 - t0) / dayMs;
  const step = span > 400 ? 3 : 1;
  while (m < t1) {
    const d = new Date(m);
    const x = xOf(m);
    axis.append(mk("line", { x1: x, x2: x, y1: h - axisH, y2: h - axisH + 4 }));
    const anchor = x < tl.pad + 20 ? "start" : x > w - tl.pad - 20 ? "end" : "middle";
    const label = mk("text", { x, y: h - 3, "text-anchor": anchor });
    label.textContent = d.toLocaleString("en", { month: "short", timeZone: "UTC" }) + (d.getUTCMonth() === 0 || span > 300 ? ` ${d.getUTCFullYear()}` : "");
    axis.append(label);
    m = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + step, 1);
  }
  svg.append(axis);
  if (state.brush) {
    const a = xOf(state.brush[0]) - bw / 2, b = xOf(state.brush[1]) + bw / 2;
    svg.append(mk("rect", { class: "brush", x: a, y: 0, width: Math.max(2, b - a), height: h - axisH }));
  }
  tl.xOf = xOf;
}

function timeAt(px) {
  const t = tl.x0 + (px - tl.pad) / (tl.width - 2 * tl.pad) * (tl.x1 - tl.x0);
  return Math.round(t / dayMs) * dayMs;
}

function wireTimeline() {
  const svg = $("#timeline");
  let start = null;
  const px = (e) => e.clientX - svg.getBoundingClientRect().left;
  svg.addEventListener("pointerdown", (e) => {
    if (!state.stats?.by_day?.length) return;
    start = px(e);
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener("pointermove", (e) => {
    if (start === null) return;
    const a = timeAt(Math.min(start, px(e))), b = timeAt(Math.max(start, px(e)));
    state.brush = [a, b];
    renderTimeline();
  });
  svg.addEventListener("pointerup", (e) => {
    if (start === null) return;
    const end = px(e);
    if (Math.abs(end - start) < 3) state.brush = null; // a click clears the period
    else state.brush = [timeAt(Math.min(start, end)), timeAt(Math.max(start, end))];
    start = null;
    $("#brush-clear").hidden = !state.brush;
    renderTimeline();
    reload();
  });
  $("#brush-clear").addEventListener("click", () => {
    state.brush = null; $("#brush-clear").hidden = true; reload();
  });
}

// ---------------------------------------------------------------------------------------------
// Event panel

function showPanelError(err) {
  put($("#panel"), el("div", { class: "error-box", text: String(err.message || err) }));
}

function showClusterList(events) {
  const panel = $("#panel");
  $("#view-map").classList.add("wide");
  resizeCanvas();
  put(panel, 
    el("h2", { text: `${events.length} events here` }),
    el("ul", { class: "cluster-list" }, events.map((e) => el("li", { onclick: () => { location.hash = `#/event/${e.id}`; } },
      el("span", { class: "badge", style: `background:${colourOf(e.plover_type)}`, text: e.plover_type }), " ",
      el("b", { text: placeText(e.location) }), " ",
      el("span", { class: "muted", text: `${fmtDate(e.date_start)} · ${e.n_sources} source(s)` }),
      el("div", { class: "muted", text: e.notes || "" })))));
}

function reportMarks(r) {
  const marks = [];
  const add = (span, kind, title) => { if (span) marks.push({ start: span.start, end: span.end, kind, title }); };
  add(r.trigger?.span, "trigger", `trigger: ${r.trigger?.text}`);
  for (const a of r.sources || []) add(a.span, "actor", `who acted: ${a.actor.name} (${a.actor.code})`);
  for (const a of r.targets || []) add(a.span, "actor", `target: ${a.actor.name} (${a.actor.code})`);
  if (r.location) add(r.location.span, "place", `place: ${r.location.place.name} (${r.location.relation})`);
  for (const q of r.quantities || []) add(q.span, "quantity", `${q.quantity.quantity_kind}: ${q.quantity.value}`);
  for (const at of r.attribution || []) {
    add(at.span, "speaker", `source: ${at.speaker} (${at.source_kind}, "${at.cue}")`);
    for (const q of at.quotes || []) add(q, "quote", `quoted: ${at.speaker}`);
  }
  return marks;
}

async function openEvent(id) {
  state.selected = Number(id);
  $("#view-map").classList.add("wide");
  resizeCanvas();
  drawMap();
  const panel = $("#panel");
  put(panel, el("p", { class: "muted", text: "Loading…" }));
  let d;
  try { d = await api(`/api/events/${encodeURIComponent(id)}`); } catch (err) { showPanelError(err); return; }
  const e = d; // the fused record, with its reports beside its fields
  const facts = el("dl", { class: "facts" },
    el("dt", { text: "When" }), el("dd", { text: e.date_start ? (e.date_end && e.date_end !== e.date_start ? `${e.date_start} to ${e.date_end}` : e.date_start) : "undated" }),
    el("dt", { text: "Where" }), el("dd", { text: placeText(e.location) }),
    el("dt", { text: "Who" }), el("dd", { text: e.sources.map((a) => a.name).join(", ") || "not named" }),
    e.targets.length ? el("dt", { text: "Against" }) : null, e.targets.length ? el("dd", { text: e.targets.map((a) => a.name).join(", ") }) : null,
    fatalitiesText(e) ? el("dt", { text: "Killed" }) : null, fatalitiesText(e) ? el("dd", { text: tollRangeText(e) }) : null,
    el("dt", { text: "Sources" }), el("dd", { text: `${e.n_sources} independent · ${e.n_documents} reports · ${e.outlets.join(", ")}` }),
    e.acled ? el("dt", { text: "ACLED" }) : null, e.acled ? el("dd", { text: `${e.acled.event_type} / ${e.acled.sub_event_type}` }) : null);
  const contra = e.contradictions?.length
    ? el("div", { class: "contradictions" }, el("h3", { text: "Reports disagree" }),
      el("ul", {}, e.contradictions.map((c) => el("li", { text: contradictionText(c) }))))
    : null;
  const sourcesList = (d.independent_sources || []).length
    ? el("div", { class: "sources" }, el("h3", { text: `Independent sources (${d.independent_sources.length})` }),
      el("ol", {}, d.independent_sources.map((s) => el("li", {},
        s.outlets.length ? s.outlets.join(", ") : "outlet not named",
        el("span", { class: "muted", text: ` · ${s.stories.length} stor${s.stories.length === 1 ? "y" : "ies"}, ${s.documents} report${s.documents === 1 ? "" : "s"}${s.credits?.length ? ` · credits ${s.credits.join(", ")}` : ""}` })))))
    : null;
  const tollList = (d.tolls || []).length
    ? el("div", { class: "tolls" }, el("h3", { text: "Death tolls by report" }),
      el("ul", {}, d.tolls.map((t) => el("li", {},
        `${t.low === t.high ? t.low : `${t.low}–${t.high}`} killed`,
        el("span", { class: "muted", text: ` · ${t.outlet || "unknown outlet"} · ${fmtDate(t.published_at)}${t.modality !== "asserted" ? ` · ${t.modality}` : ""}` }),
        t.update ? el("span", { class: "pill", text: "update" }) : null))))
    : null;
  const cards = d.reports.map((r) => el("article", { class: "report", "data-event": r.event_id },
    el("div", { class: "outlet", text: r.outlet || "Unknown outlet" }),
    r.title ? el("div", { class: "title", text: r.title }) : null,
    el("div", { class: "meta" },
      `${fmtDate(r.published_at)} · ${r.modality}`,
      r.nearest_copy ? " · copy of an earlier report" : "",
      r.plover_type !== e.plover_type ? ` · coded ${r.plover_type}` : ""),
    el("div", { class: "sentence" }, r.sentence ? highlight(r.sentence.text, r.sentence.span.start, reportMarks(r)) : r.trigger.text),
    r.quotes?.length ? el("ul", { class: "quotes" }, r.quotes.map((q) => el("li", {}, `“${q.text}”`, el("span", { class: "who", text: `— ${q.speaker}` })))) : null,
    (r.attribution || []).length ? el("div", { class: "meta", text: `According to: ${r.attribution.map((a) => `${a.speaker} (${a.source_kind.replace("_", " ")})`).join("; ")}` }) : null,
    el("a", { href: `#/doc/${r.document_id}`, text: "Read the full article →" })));
  put(panel, 
    el("div", {},
      el("span", { class: "badge", style: `background:${colourOf(e.plover_type)}`, text: e.plover_type }), " ",
      e.plover_mode ? el("span", { class: "pill", text: e.plover_mode }) : null,
      el("span", { class: "pill", text: e.modality })),
    el("h2", { style: "margin-top:.5em", text: e.notes || `${typeLabel(e.plover_type)} in ${placeText(e.location)}` }),
    facts, contra, sourcesList, tollList,
    el("h3", { text: reportsHeading(d) }),
    legend(),
    el("div", { class: "reports" }, cards));
}

// "Reports (3)", or, when the server sent one page of many, which ones are shown.
function reportsHeading(d) {
  const total = d.reports_total ?? d.reports.length;
  if (total <= d.reports.length) return `Reports (${d.reports.length})`;
  const from = (d.reports_offset || 0) + 1;
  const to = (d.reports_offset || 0) + d.reports.length;
  return `Reports ${from.toLocaleString()}–${to.toLocaleString()} of ${total.toLocaleString()} (earliest first)`;
}

function contradictionText(c) {
  const claims = (c.claims || []).map((k) => `${k.value}${k.outlet ? ` (${k.outlet})` : ""}`).join(" vs ");
  return `${c.detail || (c.kind || "").replace(/_/g, " ")}${claims ? ": " + claims : ""}`;
}

// ---------------------------------------------------------------------------------------------
// Article view

async function openDocument(id) {
  const view = $("#view-doc");
  put(view, el("p", { class: "muted", text: "Loading…" }));
  let d;
  try { d = await api(`/api/documents/${encodeURIComponent(id)}`); } catch (err) {
    put(view, el("div", { class: "error-box", text: String(err.message) })); return;
  }
  const doc = d.document;
  put(view, 
    el("p", {}, el("a", { href: "#/", text: "← Back to the map" })),
    el("h1", { text: doc.title || "Untitled report" }),
    el("p", { class: "muted" }, [doc.outlet, doc.published_at, doc.url].filter(Boolean).join(" · "),
      d.nearest_copy ? el("span", {}, " · copy of ", el("a", { href: `#/doc/${d.nearest_copy}`, text: d.nearest_copy }),
        d.similarity != null ? ` (${Math.round(d.similarity * 100)}% similar)` : "") : null),
    el("div", { class: "doc-grid" },
      el("div", {}, legend(), el("div", { class: "doc-text", id: "doc-text" }, highlight(doc.text, 0, mentionMarks(d.mentions))),
        d.boilerplate?.length ? el("div", {}, el("h3", { style: "margin-top:1em", text: "Set aside as boilerplate" }),
          d.boilerplate.map((b) => el("div", { class: "boiler", text: `[${b.kind}] ${b.text}` }))) : null),
      el("div", { class: "side" }, sideLists(d.mentions, d.events, doc.text))));
}

// `text`: the document's, when the mentions are spans into it without their own `text`
// (GET /api/documents/{id} sends offsets, not copies).
function sideLists(mentions, events, text) {
  const out = [];
  const bytes = text != null ? encoder.encode(text) : null;
  const under = (m) => m.text ?? (bytes ? decoder.decode(bytes.subarray(m.span.start, m.span.end)) : "");
  if (events?.length) {
    out.push(el("h3", { text: "Events" }), el("ul", { class: "mention-list" }, events.map((e) => el("li", {},
      el("span", { class: "badge", style: `background:${colourOf(e.plover_type)}`, text: e.plover_type }), " ",
      e.fused_id != null ? el("a", { href: `#/event/${e.fused_id}`, text: `fused event ${e.fused_id}` }) : el("span", { class: "muted", text: e.modality })))));
  }
  for (const kind of ["actor", "place", "time", "quantity", "speaker"]) {
    const ms = mentions.filter((m) => m.kind === kind);
    if (!ms.length) continue;
    const title = { actor: "Actors", place: "Places", time: "Times", quantity: "Quantities", speaker: "Speakers" }[kind];
    out.push(el("h3", { text: `${title} (${ms.length})` }),
      el("ul", { class: "mention-list" }, ms.map((m) => el("li", {}, el("mark", { class: `m-${kind}`, text: under(m) }), " ",
        el("span", { class: "muted", text: mentionTitle(m).replace(/^[a-z]+: ?/, "") })))));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Paste page

const PASTE_SAMPLE = `KHARTOUM - Fighters from the Rapid Support Forces shelled a market in Omdurman on Monday, killing at least 14 people and wounding 40, a local doctors' group said.

"The shells landed in the middle of the vegetable stalls," a volunteer at the scene said.

The army accused the paramilitary group of targeting civilians. The RSF did not comment.`;

let pasteSeq = 0;
async function runExtract() {
  const text = $("#p-text").value;
  const status = $("#p-status");
  const out = $("#p-result");
  if (!text.trim()) { put(out, ); status.textContent = ""; return; }
  const seq = ++pasteSeq;
  status.textContent = "Extracting…";
  const body = { text, title: $("#p-title").value || null, outlet: $("#p-outlet").value || null, published_at: $("#p-date").value || null };
  const t0 = performance.now();
  try {
    const ex = await api("/api/extract?view=full", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (seq !== pasteSeq) return;
    status.textContent = `Done in ${Math.round(performance.now() - t0)} ms`;
    renderExtraction(ex);
  } catch (err) {
    if (seq !== pasteSeq) return;
    status.textContent = "";
    put(out, el("div", { class: "error-box", text: String(err.message) }));
  }
}

function renderExtraction(ex) {
  const out = $("#p-result");
  const rows = ex.events.map((e) => el("tr", { class: "event-row" },
    el("td", {}, el("span", { class: "badge", style: `background:${colourOf(e.plover_type)}`, text: e.plover_type }),
      e.acled ? el("div", { class: "muted", text: e.acled.sub_event_type }) : null),
    el("td", { text: e.trigger_text }),
    el("td", { text: (e.sources || []).map((a) => a.actor.name).join(", ") || "—" }),
    el("td", { text: (e.targets || []).map((a) => a.actor.name).join(", ") || "—" }),
    el("td", { text: e.location ? e.location.place.name : "—" }),
    el("td", { text: e.date ? e.date.start + (e.date.end !== e.date.start ? ` to ${e.date.end}` : "") : "—" }),
    el("td", { text: (e.quantities || []).map((q) => `${q.quantity.value} ${q.quantity.quantity_kind}`).join(", ") || "—" }),
    el("td", { text: (e.attribution || []).map((a) => a.speaker).join("; ") || "—" }),
    el("td", { text: `${e.modality} · ${e.confidence.toFixed(2)}` })));
  const marks = mentionMarks(ex.mentions);
  for (const e of ex.events) marks.push({ start: e.trigger.start, end: e.trigger.end, kind: "trigger", title: `${e.plover_type}: ${e.trigger_text}` });
  put(out, 
    el("h2", { text: `${ex.events.length} event${ex.events.length === 1 ? "" : "s"}, ${ex.mentions.length} mentions` }),
    legend(),
    el("div", { class: "doc-text", id: "p-text-out" }, highlight(ex.document.text, 0, marks)),
    ex.events.length ? el("table", { class: "events", style: "margin-top:1em" },
      el("thead", {}, el("tr", {}, ["Type", "Trigger", "Who", "Against", "Where", "When", "Quantities", "Source", "Modality"].map((h) => el("th", { text: h })))),
      el("tbody", {}, rows)) : el("p", { class: "muted", text: "No events found in this text." }),
    ex.warnings?.length ? el("ul", { class: "warn" }, ex.warnings.map((w) => el("li", { text: w }))) : null,
    el("div", { class: "side" }, sideLists(ex.mentions, [])));
}

function wirePaste() {
  let timer = 0;
  $("#paste-form").addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(timer); runExtract(); });
  for (const id of ["#p-text", "#p-title", "#p-outlet", "#p-date"]) {
    $(id).addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(runExtract, 700); });
  }
  $("#p-sample").addEventListener("click", () => {
    $("#p-text").value = PASTE_SAMPLE;
    $("#p-date").value = "2025-06-03";
    $("#p-outlet").value = "Example Wire";
    runExtract();
  });
}

// ---------------------------------------------------------------------------------------------
// Routing: #/ (map), #/event/ID (map + panel), #/doc/ID (article), #/paste

function route() {
  const h = location.hash.replace(/^#\/?/, "");
  const [page, arg] = h.split("/");
  const show = (name) => {
    for (const v of ["map", "doc", "paste"]) $(`#view-${v}`).hidden = v !== name;
    for (const a of document.querySelectorAll("[data-nav]")) a.classList.toggle("active", a.dataset.nav === name);
  };
  if (page === "doc" && arg) { show("doc"); openDocument(arg); return; }
  if (page === "paste") { show("paste"); $("#p-text").focus(); return; }
  show("map");
  if (page !== "event") { state.selected = null; $("#view-map").classList.remove("wide"); }
  resizeCanvas();
  clampView();
  drawMap();
  if (page === "event" && arg) openEvent(arg);
}

async function loadWorld() {
  try {
    const topo = await api("/assets/world.json");
    state.world = decodeTopology(topo);
    drawMap();
  } catch (err) {
    console.error("world map", err);
  }
}

async function loadCounts() {
  try {
    const resp = await fetch("/api/health");
    const h = await resp.json();
    const livePath = resp.headers.get("x-frontline-live");
    if (livePath) startLive(livePath, resp.headers.get("date"));
    const c = h.counts;
    $("#db-counts").textContent = `${c.fused_events} events · ${c.events} coded reports · ${c.documents} documents`;
  } catch { /* the header stays empty */ }
}

// ---------------------------------------------------------------------------------------------
// Live updates. Under `frontline watch --serve` the server's answers carry
// `X-Frontline-Live: /api/live`; the map then listens to that event stream and loads again
// after each stored batch (no page reload), ringing the markers of events created since the
// page was opened or last marked as seen. `frontline serve` sends no such header, so the
// map opens no stream there.

const live = {
  source: null,
  status: "off",
  since: null, // ms: events created at or after this are fresh
  fresh: new Set(),
  timer: 0,
  reloads: 0,
};

function setLiveStatus(status) {
  live.status = status;
  const badge = $("#live-status");
  badge.hidden = false;
  badge.textContent = status === "live" ? "● live" : status;
  badge.classList.toggle("on", status === "live");
}

// `serverDate`: the Date header of the answer that announced the stream (the server's
// clock, which stamps `created_at`).
function startLive(path, serverDate) {
  if (live.source || !window.EventSource || !path.startsWith("/")) return;
  const t = Date.parse(serverDate || "");
  live.since = Number.isFinite(t) ? t : Date.now();
  live.source = new EventSource(path);
  live.source.addEventListener("open", () => setLiveStatus("live"));
  live.source.addEventListener("error", () => {
    setLiveStatus(live.source.readyState === EventSource.CLOSED ? "offline" : "reconnecting…");
  });
  const later = () => {
    clearTimeout(live.timer);
    live.timer = setTimeout(() => { live.reloads++; reload(); loadCounts(); }, 250);
  };
  live.source.addEventListener("batch", later);
  live.source.addEventListener("lagged", later);
}

// Which loaded events are fresh, and the note under the count.
function noteFresh() {
  if (live.since == null) return;
  for (const e of state.events) {
    const created = Date.parse(e.created_at || "");
    if (Number.isFinite(created) && created >= live.since) live.fresh.add(e.id);
  }
  const shown = state.events.filter((e) => live.fresh.has(e.id)).length;
  $("#fresh-note").hidden = shown === 0;
  $("#fresh-text").textContent = `${shown} new since you looked`;
}

$("#fresh-seen").addEventListener("click", () => {
  let latest = live.since ?? 0;
  for (const e of state.events) {
    const created = Date.parse(e.created_at || "");
    if (Number.isFinite(created)) latest = Math.max(latest, created + 1);
  }
  live.since = latest;
  live.fresh.clear();
  noteFresh();
  drawMap();
});

// For the browser tests: where each drawn marker is, in page coordinates.
window.__frontline = {
  markers() {
    const r = canvas.getBoundingClientRect();
    return state.points.map((p) => ({ x: r.left + p.x, y: r.top + p.y, n: p.events.length, ids: p.events.map((e) => e.id), fresh: p.fresh }));
  },
  live: () => ({ status: live.status, fresh: [...live.fresh], reloads: live.reloads }),
  visibleCount: () => visibleEvents().length,
};

wireFilters();
wireMap();
wireTimeline();
wirePaste();
window.addEventListener("hashchange", route);
resizeCanvas();
route();
loadWorld();
loadCounts();
reload();
