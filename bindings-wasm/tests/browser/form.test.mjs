// Browser test: Debian's Chromium (headless, driven by playwright-core) loads the demo form from a
// local static server, fills it for several households, checks the amounts the page shows, that
// there were no console errors and no requests beyond the page's own files, and saves screenshots.
// Prints "N passed, N failed".
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const www = join(here, "..", "..", "www");
const out = join(here, "out");
mkdirSync(out, { recursive: true });

const port = await new Promise((resolve) => {
  const s = createServer();
  s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const origin = `http://127.0.0.1:${port}`;
const server = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", www], { stdio: "ignore" });
for (let i = 0; i < 100; i++) {
  try { await fetch(origin + "/index.html"); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
}

const profile = mkdtempSync(join(tmpdir(), "kodomo-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 390, height: 844 }, // a phone-sized screen
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});

const results = [];
const problems = [];
const requests = [];
async function check(name, fn) {
  try { await fn(); results.push([name, true]); console.log(`ok - ${name}`); }
  catch (e) { results.push([name, false]); console.log(`not ok - ${name}\n  ${e.message}`); }
}
function expect(cond, msg) { if (!cond) throw new Error(msg); }

const page = context.pages()[0] ?? await context.newPage();
page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
page.on("request", (r) => requests.push(r.url()));

const t0 = Date.now();
await page.goto(origin + "/index.html");
await page.waitForSelector("body[data-ready=true]");
const timing = await page.evaluate(() => ({ ...window.__timing, load: performance.getEntriesByType("navigation")[0].loadEventEnd || performance.now(), domContentLoaded: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd }));
const total = () => page.textContent("#result-total");
// The payment schedule and the explanation are rendered just after the amount.
const settled = () => page.waitForSelector("body[data-pending=false]");

async function setChildren(births) {
  await page.evaluate(() => document.querySelectorAll("#children .child").forEach((c) => c.remove()));
  for (const b of births) {
    await page.click("#add-child");
    await page.locator("#children .child").last().locator(".child-birth").fill(b);
  }
}

await check("one parent, a child under 3 in 2025-06: 15,000円 (FACTS.md §1.3)", async () => {
  await page.uncheck("#p1-present");
  await page.fill("#month", "2025-06");
  await setChildren(["2023-05-10"]);
  expect((await total()) === "15,000円", `total ${await total()}`);
  expect((await page.textContent("#children-table tbody")).includes("3歳未満"), "band shown in Japanese");
  await settled();
  expect((await page.textContent("#payments tbody")).includes("2025-08"), "the June and July months are paid in August");
  expect((await page.textContent("#explanation")).includes("児童手当法"), "the explanation cites the law");
  expect((await page.textContent("#income-year-hint")).includes("所得制限がありません"), "no income asked after the reform");
  await page.screenshot({ path: join(out, "form-ja.png"), fullPage: true });
});

await check("English toggle: 15,000 yen and English texts", async () => {
  await page.click("#lang-toggle");
  expect((await total()) === "15,000 yen", `total ${await total()}`);
  expect((await page.textContent("h1")).startsWith("Child allowance"), "title in English");
  await settled();
  expect((await page.textContent("#explanation")).includes("rank 1"), "explanation in English");
  await page.click("#lang-toggle");
});

await check("missing income in 2024-06: undetermined, range shown, the income field asked for", async () => {
  await page.fill("#month", "2024-06");
  await setChildren(["2015-05-05", "2017-08-08"]);
  await page.fill("#p0-salary", "");
  expect((await page.getAttribute("#status", "data-status")) === "undetermined", await page.textContent("#status"));
  // 0 (at or above the 上限) up to 2 × 10,000 (FACTS.md §1.3, §1.4).
  expect((await total()).includes("20,000円"), `total ${await total()}`);
  expect((await page.textContent("#missing-list")).includes("保護者1の2023年の収入"), await page.textContent("#missing-list"));
  expect((await page.getAttribute("#p0-salary", "aria-invalid")) === "true", "the deciding field is highlighted");
  await settled();
  await page.screenshot({ path: join(out, "form-missing.png"), fullPage: true });
  // Answering it decides the month: 給与 5,000,000 → 所得額 3,380,000 < 6,980,000 (2 children) → 20,000.
  await page.fill("#p0-salary", "5000000");
  expect((await total()) === "20,000円", `total ${await total()}`);
  expect(!(await page.isVisible("#missing")), "nothing more to ask");
});

await check("high income in 2024-06: 特例給付 5,000円 per child (FACTS.md §1.4)", async () => {
  // 9,500,000 → 給与所得 7,550,000 → 所得額 7,370,000; with no other dependants the count is the two
  // children: at or above 6,980,000, below 9,340,000.
  await page.fill("#p0-dependants", "0");
  await page.fill("#p0-salary", "9500000");
  expect((await total()) === "10,000円", `total ${await total()}`);
});

await check("a 19-year-old with the 確認書 makes the youngest 第3子: 40,000円 in 2025-06 (FACTS.md §1.3)", async () => {
  await page.fill("#month", "2025-06");
  await setChildren(["2006-05-20", "2014-11-02", "2022-08-01"]);
  const first = page.locator("#children .child").first();
  expect(await first.locator(".extended").isVisible(), "the 確認書 question appears for the 19-year-old");
  expect(!(await page.locator("#children .child").last().locator(".extended").isVisible()), "and not for the 2-year-old");
  await first.locator(".child-extended").selectOption("yes");
  expect((await total()) === "40,000円", `total ${await total()}`);
  expect((await page.textContent("#children-table tbody")).includes("第3子"), "rank shown");
  await settled();
  await page.screenshot({ path: join(out, "form-three-children.png"), fullPage: true });
});

await check("keyboard: the add-child button works from the keyboard", async () => {
  const before = await page.locator("#children .child").count();
  await page.focus("#add-child");
  await page.keyboard.press("Enter");
  expect((await page.locator("#children .child").count()) === before + 1, "a child row was added");
  expect(await page.evaluate(() => document.activeElement.classList.contains("child-birth")), "focus moves to the new birth date");
});

await check("works offline after load: the network is cut and the form still answers", async () => {
  await context.setOffline(true);
  await page.fill("#month", "2025-06");
  await setChildren(["2023-05-10"]);
  expect((await total()) === "15,000円", `total ${await total()}`);
  await settled();
  await context.setOffline(false);
});

await check("bad input: a negative salary and a cleared month are named, and the old result is cleared", async () => {
  await page.fill("#month", "2024-06");
  await setChildren(["2015-05-05"]);
  await page.fill("#p0-salary", "-5");
  expect((await page.getAttribute("#status", "data-status")) === "error", await page.textContent("#status"));
  expect((await page.textContent("#status")).includes("給与収入"), await page.textContent("#status"));
  expect((await page.getAttribute("#p0-salary", "aria-invalid")) === "true", "the bad field is marked");
  expect((await page.textContent("#children-table tbody")) === "", "no stale per-child rows");
  await page.fill("#p0-salary", "");
  await page.fill("#month", "");
  expect((await page.textContent("#status")) === "対象月を入力してください", await page.textContent("#status"));
  await page.fill("#month", "2025-06");
  expect((await page.getAttribute("#status", "data-status")) === "eligible", "recovers");
});

await check("every input has a label", async () => {
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll("input, select")]
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")).map((el) => el.id || el.className));
  expect(unlabelled.length === 0, `unlabelled: ${unlabelled.join(", ")}`);
});

await check("no console errors and no requests beyond the page's own files", async () => {
  expect(problems.length === 0, problems.join("; "));
  const foreign = requests.filter((u) => !u.startsWith(origin + "/"));
  expect(foreign.length === 0, `foreign requests: ${foreign.join(", ")}`);
});

const ms = (v) => `${v.toFixed(1)} ms`;
console.log(`timing: script start ${ms(timing.scriptStart)}, wasm ready ${ms(timing.engineReady)}, first result ${ms(timing.firstResult)} after navigation start; ` +
  `instantiate ${ms(timing.wasmInstantiated - timing.scriptStart)}, new Engine ${ms(timing.engineReady - timing.wasmInstantiated)}; first result ${ms(timing.firstResult - timing.domContentLoaded)} after DOMContentLoaded, ${ms(timing.firstResult - timing.engineReady)} after the engine was ready (wall ${Date.now() - t0} ms)`);
await context.close();
server.kill();
rmSync(profile, { recursive: true, force: true });
const passed = results.filter((r) => r[1]).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exit(results.length === passed ? 0 : 1);
