// errors.js - an API error in the user's language: by code and field first,
// then the reason the server gave (identifier reasons are translated by
// pattern; anything unknown is shown as the server wrote it).
import { t, tMaybe, getLang } from "./i18n.js";

// The server's identifier reasons (docs/user/identifiers.md), matched after the
// "cannot parse TYPE 'VALUE': " prefix; each maps to a translated string.
const REASONS = [
	[/^(?:not a phone number: )?too few digits/, "reason.too_few_digits"],
	[/^(?:not a phone number: )?too many digits/, "reason.too_many_digits"],
	[/^no Taiwanese number starts with (\d+)/, "reason.bad_prefix"],
	[/^unknown country code (\+\d+)/, "reason.unknown_country"],
	[/^unexpected character '(.+)'/, "reason.unexpected_char"],
	[/^no country code or leading 0/, "reason.no_country_code"],
	[/^unknown bank code '(\d+)'/, "reason.unknown_bank"],
	[/^account number of (\d+) digits \((\d+) to (\d+) expected\)/, "reason.account_length"],
	[/^no separator between the bank code and the account number/, "reason.bank_separator"],
	[/^missing the 3-digit bank code/, "reason.missing_bank_code"],
	[/checksum mismatch/, "reason.checksum"],
	[/^a single label/, "reason.single_label"],
	[/^a public suffix/, "reason.public_suffix"],
	[/^unknown top-level domain '(.+)'/, "reason.unknown_tld"],
	[/^could be .* or .*|say which/, "reason.ambiguous"],
	[/^empty$/, "reason.empty"],
	[/^too long$/, "reason.too_long"],
	[/^is required$/, "reason.required"],
	[/is not a time/, "reason.not_a_time"],
	[/^must be at least (\d+) characters/, "reason.password_length"],
	[/^wrong password$/, "reason.wrong_password"],
];

// "cannot parse phone '0912': too few digits (…)" → the part after the value.
export function stripReason(message) {
	const m = /^cannot parse [^']*'(?:[^']|'(?!:))*':\s*(.*)$/s.exec(message || "");
	return (m ? m[1] : message || "").trim();
}

// A server reason in the user's language; English readers get the server's own words.
export function reasonText(message) {
	const reason = stripReason(message);
	for (const [re, key] of REASONS) {
		const m = re.exec(reason);
		if (m) {
			const params = {};
			m.slice(1).forEach((v, i) => { params[i + 1] = v; });
			const s = t(key, params);
			return getLang() === "en" ? reason : s;
		}
	}
	return getLang() === "en" ? reason : t("reason.other", { reason });
}

// A field name from the API (identifiers[1].value, loss.twd) as the user knows it.
export function fieldLabel(field) {
	if (!field) return "";
	const m = /^identifiers\[(\d+)\]\.(\w+)$/.exec(field);
	if (m) return t("field.identifier_n", { n: +m[1] + 1, part: t(`field.identifier.${m[2]}`) });
	return tMaybe(`field.${field}`) ?? field;
}

// The whole message for an error (ApiError or anything thrown).
export function errorText(err) {
	if (!err || err.status === undefined || err.status === 0) return t("error.network");
	const code = err.code;
	const byField = err.field && tMaybe(`error.${code}.${err.field}`);
	if (byField) return byField;
	if (code === "invalid" || code === "parse") {
		const field = fieldLabel(err.field);
		return field ? t("error.invalid_field", { field, reason: reasonText(err.detail) })
			: t("error.invalid_plain", { reason: reasonText(err.detail) });
	}
	return tMaybe(`error.${code}`) ?? t("error.other", { status: err.status, reason: err.detail });
}
