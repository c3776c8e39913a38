/*
 * intel/enums.c - the controlled vocabularies of reports and cases, as
 * stored and sent over the API (translated by the UI).
 */
#include "intel/internal.h"

#include <string.h>

const char *const intel_crime_types[] = { "investment_fraud", "romance_fraud", "impersonation",
	"online_shopping", "gambling", "ransomware", "intrusion", "data_leak", "money_laundering",
	"other", NULL };

const char *const intel_victim_kinds[] = { "individual", "company", "public_body", NULL };

const char *const intel_payment_methods[] = { "transfer", "atm", "cash", "virtual_currency",
	"game_points", "credit_card", "other", NULL };

/* Roles of an identifier in a report. "victim" marks the victim's own identifier. */
const char *const intel_roles[] = { "caller", "sms_sender", "receiving_account",
	"first_layer_account", "website", "domain", "ip", "email", "wallet", "contact_account",
	"device", "suspect", "victim", NULL };

const char *const intel_case_statuses[] = { "open", "investigating", "indicted", "closed",
	NULL };

bool intel_enum_valid(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return true;
	return false;
}

bool intel_role_is_victim(const char *role)
{
	return !strcmp(role, "victim");
}
