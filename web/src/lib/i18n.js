// i18n.js - every user-facing string comes from i18n/<lang>.json; Traditional Chinese first.
import zhTW from "../i18n/zh-TW.json";
import en from "../i18n/en.json";

const tables = { "zh-TW": zhTW, en };
export const LANGS = ["zh-TW", "en"];

function initial() {
	try {
		const saved = localStorage.getItem("rootcut.lang");
		if (saved && tables[saved]) return saved;
	} catch (e) { /* storage blocked: use the default */ }
	return "zh-TW";
}

let lang = initial();

export function getLang() {
	return lang;
}

export function setLang(l) {
	lang = tables[l] ? l : "zh-TW";
	try { localStorage.setItem("rootcut.lang", lang); } catch (e) { /* not kept */ }
	document.documentElement.lang = lang === "en" ? "en" : "zh-Hant-TW";
}

// t("key", { n: 3 }) → the string with {n} replaced; a missing key falls back to
// Chinese, then to the key itself (visible, so a missing string is noticed).
export function t(key, params) {
	let s = tables[lang][key];
	if (s === undefined) s = tables["zh-TW"][key];
	if (s === undefined) return key;
	if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] === undefined ? m : String(params[k])));
	return s;
}

// t() for an optional key: undefined when neither table has it.
export function tMaybe(key, params) {
	if (tables[lang][key] === undefined && tables["zh-TW"][key] === undefined) return undefined;
	return t(key, params);
}

// An enum value's label: t("crime.investment_fraud"), falling back to the raw value.
export function label(group, value) {
	if (value == null || value === "") return "";
	return tMaybe(`${group}.${value}`) ?? String(value);
}

setLang(lang);
