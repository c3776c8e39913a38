/*
 * web/public/app.js - the sign-in page of rootcut: sign in (with a one-time
 * code when the account has one), the required first password change, who
 * am I and what may I use, sign out. Strings come from /i18n/<lang>.json;
 * Traditional Chinese first. The full UI replaces this page (issue 4).
 */
"use strict";

const state = { lang: localStorage.getItem("lang") || "zh-TW", strings: {}, csrf: null };
const $ = (id) => document.getElementById(id);

async function loadStrings() {
	const res = await fetch(`/i18n/${state.lang}.json`);
	state.strings = await res.json();
	document.documentElement.lang = state.lang === "en" ? "en" : "zh-Hant-TW";
	document.querySelectorAll("[data-i18n]").forEach((el) => {
		const s = state.strings[el.dataset.i18n];
		if (s) el.textContent = s;
	});
	document.title = `rootcut ${t("title")}`;
}

function t(key) {
	return state.strings[key] || key;
}

async function api(method, path, body) {
	const headers = { "Content-Type": "application/json" };
	if (state.csrf) headers["X-CSRF-Token"] = state.csrf;
	const res = await fetch(path, { method, headers, credentials: "same-origin",
		body: body ? JSON.stringify(body) : undefined });
	const data = res.status === 204 ? null : await res.json().catch(() => null);
	if (!res.ok) throw Object.assign(new Error("api"), { status: res.status, body: data });
	return data;
}

function errorText(err) {
	const e = err && err.body && err.body.error;
	if (!e) return t("error.network");
	if (e.code === "unauthorized" && e.field === "totp") return t("error.unauthorized.totp");
	if (e.code === "invalid") return `${t("error.invalid")}${e.field}: ${e.message}`;
	return state.strings[`error.${e.code}`] || e.message;
}

function show(id) {
	for (const s of ["signin", "change", "home"]) $(s).hidden = s !== id;
	const first = $(id).querySelector("input, button");
	if (first) first.focus();
}

async function refresh() {
	try {
		const s = await api("GET", "/api/v1/session");
		state.csrf = s.csrf_token;
		$("change-totp-row").hidden = !s.user.totp_enabled;
		if (s.user.must_change_password) return show("change");
		$("who").textContent = `${s.user.display_name || s.user.username} (${s.user.username})`;
		$("agency").textContent = s.agency ? `${s.agency.name} ${s.agency.name_en}` : "";
		$("roles").textContent = s.user.roles.map((r) => t(`role.${r}`)).join("、");
		const policy = await api("GET", "/api/v1/policy");
		$("allowed").replaceChildren(...policy.endpoints.map((e) => {
			const li = document.createElement("li");
			li.textContent = `${e.method} ${e.path} (${e.reach})`;
			return li;
		}));
		show("home");
	} catch (err) {
		state.csrf = null;
		show("signin");
	}
}

$("signin-form").addEventListener("submit", async (ev) => {
	ev.preventDefault();
	const body = { username: $("username").value.trim(), password: $("password").value };
	if (!$("totp-row").hidden) body.totp = $("totp").value.trim();
	try {
		const s = await api("POST", "/api/v1/session", body);
		state.csrf = s.csrf_token;
		$("signin-error").textContent = "";
		$("password").value = "";
		$("totp").value = "";
		await refresh();
	} catch (err) {
		const e = err.body && err.body.error;
		if (e && e.field === "totp") $("totp-row").hidden = false;
		$("signin-error").textContent = errorText(err);
	}
});

$("change-form").addEventListener("submit", async (ev) => {
	ev.preventDefault();
	try {
		const body = { current_password: $("current").value, new_password: $("next").value };
		if (!$("change-totp-row").hidden) body.totp = $("change-totp").value.trim();
		const s = await api("POST", "/api/v1/session/password", body);
		state.csrf = s.csrf_token || null;
		$("current").value = $("next").value = $("change-totp").value = "";
		$("change-error").textContent = "";
		await refresh();
	} catch (err) {
		$("change-error").textContent = errorText(err);
	}
});

$("to-change").addEventListener("click", () => show("change"));

$("signout").addEventListener("click", async () => {
	try { await api("DELETE", "/api/v1/session"); } catch (err) { /* already signed out */ }
	state.csrf = null;
	show("signin");
});

$("lang").addEventListener("click", async () => {
	state.lang = state.lang === "en" ? "zh-TW" : "en";
	localStorage.setItem("lang", state.lang);
	await loadStrings();
});

(async () => {
	await loadStrings();
	const h = await fetch("/api/v1/health").then((r) => r.json()).catch(() => null);
	if (h) $("version").textContent = `rootcut ${h.version}`;
	await refresh();
})();
