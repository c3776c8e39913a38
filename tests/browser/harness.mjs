// tests/browser/harness.mjs - what a browser test file needs: a TAP harness
// bounded in time, Debian's chromium through playwright-core, sign-in,
// screenshots, direct API calls and a WCAG contrast check. The same helpers
// as at the top of ui.test.mjs, for test files run after it by run.sh.
import { createRequire } from "node:module";
import { readFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, "..", "..");
const require = createRequire(join(repo, "web", "package.json"));
const { chromium } = require("playwright-core");

export const BASE = process.env.BASE;
export const OUT = process.env.OUT || "/tmp";
export const SHOTS = process.env.SHOTS || join(OUT, "screenshots");
mkdirSync(SHOTS, { recursive: true });
export const logins = Object.fromEntries(readFileSync(process.env.LOGINS, "utf8").split("\n")
	.map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 2 && /^[a-z][a-z0-9._-]+$/.test(f[0]) && /^[A-Za-z0-9-]{10,}$/.test(f[1])));

// ---- TAP ------------------------------------------------------------------
let n = 0;
let failed = 0;
let current = null;
export const cspErrors = [];
export const pageErrors = [];
export function diag(text) {
	for (const line of String(text).split("\n").slice(0, 15)) console.log(`# ${line}`);
}
export async function test(name, fn, { timeout = 45000 } = {}) {
	n++;
	let timer;
	try {
		await Promise.race([fn(), new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${timeout} ms`)), timeout); })]);
		console.log(`ok ${n} - ${name}`);
	} catch (err) {
		failed++;
		console.log(`not ok ${n} - ${name}`);
		diag(err && err.stack ? err.stack : err);
		if (current) await current.screenshot({ path: join(OUT, `failed-${process.env.TEST_FILE || "t"}-${n}.png`), fullPage: true }).catch(() => {});
	} finally {
		clearTimeout(timer);
	}
}
export function assert(cond, message) {
	if (!cond) throw new Error(`assertion failed: ${message}`);
}
export function eq(got, want, message) {
	if (got !== want) throw new Error(`${message}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

// ---- the browser ----------------------------------------------------------
let browser = null;
export async function launch() {
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		headless: true,
		timeout: 60000,
		args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
			"--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage", "--lang=zh-TW"],
	});
	return browser;
}
export async function newPage({ width = 1366, height = 768 } = {}) {
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
export function setCurrent(page) {
	current = page;
}
export async function signIn(page, user, password = logins[user]) {
	await page.goto(`${BASE}/`);
	await page.waitForSelector("#signin-form, #signout");
	if (await page.$("#signout")) {
		await page.click("#signout");
		await page.waitForSelector("#signin-form");
	}
	await page.fill("#username", user);
	await page.fill("#password", password);
	await page.click("#signin-form button[type=submit]");
	await page.waitForSelector("#signout");
}
// The whole page down to at most 2000 px, so the README shows what matters.
export async function shot(page, name) {
	const vp = page.viewportSize();
	const height = await page.evaluate(() => document.documentElement.scrollHeight);
	await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true,
		clip: { x: 0, y: 0, width: vp.width, height: Math.min(Math.max(height, vp.height), 2000) } });
}
// A signed-in API client for set-up and for checking what the server holds.
export async function apiAs(user) {
	const r = await fetch(`${BASE}/api/v1/session`, { method: "POST", headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ username: user, password: logins[user] }) });
	const cookie = (r.headers.get("set-cookie") || "").split(";")[0];
	const csrf = (await r.json()).csrf_token;
	const call = async (method, path, body) => {
		const res = await fetch(`${BASE}${path}`, { method, headers: { Cookie: cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json" },
			body: body === undefined ? undefined : JSON.stringify(body) });
		return { status: res.status, body: await res.json().catch(() => null) };
	};
	return { get: async (path) => (await call("GET", path)).body, call };
}

// Text whose colour has under 4.5:1 contrast with its background, on the page shown.
export async function lowContrast(p) {
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

export async function finish() {
	if (browser) await browser.close();
	console.log(`1..${n}`);
	console.log(`# ${n - failed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}
