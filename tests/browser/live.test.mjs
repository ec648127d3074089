// Browser test of the live map: `frontline watch --serve` over a news feed that this test
// serves on 127.0.0.1. A story added to the feed appears on the map without a page reload,
// ringed as new, and "Mark as seen" clears the marker. All traffic stays on loopback.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openOfflinePage } from "./offline_page.mjs";

const BIN = process.env.FRONTLINE_BIN;
const ART = new URL("./artifacts/", import.meta.url).pathname;
mkdirSync(ART, { recursive: true });

// Sentences written for this test.
const STORIES = {
  "/a/1": ["Checkpoint attacked in Mosul",
    "Gunmen attacked a police checkpoint in Mosul on Tuesday, killing three officers, police said. The attackers fled in a car."],
  "/a/2": ["Protest in Basra",
    "Hundreds of protesters marched through Basra on Wednesday to demand jobs and electricity, witnesses said. The march ended peacefully."],
};
const listed = ["/a/1"];
const today = new Date().toUTCString();

function page(title, text) {
  return `<!doctype html><html><head><title>${title}</title></head><body><article><h1>${title}</h1>` +
    `<p>${text}</p><p>${text}</p></article></body></html>`;
}

function feed() {
  const items = listed.map((p) => `<item><title>${STORIES[p][0]}</title><link>${p}</link>` +
    `<pubDate>${today}</pubDate></item>`).join("");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title>${items}</channel></rss>`;
}

let site, siteUrl, watcher, base, browser, pg, dir, log = "";
const errors = [];

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function health() {
  try {
    const r = await fetch(`${base}/api/health`);
    return r.ok ? await r.json() : null;
  } catch { return null; }
}

async function until(what, fn, ms = 120000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n--- watch log ---\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

before(async () => {
  assert.ok(BIN, "FRONTLINE_BIN is not set; run tests/browser/run.sh");
  site = http.createServer((req, res) => {
    if (req.url === "/feed.xml") {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      return res.end(feed());
    }
    const story = STORIES[req.url];
    if (story) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(page(...story));
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((r) => site.listen(0, "127.0.0.1", r));
  siteUrl = `http://127.0.0.1:${site.address().port}`;
  dir = mkdtempSync(join(tmpdir(), "frontline-live-"));
  const config = join(dir, "feeds.toml");
  writeFileSync(config, `[watch]\nuser_agent = "frontline-browser-test/1"\nper_host_interval_s = 0\n` +
    `poll_s = 1\nrobots = false\n\n[[feed]]\nurl = "${siteUrl}/feed.xml"\noutlet = "Test Wire"\nlanguage = "en"\n`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  watcher = spawn(BIN, ["--quiet", "watch", "--config", config, "--db", join(dir, "live.db"),
    "--serve", `127.0.0.1:${port}`], { stdio: ["ignore", "pipe", "pipe"] });
  watcher.stdout.on("data", (d) => { log += d; });
  watcher.stderr.on("data", (d) => { log += d; });
  // The first story is stored and fused before the page opens.
  await until("the first story's event", async () => (await health())?.counts?.fused_events >= 1);

  ({ browser, page: pg } = await openOfflinePage(base, errors));
});

after(async () => {
  await browser?.close();
  watcher?.kill("SIGTERM");
  await new Promise((r) => site?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("a new story in the feed appears on the open map without a reload", async () => {
  await pg.goto(`${base}/`);
  await pg.waitForFunction(() => window.__frontline.live().status === "live");
  await pg.waitForFunction(() => window.__frontline.markers().length > 0);
  const before = Number(await pg.locator("#count").textContent());
  const idsBefore = (await pg.evaluate(() => window.__frontline.markers())).flatMap((m) => m.ids);
  assert.ok(before >= 1);
  assert.equal(await pg.locator("#fresh-note").isHidden(), true, "nothing is new yet");
  // Marks this document: a reload would lose it.
  await pg.evaluate(() => { window.__sameDocument = true; });

  listed.push("/a/2");
  await pg.waitForFunction((n) => Number(document.querySelector("#count").textContent) > n, before,
    { timeout: 120000 });
  assert.equal(await pg.evaluate(() => window.__sameDocument), true, "the page was not reloaded");
  const live = await pg.evaluate(() => window.__frontline.live());
  assert.ok(live.reloads >= 1, "the map loaded again after a batch event");
  assert.ok(live.fresh.length >= 1, "the new event is marked as new");
  assert.ok(live.fresh.every((id) => !idsBefore.includes(id)), "only events that were not shown are new");
  const api = await (await fetch(`${base}/api/events?limit=100`)).json();
  const located = api.events.filter((e) => e.location && e.location.lat != null).length;
  const ms = await pg.evaluate(() => window.__frontline.markers());
  assert.equal(ms.reduce((n, m) => n + m.n, 0), located, "every located event is on the map");
  assert.ok(ms.some((m) => m.fresh && m.ids.some((id) => live.fresh.includes(id))), "the new marker is ringed");
  assert.match(await pg.locator("#fresh-text").textContent(), /^\d+ new since you looked$/);
  await pg.screenshot({ path: `${ART}live-map.png` });

  await pg.click("#fresh-seen");
  assert.equal(await pg.locator("#fresh-note").isHidden(), true);
  assert.deepEqual(await pg.evaluate(() => window.__frontline.live().fresh), []);
  assert.deepEqual(errors, []);
});
