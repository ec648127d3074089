// Browser tests of the Frontline UI against a running `frontline demo` (see run.sh).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { openOfflinePage } from "./offline_page.mjs";

const BASE = process.env.FRONTLINE_URL;
const ART = new URL("./artifacts/", import.meta.url).pathname;
mkdirSync(ART, { recursive: true });

let browser, page;
const errors = [];

before(async () => {
  assert.ok(BASE, "FRONTLINE_URL is not set; run tests/browser/run.sh");
  ({ browser, page } = await openOfflinePage(BASE, errors));
});

after(async () => {
  await browser?.close();
});

const count = async () => Number(await page.locator("#count").textContent());

async function markers() {
  return page.evaluate(() => window.__frontline.markers());
}

test("the map shows the sample events", async () => {
  const health = await (await fetch(`${BASE}/api/health`)).json();
  const expected = health.counts.fused_events;
  assert.ok(expected >= 5, `demo database has only ${expected} events`);
  await page.goto(`${BASE}/`);
  await page.waitForFunction(() => Number(document.querySelector("#count").textContent) > 0);
  // The map drew the countries and the markers.
  await page.waitForFunction(() => window.__frontline.markers().length > 0);
  const api = await (await fetch(`${BASE}/api/events?limit=10000`)).json();
  assert.equal(await count(), api.total, "count shown equals the API's total");
  const ms = await markers();
  const located = api.events.filter((e) => e.location && e.location.lat != null).length;
  assert.equal(ms.reduce((n, m) => n + m.n, 0), located, "every located event is on the map");
  const types = await page.locator("#f-types .type-row").count();
  assert.ok(types >= 1);
  await page.screenshot({ path: `${ART}map.png` });
  assert.deepEqual(errors, []);
});

test("brushing the timeline changes the count", async () => {
  await page.goto(`${BASE}/`);
  await page.waitForFunction(() => window.__frontline.markers().length > 0);
  const before = await count();
  const box = await page.locator("#timeline").boundingBox();
  // Drag across the first third of the timeline.
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.33, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction((n) => Number(document.querySelector("#count").textContent) !== n, before);
  const after = await count();
  assert.ok(after < before, `brushed count ${after} should be below ${before}`);
  const range = await page.locator("#range-label").textContent();
  assert.match(range, /\d{4}-\d{2}-\d{2} → \d{4}-\d{2}-\d{2}/);
  // The API agrees with the count for that period.
  const [since, until] = range.split(" → ");
  const api = await (await fetch(`${BASE}/api/events?since=${since}&until=${until.trim()}`)).json();
  assert.equal(after, api.total);
  await page.screenshot({ path: `${ART}timeline-brushed.png` });
  await page.click("#brush-clear");
  await page.waitForFunction((n) => Number(document.querySelector("#count").textContent) === n, before);
  assert.deepEqual(errors, []);
});

test("clicking a point opens its reports with highlighted spans", async () => {
  await page.goto(`${BASE}/`);
  await page.waitForFunction(() => window.__frontline.markers().length > 0);
  // Zoom in until some marker stands for a single event, then click it.
  let single = null;
  for (let i = 0; i < 8 && !single; i++) {
    single = (await markers()).find((m) => m.n === 1);
    if (!single) await page.click("#zoom-in");
  }
  if (!single) {
    // Every event shares a place with another: a click on a cluster lists them.
    const m = (await markers())[0];
    await page.mouse.click(m.x, m.y);
    await page.locator(".cluster-list li").first().click();
  } else {
    await page.mouse.click(single.x, single.y);
  }
  await page.waitForSelector("#panel .report");
  const reports = await page.locator("#panel .report").count();
  assert.ok(reports >= 1);
  const marks = await page.locator("#panel .report mark").count();
  assert.ok(marks >= 1, "report sentences carry highlighted spans");
  await page.screenshot({ path: `${ART}event-panel.png` });

  // An event with several outlets shows them side by side.
  const api = await (await fetch(`${BASE}/api/events?min_sources=2&limit=1`)).json();
  if (api.events.length) {
    await page.goto(`${BASE}/#/event/${api.events[0].id}`);
    await page.waitForFunction(() => document.querySelectorAll("#panel .report").length >= 2);
    await page.screenshot({ path: `${ART}event-multi-source.png` });
    // It lists its independent sources (one line each, as many as the record counts) and,
    // when reports give figures, each report's toll.
    const detail = await (await fetch(`${BASE}/api/events/${api.events[0].id}`)).json();
    const listed = await page.locator("#panel .sources li").count();
    assert.equal(listed, detail.n_sources, "one line per independent source");
    assert.equal(detail.independent_sources.length, detail.n_sources);
    const tolls = await page.locator("#panel .tolls li").count();
    assert.equal(tolls, detail.tolls.length, "one line per report giving a toll");
  }
  // The article view highlights actors, places, times and quantities.
  await page.locator("#panel .report a").first().click();
  await page.waitForSelector("#doc-text mark");
  const kinds = await page.$$eval("#doc-text mark", (ms) => [...new Set(ms.map((m) => m.className))]);
  assert.ok(kinds.length >= 2, `article highlights several kinds: ${kinds}`);
  await page.screenshot({ path: `${ART}article.png`, fullPage: true });
  assert.deepEqual(errors, []);
});

test("the paste page extracts", async () => {
  await page.goto(`${BASE}/#/paste`);
  await page.fill("#p-date", "2025-06-03");
  await page.fill("#p-text",
    "MOSUL, Iraq - Gunmen attacked a police checkpoint near Mosul on Monday, killing four policemen, security officials said.");
  await page.click("#p-go");
  await page.waitForSelector("#p-text-out mark");
  const heading = await page.locator("#p-result h2").textContent();
  assert.match(heading, /\d+ events?, \d+ mentions/);
  const marks = await page.locator("#p-text-out mark").count();
  assert.ok(marks >= 2, "the pasted text is highlighted");
  await page.screenshot({ path: `${ART}paste.png`, fullPage: true });
  assert.deepEqual(errors, []);
});
