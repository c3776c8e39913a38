// main.js - the rootcut web UI: sign-in (with a one-time code when the account
// has one), the forced first password change, the shell (navigation built from
// GET /api/v1/policy, search, language switch, sign-out) and the routes.
import "./style.css";
import { h, clear } from "./lib/dom.js";
import { t, getLang, setLang } from "./lib/i18n.js";
import { api, setCsrf, onSessionExpired } from "./lib/api.js";
import { app, can, navigate, renderRoute, setRoutes, agencyName } from "./lib/app.js";
import { field, setFieldError, clearFieldErrors, errorBox } from "./lib/ui.js";
import { errorText } from "./lib/errors.js";
import { dashboardPage } from "./pages/dashboard.js";
import { reportNewPage } from "./pages/report-new.js";
import { reportPage, reportListPage } from "./pages/report.js";
import { identifierPage, identifierSearchPage } from "./pages/identifier.js";
import { caseListPage, casePage } from "./pages/cases.js";
import { searchPage } from "./pages/search.js";
import { importPage } from "./pages/import.js";
import { accountPage, passwordForm } from "./pages/account.js";
import { notificationsPage, refreshUnread } from "./pages/notifications.js";
import { accessPage } from "./pages/access.js";
import { orderListPage, orderNewPage, orderPage } from "./pages/orders.js";
import { zonesPage } from "./pages/zones.js";
import { passthruPage } from "./pages/passthru.js";

setRoutes([
	[/^\/$/, dashboardPage],
	[/^\/reports\/new$/, reportNewPage],
	[/^\/reports$/, reportListPage],
	[/^\/reports\/(\d+)$/, reportPage],
	[/^\/identifiers$/, identifierSearchPage],
	[/^\/identifiers\/(\d+)$/, identifierPage],
	[/^\/identifier$/, identifierPage],
	[/^\/cases$/, caseListPage],
	[/^\/cases\/(\d+)$/, casePage],
	[/^\/search$/, searchPage],
	[/^\/import$/, importPage],
	[/^\/account$/, accountPage],
	[/^\/notifications$/, notificationsPage],
	[/^\/access-requests$/, accessPage],
	[/^\/orders$/, orderListPage],
	[/^\/orders\/new$/, orderNewPage],
	[/^\/orders\/(\d+)$/, orderPage],
	[/^\/zones$/, zonesPage],
	[/^\/passthru$/, passthruPage],
], markNav);

const root = () => document.getElementById("app");

// The navigation: only what the signed-in role may use (GET /api/v1/policy).
function navItems() {
	return [
		["/", "nav.dashboard", true],
		["/reports/new", "nav.report_new", can("POST", "/api/v1/reports")],
		["/reports", "nav.reports", can("GET", "/api/v1/reports")],
		["/cases", "nav.cases", can("GET", "/api/v1/cases")],
		["/identifiers", "nav.identifiers", can("GET", "/api/v1/identifiers")],
		["/import", "nav.import", can("POST", "/api/v1/import")],
		["/access-requests", "nav.access", can("GET", "/api/v1/access-requests")],
		["/orders", "nav.orders", can("GET", "/api/v1/orders")],
		["/zones", "nav.zones", can("GET", "/api/v1/rpz/zones")],
		["/passthru", "nav.passthru", can("POST", "/api/v1/rpz/passthru")],
		["/notifications", "nav.notifications", can("GET", "/api/v1/notifications")],
	].filter((x) => x[2]);
}

function markNav(url) {
	const path = url.pathname;
	document.querySelectorAll("#nav a").forEach((a) => {
		const href = a.getAttribute("href");
		const active = href === "/" ? path === "/" : path === href || (path.startsWith(`${href}/`) && !(href === "/reports" && path === "/reports/new"));
		if (active) a.setAttribute("aria-current", "page");
		else a.removeAttribute("aria-current");
	});
	const nav = document.getElementById("nav");
	const toggle = document.getElementById("menu-toggle");
	if (nav && toggle) { nav.classList.remove("open"); toggle.setAttribute("aria-expanded", "false"); }
}

function langButton() {
	return h("button", {
		type: "button", id: "lang", class: "lang", lang: getLang() === "en" ? "zh-Hant-TW" : "en",
		onclick: async () => {
			setLang(getLang() === "en" ? "zh-TW" : "en");
			if (app.session && !app.session.user.must_change_password) {
				renderShell();
				await renderRoute();
			} else if (app.session) showForcedChange();
			else showSignIn();
			document.getElementById("lang")?.focus();
		},
	}, t("common.switch_language"));
}

function brand() {
	return h("a", { class: "brand", href: "/" }, h("span", { class: "brand-mark" }, "rootcut"),
		h("span", { class: "brand-name" }, t("app.title")));
}

function footer() {
	return h("footer", { class: "site" },
		h("a", { href: "/api/v1/openapi.json" }, t("app.api_docs")), " · ",
		h("span", { id: "version" }, app.version ? `rootcut ${app.version}` : ""));
}

function skipLink() {
	return h("a", { class: "skip", href: "#main" }, t("app.skip"));
}

function renderShell() {
	const s = app.session;
	const showSearch = can("GET", "/api/v1/identifiers") || can("GET", "/api/v1/cases");
	const q = h("input", { id: "q", type: "search", name: "q", autocomplete: "off", placeholder: t("search.placeholder") });
	const nav = h("nav", { id: "nav", "aria-label": t("nav.label") },
		h("ul", null, navItems().map(([href, key]) => h("li", null, h("a", { href }, t(key),
			href === "/notifications" ? h("span", { class: "count", id: "unread", hidden: true }) : null)))));
	const toggle = h("button", {
		type: "button", id: "menu-toggle", class: "menu-toggle", "aria-controls": "nav", "aria-expanded": "false",
		onclick: () => {
			const open = !nav.classList.contains("open");
			nav.classList.toggle("open", open);
			toggle.setAttribute("aria-expanded", String(open));
		},
	}, t("nav.menu"));
	const name = s.user.display_name || s.user.username;
	clear(root(),
		skipLink(),
		h("header", { class: "topbar" },
			h("div", { class: "bar" }, brand(), toggle,
				showSearch ? h("form", {
					class: "search", role: "search",
					onsubmit: (ev) => {
						ev.preventDefault();
						const v = q.value.trim();
						if (v) navigate(`/search?q=${encodeURIComponent(v)}`);
					},
				}, h("label", { class: "sr-only", for: "q" }, t("search.label")), q,
				h("button", { type: "submit" }, t("search.button"))) : null,
				h("div", { class: "who" },
					h("span", { class: "who-name" }, name, s.agency ? h("span", { class: "who-agency" }, ` · ${agencyName(s.agency)}`) : null),
					h("a", { href: "/account", id: "account-link" }, t("nav.account")),
					h("button", { type: "button", id: "signout", onclick: signOut }, t("nav.sign_out")),
					langButton())),
			nav),
		h("main", { id: "main", tabindex: "-1" }),
		footer());
	if (can("GET", "/api/v1/notifications")) refreshUnread();
}

function bareFrame(...content) {
	clear(root(), skipLink(),
		h("header", { class: "topbar" }, h("div", { class: "bar" }, brand(), h("div", { class: "who" }, langButton()))),
		h("main", { id: "main", tabindex: "-1", class: "narrow" }, content),
		footer());
}

async function signOut() {
	try { await api("DELETE", "/api/v1/session", undefined, { quiet401: true }); } catch (e) { /* already signed out */ }
	app.session = null;
	app.policy = [];
	app.agencies = null;
	setCsrf(null);
	history.replaceState(null, "", "/");
	showSignIn({ message: t("signin.signed_out") });
}

function showSignIn({ message = "", error = "" } = {}) {
	const user = h("input", { name: "username", autocomplete: "username", autocapitalize: "none", spellcheck: "false" });
	const pass = h("input", { name: "password", type: "password", autocomplete: "current-password" });
	const totp = h("input", { name: "totp", inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]{6}", maxlength: "6" });
	const totpRow = field({ id: "totp", label: t("signin.totp"), input: totp, hint: t("signin.totp_hint") });
	totpRow.hidden = true;
	const status = h("div", { class: "form-status", role: "alert" }, error ? h("p", { class: "alert error" }, error) : null);
	const submit = h("button", { type: "submit", class: "primary" }, t("signin.submit"));
	const form = h("form", { id: "signin-form", novalidate: true, onsubmit: async (ev) => {
		ev.preventDefault();
		clearFieldErrors(form);
		status.replaceChildren();
		let bad = false;
		if (!user.value.trim()) { setFieldError(user, t("error.required")); bad = true; }
		if (!pass.value) { setFieldError(pass, t("error.required")); bad = true; }
		if (!totpRow.hidden && !/^[0-9]{6}$/.test(totp.value.trim())) { setFieldError(totp, t("error.unauthorized.totp")); bad = true; }
		if (bad) { form.querySelector("[aria-invalid]").focus(); return; }
		const body = { username: user.value.trim(), password: pass.value };
		if (!totpRow.hidden) body.totp = totp.value.trim();
		submit.disabled = true;
		try {
			const s = await api("POST", "/api/v1/session", body, { quiet401: true });
			await signedIn(s);
		} catch (err) {
			submit.disabled = false;
			if (err.field === "totp") {
				const first = totpRow.hidden;
				totpRow.hidden = false;
				setFieldError(totp, first ? t("signin.totp_needed") : errorText(err));
				totp.focus();
			} else if (err.field === "password" || err.field === "username") {
				setFieldError(pass, errorText(err));
				pass.value = "";
				pass.focus();
			} else {
				status.replaceChildren(errorBox(err));
			}
		}
	} },
	field({ id: "username", label: t("signin.username"), input: user }),
	field({ id: "password", label: t("signin.password"), input: pass }),
	totpRow, status, submit);
	document.title = `${t("signin.title")} · rootcut`;
	bareFrame(h("section", { class: "card signin" },
		h("h1", { tabindex: "-1" }, t("signin.title")),
		h("p", { class: "lead" }, t("signin.lead")),
		message ? h("p", { class: "alert ok", role: "status" }, message) : null,
		form));
	user.focus();
}

function showForcedChange() {
	const s = app.session;
	document.title = `${t("account.change_password")} · rootcut`;
	bareFrame(h("section", { class: "card signin" },
		h("h1", { tabindex: "-1" }, t("account.change_password")),
		h("p", { class: "lead" }, t("account.must_change", { name: s.user.display_name || s.user.username })),
		passwordForm(async () => {
			const fresh = await api("GET", "/api/v1/session");
			app.flash = { text: t("account.changed"), kind: "ok" };
			await signedIn(fresh);
		}),
		h("p", null, h("button", { type: "button", class: "link", onclick: signOut }, t("nav.sign_out")))));
	document.querySelector("main input")?.focus();
}

async function signedIn(s, { focus = true } = {}) {
	app.session = s;
	setCsrf(s.csrf_token);
	if (s.user.must_change_password) return showForcedChange();
	const p = await api("GET", "/api/v1/policy");
	app.policy = p.endpoints || [];
	renderShell();
	await renderRoute({ focus });
}

onSessionExpired(() => {
	if (!app.session) return;
	app.session = null;
	app.policy = [];
	setCsrf(null);
	showSignIn({ error: t("signin.expired") });
});

// Same-origin links move inside the app; /api/ links and downloads are left alone.
document.addEventListener("click", (ev) => {
	if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
	const a = ev.target.closest("a[href]");
	if (!a || a.target || a.hasAttribute("download")) return;
	const href = a.getAttribute("href");
	if (!href.startsWith("/") || href.startsWith("//") || href.startsWith("/api/")) return;
	if (!app.session || app.session.user.must_change_password) return;
	ev.preventDefault();
	navigate(href);
});

window.addEventListener("popstate", () => {
	if (app.session && !app.session.user.must_change_password) renderRoute({ focus: true });
});

(async () => {
	fetch("/api/v1/health").then((r) => r.json()).then((hl) => {
		app.version = hl.version;
		const v = document.getElementById("version");
		if (v) v.textContent = `rootcut ${hl.version}`;
	}).catch(() => {});
	try {
		const s = await api("GET", "/api/v1/session", undefined, { quiet401: true });
		await signedIn(s, { focus: false });
	} catch (err) {
		if (err.status === 401) showSignIn();
		else bareFrame(h("h1", null, t("error.title")), errorBox(err));
	}
})();
