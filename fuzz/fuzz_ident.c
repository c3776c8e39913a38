/*
 * fuzz/fuzz_ident.c - libFuzzer target for the identifier parsers
 * (src/ident/). The first byte chooses the type; the rest is parsed as that
 * type, and the whole input goes through ident_detect(). Every success must
 * give a NUL-terminated value that parses back to itself (idempotence) and
 * related identifiers that parse too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "ident/ident.h"

#define IDENT_TYPES (IDENT_TYPE_LAST - IDENT_TYPE_FIRST + 1)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(const struct ident *id)
{
	struct ident again, rel[4];
	char out[IDENT_VALUE_SIZE + 512];
	size_t n;

	if (memchr(id->value, '\0', sizeof(id->value)) == NULL)
		abort();
	if (ident_parse(&again, id->type, id->value, strlen(id->value), NULL) != 0)
		abort();
	if (strcmp(again.value, id->value) != 0)
		abort();
	n = ident_related(id, rel, 4);
	for (size_t i = 0; i < n; i++)
		if (ident_parse(&again, rel[i].type, rel[i].value, strlen(rel[i].value), NULL) != 0)
			abort();
	ident_mask(id, out, sizeof(out));
	ident_describe(id, out, sizeof(out));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ident id;
	struct err_msg err = ERR_MSG_INIT;
	enum ident_type type;

	if (size == 0)
		return 0;
	type = (enum ident_type)(IDENT_TYPE_FIRST + data[0] % IDENT_TYPES);
	if (ident_parse(&id, type, (const char *)data + 1, size - 1, &err) == 0)
		check_round_trip(&id);
	if (ident_detect(&id, (const char *)data, size, &err) == 0)
		check_round_trip(&id);
	return 0;
}
