// zones.js - the RPZ zones as published (serial, records, last change), each
// zone's history by serial (a table and a chart of records over serials), its
// verification results, and for DNS operators a button that asks a resolver
// whether it enforces the zone (GET /api/v1/rpz/zones, …/history,
// /rpz/verifications; POST /api/v1/rpz/verify).
import "./rpz.css";
import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";
import { api } from "../lib/api.js";
import { can, renderRoute, flash } from "../lib/app.js";
import { pageHeader, section, dl, table, badge, emptyState, errorBox, field, setFieldError, clearFieldErrors } from "../lib/ui.js";
import { errorText } from "../lib/errors.js";
import { fmtDateTime, fmtNumber } from "../lib/format.js";

const bare = (z) => (z || "").replace(/\.$/, "");

// The records after each serial, oldest first, from the current count and the
// journal (newest first): before a change there were records - added + deleted.
export function recordsBySerial(zone, history) {
	const out = [];
	let records = zone.rules;
	for (const e of history) {
		if (e.serial > zone.serial) continue;
		out.push({ serial: e.serial, records, changed_at: e.changed_at, added: e.added, deleted: e.deleted, reason: e.reason });
		records = records - e.added + e.deleted;
	}
	return out.reverse();
}

function reasonText(r) {
	const key = {
		"order enforced": "zone.why_enforced", "order lifted": "zone.why_lifted", "order domain lifted": "zone.why_domain_lifted",
		"order expired": "zone.why_expired", "order started": "zone.why_started", "passthru added": "zone.why_passthru_added",
		"passthru removed": "zone.why_passthru_removed",
	}[r];
	return key ? t(key) : r;
}

function historyTable(rows) {
	return table([
		{ label: t("zone.serial"), cell: (e) => fmtNumber(e.serial), className: "num" },
		{ label: t("zone.changed_at"), cell: (e) => fmtDateTime(e.changed_at), className: "nowrap" },
		{ label: t("zone.added"), cell: (e) => fmtNumber(e.added), className: "num" },
		{ label: t("zone.deleted"), cell: (e) => fmtNumber(e.deleted), className: "num" },
		{ label: t("zone.records_after"), cell: (e) => fmtNumber(e.records), className: "num" },
		{ label: t("zone.reason"), cell: (e) => reasonText(e.reason) },
	], [...rows].reverse(), { caption: t("zone.history_caption"), empty: t("zone.no_history") });
}

function verificationsTable(items) {
	return table([
		{ label: t("zone.checked_at"), cell: (v) => fmtDateTime(v.checked_at), className: "nowrap" },
		{ label: t("zone.resolver"), cell: (v) => h("code", null, v.resolver) },
		{ label: t("zone.serial"), cell: (v) => fmtNumber(v.serial), className: "num" },
		{ label: t("zone.names"), cell: (v) => fmtNumber(v.names), className: "num" },
		{ label: t("zone.blocked"), cell: (v) => fmtNumber(v.blocked), className: "num" },
		{ label: t("zone.as_expected"), cell: (v) => [fmtNumber(v.as_expected), " ",
			v.as_expected === v.names ? badge(t("zone.all_expected"), "order-enforced") : badge(t("zone.some_unexpected", { n: v.names - v.as_expected }), "order-warn")], className: "num" },
		{ label: t("zone.actor"), cell: (v) => v.actor },
	], items, { caption: t("zone.verifications_caption"), empty: t("zone.no_verifications") });
}

function verifyForm(zone) {
	const resolver = h("input", { autocomplete: "off", spellcheck: "false", placeholder: "203.0.113.5:53" });
	const control = h("input", { autocomplete: "off", spellcheck: "false", placeholder: "www.gov.tw" });
	const sample = h("input", { type: "number", min: "1", max: "100", value: "20", inputmode: "numeric" });
	const status = h("div", { class: "form-status", role: "alert" });
	const submit = h("button", { type: "submit", class: "primary" }, t("zone.verify_run"));
	const inputs = { resolver, control, sample };
	const id = bare(zone.name).replace(/[^a-z0-9]/gi, "-");
	const form = h("form", { class: "edit-form verify-form", id: `verify-${id}`, novalidate: true, onsubmit: async (ev) => {
		ev.preventDefault();
		clearFieldErrors(form);
		status.replaceChildren();
		if (!resolver.value.trim()) { setFieldError(resolver, t("error.required")); resolver.focus(); return; }
		const n = Number(sample.value);
		if (!Number.isInteger(n) || n < 1 || n > 100) { setFieldError(sample, t("zone.sample_bad")); sample.focus(); return; }
		const body = { resolver: resolver.value.trim(), zone: zone.name, sample: n };
		if (control.value.trim()) body.control = control.value.trim();
		submit.disabled = true;
		status.replaceChildren(h("p", { class: "loading", role: "status" }, t("zone.verify_running")));
		try {
			const r = await api("POST", "/api/v1/rpz/verify", body);
			flash(r.failed ? t("zone.verify_done_failed", { n: r.names, failed: r.failed, resolver: r.resolver })
				: t("zone.verify_done_ok", { n: r.names, resolver: r.resolver }), r.failed ? "warn" : "ok");
			await renderRoute({ focus: false });
		} catch (err) {
			submit.disabled = false;
			status.replaceChildren();
			const input = inputs[err.field];
			if (input) { setFieldError(input, errorText(err)); input.focus(); } else status.replaceChildren(errorBox(err));
		}
	} },
	h("h3", null, t("zone.verify_title")),
	h("p", { class: "hint" }, t("zone.verify_lead")),
	h("div", { class: "inline-form" },
		field({ id: `verify-resolver-${id}`, label: t("zone.resolver"), input: resolver, hint: t("zone.resolver_hint"), required: true }),
		field({ id: `verify-control-${id}`, label: t("zone.control"), input: control, hint: t("zone.control_hint") }),
		field({ id: `verify-sample-${id}`, label: t("zone.sample"), input: sample })),
	status, submit);
	return form;
}

export async function zonesPage(view) {
	const [zr, verifications] = await Promise.all([
		api("GET", "/api/v1/rpz/zones"),
		can("GET", "/api/v1/rpz/verifications") ? api("GET", "/api/v1/rpz/verifications").then((r) => r.items || []).catch((err) => err) : [],
	]);
	const zones = zr.items || [];
	const histories = await Promise.all(zones.map((z) => api("GET", `/api/v1/rpz/zones/${encodeURIComponent(z.name)}/history`)
		.then((r) => recordsBySerial(z, r.items || [])).catch((err) => err)));
	const mayVerify = can("POST", "/api/v1/rpz/verify");
	const charts = [];
	view.append(pageHeader(t("nav.zones")), h("p", { class: "lead" }, t("zone.lead")));
	if (!zones.length) {
		view.append(emptyState(t("zone.none")));
		return null;
	}
	zones.forEach((z, i) => {
		const hist = histories[i];
		const id = bare(z.name).replace(/[^a-z0-9]/gi, "-");
		let chartEl = null;
		if (!(hist instanceof Error) && hist.length > 1) {
			chartEl = h("div", { class: "chart small-chart", id: `chart-zone-${id}`, role: "img", "aria-label": t("zone.chart_label", { zone: bare(z.name) }) });
			charts.push([chartEl, hist]);
		}
		const mine = verifications instanceof Error ? verifications : verifications.filter((v) => bare(v.zone) === bare(z.name));
		view.append(h("section", { class: "card zone", id: `zone-${id}`, dataset: { zone: z.name, serial: z.serial }, "aria-labelledby": `zone-h-${id}` },
			h("h2", { id: `zone-h-${id}` }, h("code", null, bare(z.name))),
			dl([
				[t("zone.serial"), h("span", { class: "zone-serial" }, String(z.serial))],
				[t("zone.records"), h("span", { class: "zone-records" }, fmtNumber(z.rules))],
				[t("zone.changed_at"), fmtDateTime(z.changed_at)],
				[t("zone.refresh"), t("zone.seconds", { n: fmtNumber(z.refresh) })],
				[t("zone.soa"), h("code", null, `${z.mname} ${z.rname}`)],
			]),
			h("h3", null, t("zone.history")),
			hist instanceof Error ? errorBox(hist) : [
				chartEl,
				chartEl ? h("p", { class: "hint" }, t("zone.chart_hint")) : null,
				h("details", { class: "data-table", open: hist.length <= 1 || null }, h("summary", null, t("zone.history_table")), historyTable(hist)),
			],
			h("h3", null, t("zone.verifications")),
			mine instanceof Error ? errorBox(mine) : h("div", { class: "zone-verifications" }, verificationsTable(mine)),
			mayVerify ? verifyForm(z) : null));
	});
	return async () => {
		if (!charts.length) return;
		const { recordsChart } = await import("../rpz-charts.js");
		for (const [el, hist] of charts) {
			recordsChart(el, {
				serials: hist.map((e) => String(e.serial)), records: hist.map((e) => e.records), name: t("zone.records"),
				description: t("zone.chart_description", { first: hist[0].serial, last: hist[hist.length - 1].serial, n: hist[hist.length - 1].records }),
			});
		}
	};
}
