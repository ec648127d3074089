// Shared by the browser tests: headless Chromium with a page that may reach only `base`.
// Any request off that server, any page error and any console error is pushed to `errors`,
// so that a test can fail on them (the UI must work with no network).
import { chromium } from "playwright-core";

/** Launches headless Chromium (Debian `chromium`, or $CHROMIUM) and opens a 1440×900 page
 * that may only reach `base`. Returns `{ browser, page }`. */
export async function openOfflinePage(base, errors) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) return route.continue();
    errors.push(`off-server request: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
  return { browser, page };
}
