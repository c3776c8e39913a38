// import.js - bulk import of reports (POST /api/v1/import): a CSV, TSV or JSON
// Lines file, its column mapping (--map, --set, --skip, --columns of the
// command line), upload progress, the outcome, every rejected row with the
// row as it was in the file, and a CSV of the rejected rows to import again.
import { h } from "../lib/dom.js";
import { t, label } from "../lib/i18n.js";
import { upload, qs } from "../lib/api.js";
import { can, reachOf, agencies, agencyName, app } from "../lib/app.js";
import { field, select, pageHeader, section, table, errorBox, notice, dl, download, csvLine, setFieldError, clearFieldErrors } from "../lib/ui.js";
import { fmtNumber, isoTaipei } from "../lib/format.js";
import { reasonText, errorText } from "../lib/errors.js";
import { CRIME_TYPES, CHANNELS } from "../lib/enums.js";

const TYPES = { csv: "text/csv", tsv: "text/tab-separated-values", jsonl: "application/x-ndjson" };

function formatOf(name, chosen) {
	if (chosen) return chosen;
	const ext = (/\.([a-z0-9]+)$/i.exec(name || "") || [])[1];
	if (ext && /^(tsv|tab|txt)$/i.test(ext)) return ext.toLowerCase() === "txt" ? "csv" : "tsv";
	if (ext && /^(jsonl|ndjson)$/i.test(ext)) return "jsonl";
	return "csv";
}

export async function importPage(view) {
	if (!can("POST", "/api/v1/import")) throw Object.assign(new Error("forbidden"), { status: 403, code: "forbidden" });
	const center = reachOf("POST", "/api/v1/import") === "all";
	const agencyMap = center ? await agencies() : null;
	const file = h("input", { type: "file", accept: ".csv,.tsv,.txt,.jsonl,.ndjson,text/csv,text/tab-separated-values" });
	const format = select([["", t("import.format_auto")], ["csv", "CSV"], ["tsv", "TSV"], ["jsonl", "JSON Lines"]]);
	const encoding = select([["utf-8", "UTF-8"], ["big5", "Big5"]]);
	const crime = select([["", t("import.from_file")], ...CRIME_TYPES.map((c) => [c, label("crime", c)])]);
	const channel = select([["", t("import.from_file")], ...CHANNELS.map((c) => [c, label("channel", c)])]);
	const agency = center ? select([["", t("import.from_file")], ...[...agencyMap.values()].map((a) => [a.code, agencyName(a)])]) : null;
	const maps = h("textarea", { rows: "3", spellcheck: "false", placeholder: "網址=url:website\n件數=-" });
	const sets = h("textarea", { rows: "2", spellcheck: "false", placeholder: "reported_at=2025-01-11" });
	const skip = h("input", { type: "number", min: "0", max: "1000000", inputmode: "numeric", value: "0" });
	const columns = h("input", { spellcheck: "false", autocomplete: "off", placeholder: "phone:caller" });
	const lines = (ta) => ta.value.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
	const progress = h("progress", { max: "1", id: "import-progress", hidden: true });
	const progressText = h("p", { class: "hint", id: "import-progress-text", "aria-live": "polite" });
	const out = h("div", { id: "import-result" });
	const submit = h("button", { type: "submit", class: "primary" }, t("import.start"));

	const form = h("form", { id: "import-form", novalidate: true, onsubmit: async (ev) => {
		ev.preventDefault();
		clearFieldErrors(form);
		out.replaceChildren();
		const f = file.files && file.files[0];
		if (!f) { setFieldError(file, t("import.choose_file")); file.focus(); return; }
		const fmt = formatOf(f.name, format.value);
		const set = lines(sets);
		if (crime.value) set.push(`crime_type=${crime.value}`);
		if (channel.value) set.push(`channel=${channel.value}`);
		const map = lines(maps);
		const bad = map.find((m) => !/^[^=]+=.+$/.test(m));
		if (bad) { setFieldError(maps, t("import.map_bad", { line: bad })); maps.focus(); return; }
		const badSet = set.find((m) => !/^[^=]+=.*$/.test(m));
		if (badSet) { setFieldError(sets, t("import.set_bad", { line: badSet })); sets.focus(); return; }
		const params = { format: fmt, encoding: encoding.value, set, map, agency: agency && agency.value,
			skip: Number(skip.value) > 0 ? skip.value : "", columns: columns.value.trim() };
		submit.disabled = true;
		progress.hidden = false;
		progress.value = 0;
		progressText.textContent = t("import.uploading", { pct: 0 });
		const started = Date.now();
		try {
			const r = await upload(`/api/v1/import${qs(params)}`, f, TYPES[fmt], (phase, frac) => {
				if (phase === "upload") {
					if (frac != null) progress.value = frac;
					progressText.textContent = t("import.uploading", { pct: frac == null ? "…" : Math.round(frac * 100) });
				} else {
					progress.removeAttribute("value"); // indeterminate while the server stores the rows
					progressText.textContent = t("import.processing");
				}
			});
			progress.hidden = true;
			progressText.textContent = t("import.done", { s: ((Date.now() - started) / 1000).toFixed(1) });
			out.replaceChildren(await resultView(r, f, encoding.value));
		} catch (err) {
			progress.hidden = true;
			progressText.textContent = "";
			// The importer names a bad --map or --set by the option in its message.
			const opt = /^--(map|set|columns) /.exec(err.detail || "");
			const input = { map: maps, set: sets, skip, columns, file, format, encoding }[opt ? opt[1] : err.field];
			if (input) { setFieldError(input, errorText(err)); input.focus(); } else out.replaceChildren(errorBox(err));
		} finally {
			submit.disabled = false;
		}
	} },
	section(t("import.file"),
		h("p", { class: "hint" }, t("import.columns_hint")),
		h("div", { class: "grid" },
			field({ id: "import-file", label: t("import.file_label"), input: file }),
			field({ id: "import-format", label: t("import.format"), input: format }),
			field({ id: "import-encoding", label: t("import.encoding"), input: encoding }),
			field({ id: "import-crime", label: t("import.set_crime"), input: crime }),
			field({ id: "import-channel", label: t("import.set_channel"), input: channel }),
			agency ? field({ id: "import-agency", label: t("field.agency_id"), input: agency }) : null),
		h("details", { class: "edit", id: "import-mapping" }, h("summary", null, t("import.mapping")),
			h("p", { class: "hint" }, t("import.mapping_hint")),
			h("div", { class: "grid" },
				field({ id: "import-map", label: t("import.map"), input: maps, hint: t("import.map_hint") }),
				field({ id: "import-set", label: t("import.set"), input: sets, hint: t("import.set_hint") }),
				field({ id: "import-skip", label: t("import.skip"), input: skip, hint: t("import.skip_hint") }),
				field({ id: "import-columns", label: t("import.columns"), input: columns, hint: t("import.columns_field_hint") }))),
		h("div", { class: "form-actions" }, submit), progress, progressText));
	view.append(pageHeader(t("nav.import")), form, out);
}

// The file's lines as the server read them (Big5 decoded as Big5), to show each rejected row.
async function fileLines(f, encoding) {
	try {
		const bytes = await f.arrayBuffer();
		const text = new TextDecoder(encoding === "big5" ? "big5" : "utf-8").decode(bytes);
		return text.replace(/^\ufeff/, "").split(/\r?\n/);
	} catch (e) {
		return [];
	}
}

async function resultView(r, f, encoding) {
	const lines = await fileLines(f, encoding);
	const rejects = r.rejects || [];
	const dl2 = h("button", { type: "button", id: "download-rejects", onclick: () => {
		const rows = [csvLine(["line", "field", "reason", "raw"])];
		for (const x of rejects) rows.push(csvLine([x.line, x.field, x.reason, lines[x.line - 1] ?? ""]));
		download(`rootcut-import-rejects-${isoTaipei(new Date()).replace(/:/g, "")}.csv`, `${rows.join("\r\n")}\r\n`);
	} }, t("import.download_rejects"));
	return section(t("import.result"),
		notice(r.rejected ? t("import.some_rejected", { n: fmtNumber(r.rejected) }) : t("import.all_ok"), r.rejected ? "warn" : "ok"),
		dl([
			[t("import.rows"), fmtNumber(r.rows)],
			[t("import.accepted"), fmtNumber(r.accepted)],
			[t("import.rejected"), fmtNumber(r.rejected)],
			[t("import.duplicates"), fmtNumber(r.duplicates)],
			[t("import.likely_duplicates"), fmtNumber(r.likely_duplicates)],
		]),
		rejects.length ? [h("h3", null, t("import.rejects")), dl2,
			table([
				{ label: t("import.line"), cell: (x) => String(x.line), className: "num" },
				{ label: t("import.field"), cell: (x) => x.field },
				{ label: t("import.reason"), cell: (x) => reasonText(x.reason) },
				{ label: t("import.raw"), cell: (x) => h("code", { class: "raw" }, lines[x.line - 1] ?? "") },
			], rejects.slice(0, 500), { caption: t("import.rejects") }),
			r.rejects_truncated || rejects.length > 500 ? h("p", { class: "hint" }, t("import.rejects_truncated")) : null] : null,
		app.session && (r.report_ids || []).length ? h("p", null, h("a", { href: `/reports/${r.report_ids[0]}` }, t("import.first_report"))) : null);
}
