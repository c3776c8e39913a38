/*
 * fuzz/fuzz_rpz_domain.c - the domains of a court order as people and the
 * 165 lists write them (rpz/order_domain.c): any bytes must be parsed
 * without reading past the end, and an accepted domain must be canonical
 * (it parses back to itself) and fit an RPZ owner name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "ident/ident.h"
#include "rpz/rpz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err_msg err = ERR_MSG_INIT;
	struct ident id, again;

	if (rpz_domain_parse((const char *)data, size, &id, "domain", &err)) {
		if (!err.message[0])
			abort(); /* a refusal always says why */
		return 0;
	}
	if (id.type != IDENT_DOMAIN || strlen(id.value) > 253)
		abort();
	if (rpz_domain_parse(id.value, strlen(id.value), &again, "domain", NULL) ||
		strcmp(again.value, id.value))
		abort();
	return 0;
}
