// enums.js - the API's enumerations (docs/api/openapi.json); labels live in i18n.
export const IDENT_TYPES = ["phone", "bank_account", "domain", "url", "ip", "email", "wallet",
	"line_id", "telegram", "social_profile", "national_id", "imei"];
export const IDENT_ROLES = ["caller", "sms_sender", "receiving_account", "first_layer_account", "website",
	"domain", "ip", "email", "wallet", "contact_account", "device", "suspect", "victim"];
export const CRIME_TYPES = ["investment_fraud", "romance_fraud", "impersonation", "online_shopping",
	"gambling", "ransomware", "intrusion", "data_leak", "money_laundering", "other"];
export const PAYMENT_METHODS = ["transfer", "atm", "cash", "virtual_currency", "game_points", "credit_card", "other"];
export const VICTIM_KINDS = ["individual", "company", "public_body"];
export const CHANNELS = ["165", "police_station", "online_form", "agency", "bank"];
export const CASE_STATUSES = ["open", "investigating", "indicted", "closed"];
export const RISKS = ["none", "reported", "confirmed", "seized", "cleared"];

// The role an identifier of a type usually plays in a report.
export const DEFAULT_ROLE = {
	phone: "caller", bank_account: "receiving_account", domain: "domain", url: "website", ip: "ip",
	email: "email", wallet: "wallet", line_id: "contact_account", telegram: "contact_account",
	social_profile: "contact_account", national_id: "suspect", imei: "device",
};
