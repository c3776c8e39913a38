// tests/browser/ui.test.mjs - the web UI in a real browser (Debian's chromium,
// driven by playwright-core), against the server tests/browser/run.sh started.
// Prints TAP. Each test is bounded in time; a failing test leaves a screenshot.
import { createRequire } from "node:module";
import { readFileSync, mkdirSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createHmac } from "node:crypto";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const require = createRequire(join(repo, "web", "package.json"));
const { chromium } = require("playwright-core");

const BASE = process.env.BASE;
const OUT = process.env.OUT || "/tmp";
const SHOTS = process.env.SHOTS || join(OUT, "screenshots");
mkdirSync(SHOTS, { recursive: true });
const logins = Object.fromEntries(readFileSync(process.env.LOGINS, "utf8").split("\n")
	.map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 2 && /^[a-z][a-z0-9._-]+$/.test(f[0]) && /^[A-Za-z0-9-]{10,}$/.test(f[1])));

// ---- a small TAP harness -------------------------------------------------
let n = 0;
let failed = 0;
const cspErrors = [];
const pageErrors = [];
function diag(text) {
	for (const line of String(text).split("\n").slice(0, 15)) console.log(`# ${line}`);
}
async function test(name, fn, { timeout = 45000 } = {}) {
	n++;
	let timer;
	try {
		await Promise.race([fn(), new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${timeout} ms`)), timeout); })]);
		console.log(`ok ${n} - ${name}`);
	} catch (err) {
		failed++;
		console.log(`not ok ${n} - ${name}`);
		diag(err && err.stack ? err.stack : err);
		if (current) await current.screenshot({ path: join(OUT, `failed-${n}.png`), fullPage: true }).catch(() => {});
	} finally {
		clearTimeout(timer);
	}
}
function assert(cond, message) {
	if (!cond) throw new Error(`assertion failed: ${message}`);
}
function eq(got, want, message) {
	if (got !== want) throw new Error(`${message}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

// ---- the browser --------------------------------------------------------
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
	headless: true,
	timeout: 60000,
	args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage", "--lang=zh-TW"],
});
// playwright gives every context a fresh profile directory (the --user-data-dir of a launch).
let current = null;
async function newPage({ width = 1366, height = 768 } = {}) {
	const ctx = await browser.newContext({ viewport: { width, height }, locale: "zh-TW", timezoneId: "Asia/Taipei" });
	ctx.setDefaultTimeout(15000);
	const page = await ctx.newPage();
	page.on("console", (m) => {
		if (/Content.Security.Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
	});
	page.on("pageerror", (e) => pageErrors.push(e.message));
	current = page;
	return page;
}
async function signIn(page, user, password = logins[user]) {
	await page.goto(`${BASE}/`);
	await page.waitForSelector("#signin-form, #signout");
	if (await page.$("#signout")) {
		await page.click("#signout");
		await page.waitForSelector("#signin-form");
	}
	await page.fill("#username", user);
	await page.fill("#password", password);
	await page.click("#signin-form button[type=submit]");
}
// The whole page down to at most 2000 px, so the README shows what matters.
async function shot(page, name) {
	const vp = page.viewportSize();
	const height = await page.evaluate(() => document.documentElement.scrollHeight);
	await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true,
		clip: { x: 0, y: 0, width: vp.width, height: Math.min(Math.max(height, vp.height), 2000) } });
}
// Direct API calls for test set-up (the center's view of the demo data).
async function apiAs(user) {
	const r = await fetch(`${BASE}/api/v1/session`, { method: "POST", headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ username: user, password: logins[user] }) });
	const cookie = (r.headers.get("set-cookie") || "").split(";")[0];
	return async (path) => (await fetch(`${BASE}${path}`, { headers: { Cookie: cookie } })).json();
}


// RFC 6238 one-time code (SHA-1, 30 s, 6 digits) of a base32 secret at a time step.
function totp(secret, step) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	let bits = "";
	for (const ch of secret.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
	const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(step));
	const mac = createHmac("sha1", key).update(msg).digest();
	const o = mac[mac.length - 1] & 15;
	return String((mac.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, "0");
}

// ---- the tests ----------------------------------------------------------
await test("every string is in both translation files, and every key the code uses exists", async () => {
	const zh = JSON.parse(readFileSync(join(repo, "web/src/i18n/zh-TW.json"), "utf8"));
	const en = JSON.parse(readFileSync(join(repo, "web/src/i18n/en.json"), "utf8"));
	const onlyZh = Object.keys(zh).filter((k) => !(k in en));
	const onlyEn = Object.keys(en).filter((k) => !(k in zh));
	assert(!onlyZh.length && !onlyEn.length, `keys in one file only: ${[...onlyZh, ...onlyEn].join(", ")}`);
	const used = new Set();
	const walk = (d) => readdirSync(d, { withFileTypes: true }).forEach((e) => {
		if (e.isDirectory()) walk(join(d, e.name));
		else if (e.name.endsWith(".js")) for (const m of readFileSync(join(d, e.name), "utf8").matchAll(/\bt(?:Maybe)?\("([a-z_][a-z_.0-9]*\.[a-z_.0-9]+)"/g)) used.add(m[1]);
	});
	walk(join(repo, "web/src"));
	const missing = [...used].filter((k) => !(k in zh));
	assert(!missing.length, `keys used but missing: ${missing.join(", ")}`);
});

// Set-up: a phone number that TPDP's case 1001 and KSDP's case 1002 both have.
const center = await apiAs("analyst");
const ksCase = (await center("/api/v1/cases")).items.find((c) => c.office_id === 4);
const tpCase = (await center("/api/v1/cases")).items.find((c) => c.number.endsWith("1001號"));
const ksReport = (await center(`/api/v1/reports?case_id=${ksCase.id}&limit=1`)).items[0];
const sharedPhone = (await center(`/api/v1/reports/${ksReport.id}`)).identifiers.find((x) => x.role === "caller").value;
diag(`shared phone ${sharedPhone}; Kaohsiung case ${ksCase.number} (#${ksCase.id}); Taipei case ${tpCase.number} (#${tpCase.id})`);
// As typed by a person: +886916051664 → 0916-051-664.
const typedPhone = `0${sharedPhone.slice(4, 7)}-${sharedPhone.slice(7, 10)}-${sharedPhone.slice(10)}`;

let page = await newPage();

await test("the sign-in page is in Traditional Chinese first, and a wrong password is shown by its field", async () => {
	await page.goto(`${BASE}/`);
	await page.waitForSelector("#signin-form");
	eq(await page.getAttribute("html", "lang"), "zh-Hant-TW", "html lang");
	eq((await page.textContent("main h1")).trim(), "登入", "heading");
	await shot(page, "signin");
	await page.fill("#username", "prosecutor.tp");
	await page.fill("#password", "not-the-password");
	await page.click("#signin-form button[type=submit]");
	await page.waitForSelector("#password-error:has-text('帳號或密碼錯誤')");
	eq(await page.getAttribute("#password", "aria-invalid"), "true", "password marked invalid");
});

await test("prosecutor.tp signs in and sees the dashboard with charts, in ROC dates", async () => {
	await page.fill("#username", "prosecutor.tp");
	await page.fill("#password", logins["prosecutor.tp"]);
	await page.click("#signin-form button[type=submit]");
	await page.waitForSelector("main h1:has-text('儀表板')");
	await page.waitForSelector("#chart-crime canvas");
	await page.waitForSelector("#chart-office canvas");
	const text = await page.textContent("main");
	assert(/民國1\d\d年\d{1,2}月\d{1,2}日/.test(text), "an ROC date on the dashboard");
	assert(/本週通報/.test(text) && /本月通報/.test(text), "week and month counts");
	await page.waitForSelector("#chart-top canvas");
	await page.waitForTimeout(300);
	await shot(page, "dashboard");
});

await test("the dashboard shows the counts the statistics API gives for the demo data", async () => {
	const num = async (sel) => Number((await page.textContent(sel)).replace(/[^\d]/g, ""));
	const week = await page.getAttribute("#kpi-reports-week", "data-since");
	const month = await page.getAttribute("#kpi-reports-month", "data-since");
	// The periods start at Taipei midnight of Monday and of the 1st.
	const taipei = (iso) => new Date(new Date(iso).getTime() + 8 * 3600e3);
	eq(taipei(week).getUTCDay(), 1, `the week starts on a Monday (${week})`);
	eq(taipei(week).getUTCHours(), 0, "at Taipei midnight");
	eq(taipei(month).getUTCDate(), 1, `the month starts on the 1st (${month})`);
	const get = (path) => page.evaluate(async (p) => (await fetch(p)).json(), path);
	const [w, m, cw, top] = await Promise.all([get(`/api/v1/stats/reports?since=${week}`), get(`/api/v1/stats/reports?since=${month}`),
		get(`/api/v1/stats/cases?since=${week}`), get("/api/v1/stats/top-identifiers?limit=10")]);
	assert(m.count > 0, `the demo data has reports this month (${m.count})`);
	eq(await num("#kpi-reports-week"), w.count, "reports this week");
	eq(await num("#kpi-reports-month"), m.count, "reports this month");
	eq(await num("#kpi-cases-week"), cw.count, "cases opened this week");
	eq(m.scope, "readable", "a prosecutor's figures are what they may read");
	// The by-crime table's month column adds up to the month's count.
	const monthCol = await page.$$eval("#chart-crime ~ details tbody tr td:nth-child(3)", (tds) => tds.map((td) => Number(td.textContent.replace(/[^\d]/g, ""))));
	eq(monthCol.reduce((a, b) => a + b, 0), m.count, "the crime-type table adds up");
	assert(top.items.length > 0, "top identifiers for the demo data");
	const rows = await page.$$eval("#chart-top ~ details tbody tr", (trs) => trs.map((tr) => [tr.querySelector("a").getAttribute("href"), tr.children[2].textContent.trim()]));
	eq(rows.length, top.items.length, "one row per top identifier");
	eq(rows[0][0], `/identifiers/${top.items[0].identifier.id}`, "the first row is the API's first identifier");
	eq(Number(rows[0][1]), top.items[0].cases, "with its number of cases");
});

await test("the navigation shows what a prosecutor may use", async () => {
	const nav = await page.$$eval("#nav a", (as) => as.map((a) => a.getAttribute("href")));
	for (const href of ["/", "/reports/new", "/reports", "/cases", "/identifiers", "/import", "/notifications"]) {
		assert(nav.includes(href), `nav has ${href} (${nav.join(" ")})`);
	}
});

await test("a bad phone number is refused by the server's rules, next to the field", async () => {
	await page.click("#nav a[href='/reports/new']");
	await page.waitForSelector("#report-form");
	await page.selectOption("#crime_type", "impersonation");
	const row = page.locator(".ident-row").first();
	await row.locator("select.ident-type").selectOption("phone");
	await row.locator("input.ident-value").fill("0912-345");
	const id = await row.locator("input.ident-value").getAttribute("id");
	await page.waitForSelector(`#${id}-error:has-text('位數太少')`);
	eq(await row.locator("input.ident-value").getAttribute("aria-invalid"), "true", "value marked invalid");
	// Saving is refused too, and the error stays by the field.
	await page.click("#save-report");
	await page.waitForSelector(".form-status .alert.error");
	eq(new URL(page.url()).pathname, "/reports/new", "still on the form");
	await shot(page, "report-form");
});

let reportUrl = null;
await test("a good phone number shows its canonical form, and the saved report shows its correlations", async () => {
	const row = page.locator(".ident-row").first();
	await row.locator("input.ident-value").fill(typedPhone);
	await page.waitForFunction((want) => (document.querySelector(".ident-row .canonical")?.textContent || "").replace(/\s/g, "") === want,
		sharedPhone);
	eq(await row.locator("input.ident-value").getAttribute("aria-invalid"), null, "no longer invalid");
	await page.fill("#loss_twd", "150000");
	await page.fill("#occurred_at", "2026-03-01T14:30");
	await page.waitForSelector(".roc:has-text('民國115年3月1日')");
	await page.fill("#narrative", "被害人接獲自稱檢察官來電，要求匯款至監管帳戶。");
	await page.click("#save-report");
	await page.waitForURL(/\/reports\/\d+$/);
	reportUrl = page.url();
	await page.waitForSelector("main .alert.ok");
	await page.waitForSelector("#correlations .corr-item");
	const corr = await page.textContent("#correlations");
	assert(corr.includes(tpCase.number), `a related report of ${tpCase.number} is listed`);
	assert(corr.includes("臺灣高雄地方檢察署"), "a blind hit of Kaohsiung is counted");
	await page.waitForSelector(`button.ask-access[data-case='${ksCase.id}']`);
	await shot(page, "report-correlations");
});

await test("asking the other office's case for access sends a request", async () => {
	await page.click(`button.ask-access[data-case='${ksCase.id}']`);
	await page.fill(".access-form textarea", "本署偵辦同一來電號碼之假冒公務員詐欺案，請求調閱。");
	await page.click(".access-form button[type=submit]");
	await page.waitForSelector(".access .alert:has-text('送出調閱申請')");
});

await test("the identifier page shows the canonical form, reports, blind hits, a graph, and watch / unwatch", async () => {
	await page.click("#correlations a.ident-link >> nth=0");
	await page.waitForURL(/\/identifiers\/\d+$/);
	await page.waitForSelector("#canonical");
	eq((await page.textContent("#canonical")).trim(), sharedPhone, "canonical value");
	await page.waitForSelector("#graph canvas");
	await page.waitForFunction(() => Number(document.getElementById("graph").dataset.nodes) > 2);
	await page.click("#watch-toggle");
	await page.waitForSelector("#watch-toggle[aria-pressed='true']");
	await shot(page, "identifier");
	await page.click("#watch-toggle");
	await page.waitForSelector("#watch-toggle[aria-pressed='false']");
});

await test("the search box finds an identifier in any spelling, and a case by its number", async () => {
	await page.fill("#q", `+886 ${sharedPhone.slice(4, 7)} ${sharedPhone.slice(7, 10)} ${sharedPhone.slice(10)}`);
	await page.press("#q", "Enter");
	await page.waitForURL(/\/identifiers\/\d+$/);
	await page.waitForSelector("#canonical");
	await page.fill("#q", tpCase.number.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))); // full-width digits
	await page.press("#q", "Enter");
	await page.waitForURL(new RegExp(`/cases/${tpCase.id}$`));
	await page.waitForSelector("main h1:has-text('1001')");
	await page.waitForSelector("#case-idents table");
	const text = await page.textContent("main");
	assert(text.includes("成員") && text.includes("時間軸"), "members and timeline");
	await shot(page, "case");
});

await test("the search box finds reports by words of their narrative", async () => {
	await page.fill("#q", "監管帳戶 檢察官");
	await page.press("#q", "Enter");
	await page.waitForSelector("#search-reports");
	const reportId = new URL(reportUrl).pathname.split("/").pop();
	await page.waitForSelector(`#search-reports a[href='/reports/${reportId}']`);
	await page.fill("#q", "沒有這句話的案情");
	await page.press("#q", "Enter");
	await page.waitForSelector("main .empty:has-text('找不到相符')");
});

await test("a prosecutor edits the case, adds and removes a member, links a report and sees it all in the timeline", async () => {
	await page.goto(`${BASE}/cases/${tpCase.id}`);
	await page.waitForSelector("#case-timeline");
	await page.click("#case-edit-box summary");
	const title = `${tpCase.title}（偵辦中）`;
	await page.fill("#case-title", title);
	await page.selectOption("#case-status", "investigating");
	await page.click("#case-edit button[type=submit]");
	await page.waitForSelector("main .alert.ok:has-text('案件資料已更新')");
	await page.waitForSelector(`#case-timeline li[data-action='case.update']:has-text('偵查中')`);
	assert((await page.textContent("main dl.facts")).includes(title), "the new title is shown");
	tpCase.title = title; // the other office must not see this one either (below)
	// a colleague of the office joins, then leaves
	await page.selectOption("#member-user", { label: "新進偵查員 測試 (new.officer)" });
	await page.selectOption("#member-role", "investigator");
	await page.click("#member-add button[type=submit]");
	await page.waitForSelector("main .alert.ok:has-text('加入案件')");
	await page.waitForSelector("#case-timeline li[data-action='case.member.add']:has-text('new.officer')");
	// a report number that does not exist is refused by its field
	await page.fill("#link-report", "#99999999");
	await page.click("#report-link button[type=submit]");
	await page.waitForSelector("#link-report-error:has-text('找不到這筆通報')");
	const reportId = new URL(reportUrl).pathname.split("/").pop();
	await page.fill("#link-report", `#${reportId}`);
	await page.click("#report-link button[type=submit]");
	await page.waitForSelector(`main .alert.ok:has-text('#${reportId}')`);
	await page.waitForSelector(`#case-timeline li[data-action='case.report.link'] a[href='/reports/${reportId}']`);
	await page.waitForSelector(`#case-timeline li[data-action='report.reported'] a[href='/reports/${reportId}']`);
	// its identifiers now count here, with their other cases
	await page.waitForSelector(`#case-idents a.ident-link:has-text('${sharedPhone.slice(4, 7)}')`);
	await page.click("button.remove-member[data-user='new.officer']");
	await page.waitForSelector("button.remove-member[data-user='new.officer']:has-text('確定移除')");
	await page.click("button.remove-member[data-user='new.officer']");
	await page.waitForSelector("#case-timeline li[data-action='case.member.remove']:has-text('new.officer')");
	assert(!(await page.$("button.remove-member[data-user='new.officer']")), "no longer a member");
	await shot(page, "case");
});

await test("find identifiers in a narrative and add them as rows", async () => {
	await page.goto(`${BASE}/reports/new`);
	await page.waitForSelector("#report-form");
	await page.fill("#narrative", "對方LINE ID是scam_helper88，叫我匯到中信822-1234567890。");
	await page.click("#extract");
	await page.waitForSelector("#extracted .found-list li");
	await page.click("#extracted button:has-text('全部加入')");
	await page.waitForFunction(() => [...document.querySelectorAll(".ident-row")].filter((r) => r.dataset.state === "ok").length >= 2);
	const values = await page.$$eval(".ident-row .canonical", (els) => els.map((e) => e.textContent));
	assert(values.some((v) => v.includes("822-1234567890")), `bank account row (${values})`);
});

await test("the language switch turns the UI to English (ISO dates) and back", async () => {
	await page.goto(`${BASE}/`);
	await page.waitForSelector("main h1:has-text('儀表板')");
	await page.click("#lang");
	await page.waitForSelector("main h1:has-text('Dashboard')");
	eq(await page.getAttribute("html", "lang"), "en", "html lang");
	assert((await page.textContent("#nav")).includes("New report"), "English navigation");
	assert(/\d{4}-\d{2}-\d{2}/.test(await page.textContent("main")), "ISO dates in English");
	await page.waitForSelector("#chart-top canvas");
	assert(/Identifiers with the most cross-case hits/.test(await page.textContent("main")), "the dashboard's sections in English");
	await shot(page, "dashboard-en");
	// empty states and errors in English too
	await page.goto(`${BASE}/cases/99999999`);
	await page.waitForSelector("#case-denied:has-text('No such case')");
	await page.goto(`${BASE}/search?q=${encodeURIComponent("no narrative says this")}`);
	await page.waitForSelector("main .empty:has-text('No identifier, case or report matches')");
	await page.goto(`${BASE}/`);
	await page.reload();
	await page.waitForSelector("main h1:has-text('Dashboard')"); // the choice is kept
	await page.click("#lang");
	await page.waitForSelector("main h1:has-text('儀表板')");
});

await test("keyboard: the skip link comes first and moves to the content", async () => {
	await page.goto(`${BASE}/cases`);
	await page.waitForSelector("main h1");
	await page.keyboard.press("Tab");
	eq(await page.evaluate(() => document.activeElement.className), "skip", "first tab stop");
	await page.keyboard.press("Enter");
	await page.waitForFunction(() => location.hash === "#main");
});

// Text whose colour has under 4.5:1 contrast with its background, on the page shown.
async function lowContrast(p) {
	return p.evaluate(() => {
		const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
		const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
			.reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
		const bg = (el) => {
			for (; el; el = el.parentElement) {
				const c = rgb(getComputedStyle(el).backgroundColor);
				if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
			}
			return [255, 255, 255];
		};
		const out = [];
		for (const el of document.querySelectorAll("body *")) {
			if (!el.childNodes.length || ![...el.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim())) continue;
			const st = getComputedStyle(el);
			if (st.visibility === "hidden" || st.display === "none" || !el.getClientRects().length) continue;
			const a = lum(rgb(st.color).slice(0, 3)), b = lum(bg(el));
			const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
			if (ratio < 4.5) out.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 20)}" ${ratio.toFixed(2)}`);
		}
		return out;
	});
}

await test("text colours meet WCAG AA contrast (4.5:1) on their backgrounds, on every main page", async () => {
	for (const [path, ready] of [[new URL(reportUrl).pathname, "#correlations"], ["/", "#chart-top canvas"],
		[`/cases/${tpCase.id}`, "#case-timeline"], ["/account", "#totp"], ["/import", "#import-form"], ["/search?q=監管帳戶", "#search-reports"]]) {
		await page.goto(`${BASE}${path}`);
		await page.waitForSelector(ready);
		await page.click("details summary", { timeout: 1000 }).catch(() => {}); // open a folded table or form too
		const bad = await lowContrast(page);
		assert(!bad.length, `low contrast on ${path}: ${bad.slice(0, 8).join("; ")}`);
	}
}, { timeout: 120000 });

await test("keyboard: the case page's edit form, a chart's table and the TOTP set-up work without a mouse, with a visible focus", async () => {
	await page.goto(`${BASE}/cases/${tpCase.id}`);
	await page.waitForSelector("#case-edit-box");
	await page.focus("#case-edit-box summary");
	await page.keyboard.press("Enter");
	await page.waitForSelector("#case-title", { state: "visible" });
	await page.keyboard.press("Tab");
	eq(await page.evaluate(() => document.activeElement.id), "case-title", "Tab reaches the title");
	const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle + " " + getComputedStyle(document.activeElement).outlineWidth);
	assert(/solid 3px/.test(outline), `a visible focus outline (${outline})`);
	await page.goto(`${BASE}/`);
	await page.waitForSelector("#chart-crime");
	await page.focus("#chart-crime ~ details summary");
	await page.keyboard.press("Enter");
	await page.waitForSelector("#chart-crime ~ details table", { state: "visible" });
});

await test("at phone width the menu folds and nothing overflows sideways", async () => {
	const phone = await newPage({ width: 390, height: 844 });
	await signIn(phone, "prosecutor.tp");
	await phone.waitForSelector("main h1:has-text('儀表板')");
	assert(!(await phone.isVisible("#nav")), "navigation folded");
	await phone.click("#menu-toggle");
	await phone.waitForSelector("#nav a[href='/reports/new']", { state: "visible" });
	eq(await phone.getAttribute("#menu-toggle", "aria-expanded"), "true", "toggle state");
	await phone.click("#nav a[href='/reports/new']");
	await phone.waitForSelector("#report-form");
	const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert(overflow <= 1, `page wider than the screen by ${overflow}px`);
	await shot(phone, "phone-report-form");
	for (const [path, ready] of [["/", "#chart-top canvas"], [`/cases/${tpCase.id}`, "#case-timeline"], ["/import", "#import-form"]]) {
		await phone.goto(`${BASE}${path}`);
		await phone.waitForSelector(ready);
		const over = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		const wide = over <= 1 ? [] : await phone.evaluate(() => [...document.querySelectorAll("main *")]
			.filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest(".table-wrap"))
			.slice(0, 5).map((el) => `${el.tagName}#${el.id}.${el.className}`));
		assert(over <= 1, `${path} is wider than a phone by ${over}px: ${wide.join(" ")}`);
		if (path === "/") await shot(phone, "phone-dashboard");
	}
	await phone.context().close();
	current = page;
});

await test("sign out returns to the sign-in page and the session is gone", async () => {
	await page.goto(`${BASE}/`);
	await page.waitForSelector("#signout");
	await page.click("#signout");
	await page.waitForSelector("#signin-form");
	await page.waitForSelector("main .alert.ok:has-text('您已登出')");
	await page.goto(`${BASE}/cases`);
	await page.waitForSelector("#signin-form");
	const status = await page.evaluate(async () => (await fetch("/api/v1/session")).status);
	eq(status, 401, "session after sign-out");
});

await test("a prosecutor of another office (prosecutor.ks) cannot see the Taipei case", async () => {
	await signIn(page, "prosecutor.ks");
	await page.waitForSelector("main h1:has-text('儀表板')");
	await page.goto(`${BASE}/cases`);
	await page.waitForSelector("main h1:has-text('案件')");
	assert(!(await page.textContent("main")).includes(tpCase.number), "the case list leaves it out");
	await page.goto(`${BASE}/cases/${tpCase.id}`);
	await page.waitForSelector("#case-denied");
	assert(!(await page.textContent("main")).includes(tpCase.title), "no title of the case");
	const denied = await page.evaluate(async (id) => Promise.all([`/api/v1/cases/${id}/identifiers`, `/api/v1/cases/${id}/events`]
		.map(async (p) => (await fetch(p)).status)), tpCase.id);
	eq(denied.join(","), "404,404", "nor its identifiers or timeline through the API");
	await page.goto(`${BASE}/notifications`);
	await page.waitForSelector("main h1");
	assert((await page.textContent("main")).includes("調閱申請"), "the owner is told of the access request");
});

await test("the Kaohsiung owner grants the request, and then prosecutor.tp can read that case", async () => {
	await page.click("#nav a[href='/access-requests']");
	await page.waitForSelector("main h1:has-text('調閱申請')");
	await page.fill("[id^='access-note-']", "同意，請注意偵查不公開。");
	await shot(page, "access-requests");
	await page.click("button.grant");
	await page.waitForSelector(".badge.access-granted");
	await page.click("#signout");
	await page.waitForSelector("#signin-form");
	await signIn(page, "prosecutor.tp");
	await page.waitForSelector("main h1:has-text('儀表板')");
	await page.goto(`${BASE}/cases/${ksCase.id}`);
	await page.waitForSelector(`main h1:has-text('${ksCase.number}')`);
	assert((await page.textContent("main")).includes("prosecutor.tp"), "prosecutor.tp is now a member (viewer)");
	await page.click("#signout");
	await page.waitForSelector("#signin-form");
});

await test("the navigation of an administrator leaves out case work", async () => {
	await signIn(page, "admin");
	await page.waitForSelector("main h1");
	const nav = await page.$$eval("#nav a", (as) => as.map((a) => a.getAttribute("href")));
	assert(!nav.includes("/reports/new") && !nav.includes("/cases"), `admin nav: ${nav.join(" ")}`);
	await page.click("#signout");
	await page.waitForSelector("#signin-form");
});

await test("a new user must change the one-time password first; a short one is refused by its field", async () => {
	await signIn(page, "new.officer", process.env.NEWUSER_PASSWORD);
	await page.waitForSelector("#password-form");
	assert(!(await page.$("#nav")), "no navigation before the change");
	await page.fill("#current-password", process.env.NEWUSER_PASSWORD);
	await page.fill("#new-password", "short");
	await page.fill("#new-password-again", "short");
	await page.click("#password-form button[type=submit]");
	await page.waitForSelector("#new-password-error:not(:empty)");
	await shot(page, "password-change");
	const pw = "長長的一句話 correct horse 2026";
	await page.fill("#new-password", pw);
	await page.fill("#new-password-again", pw);
	await page.click("#password-form button[type=submit]");
	await page.waitForSelector("#nav");
	await page.waitForSelector("main .alert.ok:has-text('密碼已變更')");
});

await test("my account turns on two-step sign-in with a QR code drawn in the page, and sign-in then asks for the code", async () => {
	const qrcode = require("qrcode-generator");
	await page.goto(`${BASE}/account`);
	await page.waitForSelector("#totp-setup");
	await page.click("#totp-setup");
	await page.waitForSelector("#totp-qr svg path");
	await page.click("#totp-confirm-form details summary");
	const uri = (await page.textContent("#totp-uri")).trim();
	const secret = (await page.textContent("#totp-secret")).replace(/\s/g, "");
	eq(new URL(uri).searchParams.get("secret"), secret, "the key shown is the one in the QR code's URI");
	assert(uri.startsWith("otpauth://totp/"), `an otpauth URI (${uri.slice(0, 30)})`);
	// The QR code in the page encodes exactly that URI (drawn again here from it).
	const qr = qrcode(0, "M");
	qr.addData(uri);
	qr.make();
	let d = "";
	for (let r = 0; r < qr.getModuleCount(); r++) for (let c = 0; c < qr.getModuleCount(); c++) if (qr.isDark(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
	eq(await page.getAttribute("#totp-qr svg path", "d"), d, "the QR code's modules");
	await page.fill("#totp-code", "000000");
	await page.click("#totp-confirm-form button[type=submit]");
	await page.waitForSelector("#totp-code-error:not(:empty)");
	await shot(page, "totp-setup");
	const step = Math.floor(Date.now() / 30000);
	await page.fill("#totp-code", totp(secret, step));
	await page.click("#totp-confirm-form button[type=submit]");
	await page.waitForSelector("main .alert.ok:has-text('雙因素驗證已啟用')");
	await page.waitForSelector("#totp-disable-form", { state: "attached" });
	await page.click("#signout");
	await page.waitForSelector("#signin-form");
	await signIn(page, "new.officer", "長長的一句話 correct horse 2026");
	await page.waitForSelector("#totp", { state: "visible" });
	await page.fill("#totp", totp(secret, step + 1));
	await page.click("#signin-form button[type=submit]");
	await page.waitForSelector("main h1:has-text('儀表板')");
});

await test("bulk import shows progress and the outcome, and offers the rejected rows as CSV", async () => {
	await page.goto(`${BASE}/import`);
	await page.waitForSelector("#import-form");
	const csv = "source_ref,channel,crime_type,reported_at,loss_twd,phone:caller\n"
		+ "ui-test-1,165,investment_fraud,2026-03-01,120000,0987-654-321\n"
		+ "ui-test-2,165,investment_fraud,2026-03-02,5000,0912-345\n";
	await page.setInputFiles("#import-file", { name: "reports.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
	await page.click("#import-form button[type=submit]");
	await page.waitForSelector("#import-result dl");
	const text = await page.textContent("#import-result");
	assert(/已保存\s*1/.test(text) && /被拒絕\s*1/.test(text), `counts: ${text.slice(0, 200)}`);
	const [dl] = await Promise.all([page.waitForEvent("download"), page.click("#download-rejects")]);
	const body = readFileSync(await dl.path(), "utf8");
	assert(/^\ufeff?line,field,reason,raw/.test(body) && body.includes("ui-test-2"), `rejects CSV: ${body.slice(0, 200)}`);
	eq((await page.textContent("#import-result table code.raw")).trim(), "ui-test-2,165,investment_fraud,2026-03-02,5000,0912-345", "the rejected row as it is in the file");
});

await test("bulk import maps a file's own column names (as --map and --set), and a bad mapping is refused by its field", async () => {
	await page.goto(`${BASE}/import`);
	await page.waitForSelector("#import-form");
	const csv = "說明：某分局匯出\n編號,來電號碼,報案日期,件數\n"
		+ "ui-map-1,0987-222-333,2026-03-03,1\n"
		+ "ui-map-2,0987-22,2026-03-04,1\n";
	await page.setInputFiles("#import-file", { name: "分局.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
	await page.click("#import-mapping summary");
	await page.fill("#import-skip", "1");
	await page.fill("#import-map", "編號=source_ref\n來電號碼=nonsense_field\n件數=-");
	await page.selectOption("#import-crime", "impersonation");
	await page.selectOption("#import-channel", "police_station");
	await page.click("#import-form button[type=submit]");
	await page.waitForSelector("#import-map-error:not(:empty)");
	assert(!(await page.$("#import-result dl")), "nothing imported with a bad mapping");
	await page.fill("#import-map", "編號=source_ref\n來電號碼=phone:caller\n報案日期=reported_at\n件數=-");
	await page.click("#import-form button[type=submit]");
	await page.waitForSelector("#import-result dl");
	const text = await page.textContent("#import-result");
	assert(/已保存\s*1/.test(text) && /被拒絕\s*1/.test(text), `counts: ${text.slice(0, 200)}`);
	eq((await page.textContent("#import-result table code.raw")).trim(), "ui-map-2,0987-22,2026-03-04,1", "the rejected row as it is in the file");
	await shot(page, "import");
});

await test("an account with a second factor is asked for the one-time code, and signs in with it", async () => {
	// Turn TOTP on for investigator.cib through the API, as the account page of issue 2 does.
	const r = await fetch(`${BASE}/api/v1/session`, { method: "POST", headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ username: "investigator.cib", password: logins["investigator.cib"] }) });
	const cookie = (r.headers.get("set-cookie") || "").split(";")[0];
	const csrf = (await r.json()).csrf_token;
	const post = (path, body) => fetch(`${BASE}${path}`, { method: "POST", headers: { Cookie: cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json" }, body: JSON.stringify(body) });
	const { secret } = await (await post("/api/v1/session/totp", {})).json();
	const step = Math.floor(Date.now() / 30000);
	eq((await post("/api/v1/session/totp/confirm", { code: totp(secret, step) })).status, 200, "TOTP confirmed");
	await signIn(page, "investigator.cib");
	await page.waitForSelector("#totp", { state: "visible" });
	await page.waitForSelector("#totp-error:has-text('驗證碼')");
	// The next step's code: the server accepts one step of drift, and each code once.
	await page.fill("#totp", totp(secret, step + 1));
	await page.click("#signin-form button[type=submit]");
	await page.waitForSelector("main h1:has-text('儀表板')");
	await page.click("#signout");
	await page.waitForSelector("#signin-form");
});

await test("no Content-Security-Policy violation and no script error on any page", async () => {
	assert(!cspErrors.length, cspErrors.slice(0, 3).join("\n"));
	assert(!pageErrors.length, pageErrors.slice(0, 3).join("\n"));
});

await browser.close();
console.log(`1..${n}`);
console.log(`# ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
