// app.js - what every page shares: the signed-in session, the policy (what the
// role may use), the agency directory, and the router (History API; the server
// answers unknown paths without a dot with index.html).
import { h, clear } from "./dom.js";
import { t, getLang } from "./i18n.js";
import { api } from "./api.js";
import { errorBox, loading } from "./ui.js";

export const app = { session: null, policy: [], agencies: null, flash: null };

export function can(method, path) {
	return app.policy.some((e) => e.method === method && e.path === path);
}

export function reachOf(method, path) {
	const e = app.policy.find((x) => x.method === method && x.path === path);
	return e ? e.reach : null;
}

export async function agencies() {
	if (!app.agencies) {
		const r = await api("GET", "/api/v1/agencies");
		app.agencies = new Map((r.items || []).map((a) => [a.id, a]));
	}
	return app.agencies;
}

export function agencyName(a) {
	if (!a) return "";
	return getLang() === "en" ? a.name_en || a.name : a.name;
}

// A message shown once on the next page (after a redirect).
export function flash(text, kind = "ok") {
	app.flash = { text, kind };
}

let routes = [];
let seq = 0;
let afterRender = null;

export function setRoutes(r, after) {
	routes = r;
	afterRender = after;
}

export function navigate(path, { replace = false } = {}) {
	if (replace) history.replaceState(null, "", path);
	else history.pushState(null, "", path);
	return renderRoute({ focus: true });
}

// Render the page of the current URL into #main. A page is an async function
// (view, { params, query }) that fills view and may return a function to run
// once the view is in the document (charts need their size).
export async function renderRoute({ focus = false } = {}) {
	const main = document.getElementById("main");
	if (!main) return;
	const url = new URL(location.href);
	let page = null;
	let params = [];
	for (const [re, fn] of routes) {
		const m = re.exec(url.pathname);
		if (m) { page = fn; params = m.slice(1).map(decodeURIComponent); break; }
	}
	const mine = ++seq;
	const view = h("div", { class: "page" });
	clear(main, loading());
	main.setAttribute("aria-busy", "true");
	let mounted = null;
	try {
		if (!page) throw Object.assign(new Error("no page"), { status: 404, code: "page_not_found" });
		mounted = await page(view, { params, query: url.searchParams, current: () => mine === seq });
	} catch (err) {
		if (mine !== seq) return;
		view.replaceChildren(h("h1", { tabindex: "-1" }, t("error.title")), errorBox(err));
	}
	if (mine !== seq) return;
	main.removeAttribute("aria-busy");
	if (app.flash) {
		const f = app.flash;
		app.flash = null;
		view.prepend(h("div", { class: `alert ${f.kind}`, role: "status" }, f.text));
	}
	clear(main, view);
	if (afterRender) afterRender(url);
	if (typeof mounted === "function") {
		try { await mounted(); } catch (err) { console.error(err); }
	}
	if (focus) {
		const h1 = main.querySelector("h1");
		if (h1) { h1.tabIndex = -1; h1.focus(); }
		window.scrollTo(0, 0);
	}
}
