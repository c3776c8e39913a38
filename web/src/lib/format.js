// format.js - dates in Asia/Taipei (ROC years in Chinese: 民國112年3月1日), ISO 8601
// with +08:00 for exports, money in TWD.
import { getLang, t } from "./i18n.js";

export const TZ = "Asia/Taipei";
const partsFmt = new Intl.DateTimeFormat("en-GB", {
	timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit",
	hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
});

// The wall-clock fields in Taipei of an instant (ISO string, Date or ms).
export function taipeiParts(when) {
	const d = when instanceof Date ? when : new Date(when);
	if (Number.isNaN(d.getTime())) return null;
	const p = {};
	for (const { type, value } of partsFmt.formatToParts(d)) p[type] = value;
	return { y: +p.year, m: +p.month, d: +p.day, hh: p.hour, mm: p.minute, ss: p.second };
}

export function rocYear(y) {
	return y > 1911 ? t("date.roc_year", { y: y - 1911 }) : t("date.roc_before", { y: 1912 - y });
}

const pad = (n) => String(n).padStart(2, "0");

// 民國115年11月22日 (zh-TW) or 2026-11-22 (en); with { time: true } also 13:05.
export function fmtDate(when, { time = false } = {}) {
	if (when == null || when === "") return "";
	const p = taipeiParts(when);
	if (!p) return String(when);
	let s = getLang() === "en"
		? `${p.y}-${pad(p.m)}-${pad(p.d)}`
		: `${rocYear(p.y)}${p.m}月${p.d}日`;
	if (time) s += ` ${p.hh}:${p.mm}`;
	return s;
}

export const fmtDateTime = (when) => fmtDate(when, { time: true });

// ISO 8601 in Taipei time for exports: 2026-11-22T13:05:00+08:00.
export function isoTaipei(when) {
	const p = taipeiParts(when);
	if (!p) return "";
	return `${p.y}-${pad(p.m)}-${pad(p.d)}T${p.hh}:${p.mm}:${p.ss}+08:00`;
}

// The ROC rendering of a zone-less local value typed in a form (2024-03-01T14:30).
export function rocOfLocal(value) {
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value || "");
	if (!m) return "";
	const y = +m[1];
	const time = m[4] ? ` ${m[4]}:${m[5]}` : "";
	if (getLang() === "en") return `ROC ${y - 1911}/${+m[2]}/${+m[3]}${time}`;
	return `${rocYear(y)}${+m[2]}月${+m[3]}日${time}`;
}

// The start of today, this week (Monday) and this month in Taipei, as Date instants.
export function taipeiPeriodStarts(now = new Date()) {
	const p = taipeiParts(now);
	const dayStart = Date.UTC(p.y, p.m - 1, p.d) - 8 * 3600e3;
	const weekday = (new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay() + 6) % 7; // Monday = 0
	return {
		today: new Date(dayStart),
		week: new Date(dayStart - weekday * 86400e3),
		month: new Date(Date.UTC(p.y, p.m - 1, 1) - 8 * 3600e3),
	};
}

export function fmtNumber(n) {
	if (n == null) return "";
	return Number(n).toLocaleString(getLang() === "en" ? "en-US" : "zh-TW");
}

export function fmtMoney(twd) {
	if (twd == null) return "";
	return t("money.twd", { n: fmtNumber(twd) });
}
