/*
 * auth/roles.c - names of roles, token scopes and agency kinds, as used in
 * the API, the CLI and the database.
 */
#include "auth/auth.h"

#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"

static const char *const role_names[] = { "admin", "analyst", "prosecutor", "investigator",
	"reporter", "reviewer", "dns_operator", "auditor", "api_client" };
static const char *const scope_names[] = { "read", "write", "admin", "audit", "metrics",
	"lookup" };
static const char *const kind_names[] = { NULL, "high_prosecutors", "district_prosecutors",
	"police", "investigation_bureau", "government", "isp_registry", "bank", "telecom",
	"foreign_partner" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *bit_name(const char *const *names, size_t n, uint32_t bit)
{
	for (size_t i = 0; i < n; i++)
		if (bit == 1u << i)
			return names[i];
	return NULL;
}

static int parse_bits(const char *const *names, size_t n, const char *what, const char *list,
	uint32_t *out, struct err_msg *err)
{
	uint32_t bits = 0;
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ", ");
		bool found = false;
		for (size_t i = 0; i < n && len; i++) {
			if (strlen(names[i]) == len && strncmp(names[i], p, len) == 0) {
				bits |= 1u << i;
				found = true;
			}
		}
		if (len && !found)
			return err_set(err, ERR_INVAL, what, "unknown %s '%.*s'", what, (int)len, p);
		p += len;
		p += strspn(p, ", ");
	}
	if (!bits)
		return err_set(err, ERR_INVAL, what, "at least one %s is required", what);
	*out = bits;
	return 0;
}

static void format_bits(const char *const *names, size_t n, uint32_t bits, char *out,
	size_t size)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++)
		if (bits & (1u << i))
			buf_addf(&b, "%s%s", b.len ? "," : "", names[i]);
	str_copy(out, size, b.s);
	buf_release(&b);
}

const char *auth_role_name(uint32_t role)
{
	return bit_name(role_names, COUNT(role_names), role);
}

int auth_roles_parse(const char *list, uint32_t *out, struct err_msg *err)
{
	return parse_bits(role_names, COUNT(role_names), "role", list, out, err);
}

void auth_roles_format(uint32_t roles, char *out, size_t size)
{
	format_bits(role_names, COUNT(role_names), roles, out, size);
}

const char *auth_scope_name(uint32_t scope)
{
	return bit_name(scope_names, COUNT(scope_names), scope);
}

int auth_scopes_parse(const char *list, uint32_t *out, struct err_msg *err)
{
	return parse_bits(scope_names, COUNT(scope_names), "scope", list, out, err);
}

void auth_scopes_format(uint32_t scopes, char *out, size_t size)
{
	format_bits(scope_names, COUNT(scope_names), scopes, out, size);
}

const char *agency_kind_name(enum agency_kind kind)
{
	return kind >= 1 && (size_t)kind < COUNT(kind_names) ? kind_names[kind] : "unknown";
}

int agency_kind_parse(const char *name, enum agency_kind *out)
{
	for (size_t i = 1; i < COUNT(kind_names); i++) {
		if (strcmp(kind_names[i], name) == 0) {
			*out = (enum agency_kind)i;
			return 0;
		}
	}
	return ERR_INVAL;
}

void auth_principal_console(struct auth_principal *p)
{
	memset(p, 0, sizeof(*p));
	str_copy(p->username, sizeof(p->username), "system");
	p->roles = ROLE_ALL;
	p->scopes = SCOPE_ALL;
}
