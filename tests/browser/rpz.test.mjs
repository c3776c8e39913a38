// tests/browser/rpz.test.mjs - the domain-seizure pages (域名扣押) in a real
// browser: a prosecutor drafts an order (a bad domain refused beside it),
// files it and records the grant; a DNS operator enforces it (the zone's
// serial rises), lifts one domain with a reason (in the timeline), checks a
// resolver and keeps the passthru list; another district's prosecutor sees
// nothing of it; English; contrast, keyboard and phone width. Prints TAP.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BASE, repo, test, assert, eq, diag, launch, newPage, setCurrent, signIn, shot, apiAs, lowContrast, finish, cspErrors, pageErrors } from "./harness.mjs";

await launch();

// Set-up: the Taipei case the order is linked to (the center's view of the demo data).
const center = await apiAs("analyst");
const tpCase = (await center.get("/api/v1/cases")).items.find((c) => c.number.endsWith("1001號"));
diag(`Taipei case ${tpCase.number} (#${tpCase.id})`);
const zoneOf = async () => (await center.get("/api/v1/rpz/zones")).items[0];
const ordersOf = async () => (await center.get("/api/v1/orders")).items;

await test("the order states, actions and waiting notes have a label in both languages", async () => {
	const zh = JSON.parse(readFileSync(join(repo, "web/src/i18n/zh-TW.json"), "utf8"));
	const en = JSON.parse(readFileSync(join(repo, "web/src/i18n/en.json"), "utf8"));
	const keys = [...["draft", "filed", "granted", "enforced", "lifted", "expired"].map((s) => `order_state.${s}`),
		...["nxdomain", "nodata", "redirect"].map((a) => `order_action.${a}`),
		...["draft", "filed", "granted", "enforced"].map((s) => `order.waiting_${s}`)];
	const missing = keys.filter((k) => !(k in zh) || !(k in en));
	assert(!missing.length, `missing: ${missing.join(", ")}`);
});

let page = await newPage();
let orderId = null;

await test("a prosecutor sees seizure orders and zones in the menu, not the passthru list", async () => {
	await signIn(page, "prosecutor.tp");
	const nav = await page.$$eval("#nav a", (as) => as.map((a) => a.getAttribute("href")));
	assert(nav.includes("/orders") && nav.includes("/zones"), `nav: ${nav.join(" ")}`);
	assert(!nav.includes("/passthru"), "no passthru list for a prosecutor");
	await page.click("#nav a[href='/orders']");
	await page.waitForSelector("main h1:has-text('扣押命令')");
	await page.waitForSelector("#order-list .empty:has-text('尚無扣押命令')");
});

await test("a draft with a bad domain is refused, the reason shown beside that domain; without it the draft is saved", async () => {
	const before = (await ordersOf()).length;
	await page.click("#order-new");
	await page.waitForSelector("#order-form");
	await page.fill("#order-court", "臺灣臺北地方法院");
	await page.selectOption("#order-case", String(tpCase.id));
	await page.fill("#order-expires", "2026-12-31T23:59");
	await page.waitForSelector("#order-form .roc:has-text('民國115年12月31日')");
	await page.fill("#order-domains", "shop-fake-ui.com\nbitgin\n\n假投資.tw\nhxxps://www[.]invest-fake-ui.com/login");
	await page.click("#order-save");
	await page.waitForSelector("#domain-check li.bad");
	const bad = await page.$$eval("#domain-check li.bad", (lis) => lis.map((li) => [li.querySelector(".domain-raw").textContent, li.querySelector(".field-error").textContent]));
	eq(bad.length, 1, "one refused domain");
	eq(bad[0][0], "bitgin", "the refusal is beside bitgin");
	const zh = JSON.parse(readFileSync(join(repo, "web/src/i18n/zh-TW.json"), "utf8"));
	assert(bad[0][1].includes("第 2 行") && bad[0][1].includes(zh["reason.single_label"]), `its line and reason in Chinese: ${bad[0][1]}`);
	eq(await page.$$eval("#domain-check li.ok", (lis) => lis.length), 3, "the others are marked accepted");
	eq(await page.getAttribute("#order-domains", "aria-invalid"), "true", "the box is marked invalid");
	eq((await ordersOf()).length, before, "nothing is stored");
	await page.click("#domain-check li.bad button.remove-line");
	assert(!(await page.inputValue("#order-domains")).includes("bitgin"), "the line is taken out of the box");
	await page.click("#order-save");
	await page.waitForURL(/\/orders\/\d+$/);
	orderId = Number(new URL(page.url()).pathname.split("/").pop());
	await page.waitForSelector("main .alert.ok:has-text('草稿')");
	const domains = await page.$$eval("#order-domains tbody tr", (trs) => trs.map((tr) => tr.textContent));
	eq(domains.length, 3, "three domains on the order");
	assert(domains.some((d) => d.includes("假投資.tw") && d.includes("xn--")), `the IDN with its A-label: ${domains.join(" | ")}`);
	assert(domains.some((d) => d.includes("www.invest-fake-ui.com") && d.includes("hxxps://")), "the defanged URL's host, with what was typed");
	assert((await page.textContent("main dl.facts")).includes(tpCase.number), "the linked case");
	assert((await page.textContent("main dl.facts")).includes("民國115年12月31日"), "the expiry in an ROC date");
	await page.waitForSelector("#order-timeline li[data-action='create']");
	await page.waitForSelector("#order-timeline li[data-action='domains']:has-text('3')");
});

await test("the prosecutor files the draft after confirming, and cannot grant a draft", async () => {
	assert(!(await page.$("#grant-form")), "no grant form for a draft");
	await page.click("#order-file");
	await page.waitForSelector("#file-dialog[open]");
	await page.keyboard.press("Escape");
	await page.waitForSelector("#file-dialog", { state: "detached" });
	eq(await page.evaluate(() => document.activeElement.id), "order-file", "cancelling returns the focus to the button");
	await page.waitForSelector("main .page-head .badge:has-text('草稿')");
	await page.click("#order-file");
	await page.click("#file-dialog button[type=submit]");
	await page.waitForSelector("main .page-head .badge:has-text('已聲請')");
	await page.waitForSelector("#order-timeline li[data-action='file']");
});

await test("a prosecutor records the grant with an ROC ruling date", async () => {
	await page.waitForSelector("#grant-form");
	await page.click("#grant-form button[type=submit]");
	await page.waitForSelector("#grant-number-error:not(:empty)");
	await page.fill("#grant-number", "115年度聲扣字第12號");
	await page.fill("#grant-date", "115/11/2x");
	await page.click("#grant-form button[type=submit]");
	await page.waitForSelector("#grant-date-error:not(:empty)");
	await page.fill("#grant-date", "115/11/22");
	await page.waitForSelector("#grant-form .roc:has-text('民國115年11月22日')");
	await page.click("#grant-form button[type=submit]");
	await page.waitForSelector("main .page-head .badge:has-text('已核准')");
	await page.waitForSelector("main h1:has-text('115年度聲扣字第12號')");
	assert((await page.textContent("main dl.facts")).includes("民國115年11月22日"), "the ruling date in ROC");
	await page.waitForSelector("#order-timeline li[data-action='grant']:has-text('115年度聲扣字第12號 民國115年11月22日')");
	assert(!(await page.$("#order-enforce")), "a prosecutor does not enforce");
	await page.waitForSelector("#order-steps:has-text('DNS 操作人員')");
});

let serialBefore = 0;
let recordsBefore = 0;
await test("a DNS operator enforces the order after confirming, and the zone's serial rises on the zones page", async () => {
	await signIn(page, "dns.twnic");
	await page.goto(`${BASE}/zones`);
	await page.waitForSelector("section.zone");
	serialBefore = Number(await page.getAttribute("section.zone", "data-serial"));
	recordsBefore = Number((await page.textContent("section.zone .zone-records")).replace(/\D/g, ""));
	eq(serialBefore, (await zoneOf()).serial, "the page shows the zone's serial");
	await page.click("#nav a[href='/orders']");
	await page.waitForSelector(`#order-list a.order-link[data-id='${orderId}']`);
	await page.selectOption("#f-order-state", "granted");
	await page.waitForSelector(`#order-list a.order-link[data-id='${orderId}']`);
	const row = await page.textContent(`#order-list tr:has(a.order-link[data-id='${orderId}'])`);
	assert(row.includes("115年度聲扣字第12號") && row.includes("臺灣臺北地方法院") && row.includes("民國115年12月31日"), `the row: ${row}`);
	assert(!row.includes(tpCase.number) && row.includes("無權閱覽"), "a DNS operator is not told the linked case's number");
	await shot(page, "orders");
	await page.click(`#order-list a.order-link[data-id='${orderId}']`);
	await page.waitForSelector("#order-enforce");
	await page.click("#order-enforce");
	await page.waitForSelector("#enforce-dialog[open]:has-text('3')");
	await page.click("#enforce-dialog button[type=submit]");
	await page.waitForSelector("main .page-head .badge:has-text('執行中')");
	await page.waitForSelector("#order-timeline li[data-action='enforce']");
	await page.goto(`${BASE}/zones`);
	await page.waitForSelector("section.zone");
	const serial = Number(await page.getAttribute("section.zone", "data-serial"));
	eq(serial, serialBefore + 1, "one new serial for the enforcement");
	const records = Number((await page.textContent("section.zone .zone-records")).replace(/\D/g, ""));
	eq(records, recordsBefore + 6, "three domains and their subdomains");
	await page.waitForSelector("section.zone canvas");
	await page.click("section.zone details.data-table summary");
	const first = await page.$$eval("section.zone details.data-table tbody tr:first-child td", (tds) => tds.map((td) => td.textContent.trim()));
	eq(first[0], String(serial), "the history's newest row is the new serial");
	eq(first[2], "6", "with its six records added");
	eq(first[4], String(records), "and the records after it");
});

await test("a verification of a resolver is run from the zones page and stored with the order", async () => {
	// Nothing answers on this port: every name times out, so nothing is blocked.
	await page.fill("[id^='verify-resolver-']", "127.0.0.1:9");
	await page.fill("[id^='verify-sample-']", "1");
	await page.click(".verify-form button[type=submit]");
	await page.waitForSelector("main .alert:has-text('127.0.0.1:9')", { timeout: 30000 });
	const row = await page.textContent("section.zone .zone-verifications tbody tr:first-child");
	assert(row.includes("127.0.0.1:9") && row.includes("dns.twnic"), `the stored check: ${row}`);
	assert(/民國1\d\d年\d{1,2}月\d{1,2}日 \d\d:\d\d/.test(row), `the time of the check in ROC: ${row}`);
	await shot(page, "zones");
	await page.goto(`${BASE}/orders/${orderId}`);
	await page.waitForSelector("#order-verifications tbody tr");
	assert((await page.textContent("#order-verifications")).includes("127.0.0.1:9"), "the check is listed with the order");
}, { timeout: 60000 });

await test("the DNS operator lifts one domain with a reason, and it is in the timeline", async () => {
	await page.goto(`${BASE}/orders/${orderId}`);
	await page.waitForSelector("button.lift-domain");
	const serial = (await zoneOf()).serial;
	await page.click("#order-domains tr:has-text('www.invest-fake-ui.com') button.lift-domain");
	await page.waitForSelector("#lift-domain-dialog[open]");
	await page.click("#lift-domain-dialog button[type=submit]");
	await page.waitForSelector("#lift-domain-dialog-reason-error:has-text('理由')");
	await page.fill("#lift-domain-dialog-reason", "誤列：為合法投資平台");
	await page.click("#lift-domain-dialog button[type=submit]");
	await page.waitForSelector("#order-timeline li[data-action='lift_domain']:has-text('www.invest-fake-ui.com')");
	assert((await page.textContent("#order-timeline li[data-action='lift_domain']")).includes("誤列：為合法投資平台"), "with its reason");
	assert((await page.textContent("#order-domains tr:has-text('www.invest-fake-ui.com')")).includes("已撤銷"), "the domain is marked lifted");
	eq(await page.$$eval("#order-domains button.lift-domain", (bs) => bs.length), 2, "the others can still be lifted");
	eq((await zoneOf()).serial, serial + 1, "the lift is published under a new serial");
	await shot(page, "order");
});

await test("the DNS operator adds a passthru entry and removes it after confirming", async () => {
	await page.click("#nav a[href='/passthru']");
	await page.waitForSelector("#passthru-form");
	await page.fill("#passthru-domain", "bitgin");
	await page.fill("#passthru-reason", "測試");
	await page.click("#passthru-form button[type=submit]");
	await page.waitForSelector("#passthru-domain-error:not(:empty)");
	await page.fill("#passthru-domain", "www.gov.tw");
	await page.fill("#passthru-reason", "政府網站");
	await page.click("#passthru-form button[type=submit]");
	await page.waitForSelector("#passthru-list code.passthru-domain:has-text('www.gov.tw')");
	await page.click("button.remove-passthru[data-domain='www.gov.tw']");
	await page.waitForSelector("#passthru-dialog[open]");
	await page.click("#passthru-dialog button[type=submit]");
	await page.waitForSelector("main .alert.ok:has-text('移出')");
	assert(!(await page.$("button.remove-passthru[data-domain='www.gov.tw']")), "the entry is gone");
});

await test("the order pages and the zones page switch to English (ISO dates) and back", async () => {
	await page.goto(`${BASE}/orders/${orderId}`);
	await page.waitForSelector("#order-timeline");
	await page.click("#lang");
	await page.waitForSelector(`main h1:has-text('Seizure order #${orderId}')`);
	const text = await page.textContent("main");
	assert(/enforced/.test(await page.textContent("main .page-head .badge")), "the state in English");
	assert(text.includes("2026-11-22") && !/民國/.test(text), "the ruling date as ISO, no ROC years");
	assert(text.includes("domain www.invest-fake-ui.com lifted"), "the timeline in English");
	await page.click("#nav a[href='/orders']");
	await page.waitForSelector("main h1:has-text('Seizure orders')");
	await page.selectOption("#f-order-state", "expired");
	await page.waitForSelector("#order-list .empty:has-text('No orders in the state')");
	await page.click("#nav a[href='/zones']");
	await page.waitForSelector("section.zone dt:has-text('Serial')");
	await page.click("#lang");
	await page.waitForSelector("section.zone dt:has-text('序號')");
});

await test("a prosecutor of another district cannot see the order: not listed, a not-found page, no data", async () => {
	await signIn(page, "prosecutor.ks");
	await page.goto(`${BASE}/orders`);
	await page.waitForSelector("main h1:has-text('扣押命令')");
	assert(!(await page.$(`a.order-link[data-id='${orderId}']`)), "not in the list");
	await page.goto(`${BASE}/orders/${orderId}`);
	await page.waitForSelector("#order-denied:has-text('沒有這個扣押命令')");
	const text = await page.textContent("main");
	assert(!text.includes("shop-fake-ui.com") && !text.includes("115年度聲扣字第12號") && !text.includes("臺灣臺北地方法院"), "no domain, ruling or court");
	eq(await page.evaluate(async (id) => (await fetch(`/api/v1/orders/${id}`)).status, orderId), 404, "the API answers 404");
});

await test("text meets WCAG AA contrast on the orders, order, new-order, zones and passthru pages", async () => {
	await signIn(page, "dns.twnic");
	for (const [path, ready] of [["/orders", "#order-list table"], [`/orders/${orderId}`, "#order-timeline"], ["/zones", "section.zone canvas"], ["/passthru", "#passthru-form"]]) {
		await page.goto(`${BASE}${path}`);
		await page.waitForSelector(ready);
		const bad = await lowContrast(page);
		assert(!bad.length, `low contrast on ${path}: ${bad.slice(0, 8).join("; ")}`);
	}
	await signIn(page, "prosecutor.tp");
	await page.goto(`${BASE}/orders/new`);
	await page.waitForSelector("#order-form");
	await page.fill("#order-domains", "bitgin");
	await page.click("#order-save");
	await page.waitForSelector("#domain-check li.bad");
	const bad = await lowContrast(page);
	assert(!bad.length, `low contrast on the refused draft: ${bad.slice(0, 8).join("; ")}`);
}, { timeout: 90000 });

await test("keyboard: a new draft is typed and saved without a mouse", async () => {
	await page.goto(`${BASE}/orders/new`);
	await page.waitForSelector("#order-form");
	await page.waitForFunction(() => document.activeElement && document.activeElement.id === "order-court");
	await page.keyboard.type("臺灣高雄地方法院");
	await page.focus("#order-domains");
	await page.keyboard.type("keyboard-only-ui.com");
	await page.keyboard.press("Tab"); // past the note to the save button
	await page.keyboard.press("Tab");
	eq(await page.evaluate(() => document.activeElement.id), "order-save", "Tab reaches the save button");
	const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
	eq(outline, "solid", "with a visible focus ring");
	await page.keyboard.press("Enter");
	await page.waitForURL(/\/orders\/\d+$/);
	await page.waitForSelector("#order-domains:has-text('keyboard-only-ui.com')");
});

await test("at phone width the seizure pages fit the screen", async () => {
	const phone = await newPage({ width: 390, height: 844 });
	await signIn(phone, "dns.twnic");
	for (const [path, ready] of [["/orders", "#order-list table"], [`/orders/${orderId}`, "#order-timeline"], ["/zones", "section.zone"], ["/passthru", "#passthru-form"]]) {
		await phone.goto(`${BASE}${path}`);
		await phone.waitForSelector(ready);
		const over = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		const wide = over <= 1 ? [] : await phone.evaluate(() => [...document.querySelectorAll("main *")]
			.filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest(".table-wrap"))
			.slice(0, 5).map((el) => `${el.tagName}#${el.id}.${el.className}`));
		assert(over <= 1, `${path} is wider than a phone by ${over}px: ${wide.join(" ")}`);
	}
	await phone.context().close();
	setCurrent(page);
});

await test("no Content-Security-Policy violation and no script error on the seizure pages", async () => {
	assert(!cspErrors.length, cspErrors.slice(0, 3).join("\n"));
	assert(!pageErrors.length, pageErrors.slice(0, 3).join("\n"));
});

await finish();
