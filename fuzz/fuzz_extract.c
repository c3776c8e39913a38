/*
 * fuzz/fuzz_extract.c - identifiers found in free narrative text: any bytes
 * must be scanned without reading past the end, and every result must be a
 * canonical identifier whose offsets lie inside the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intel/intel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct intel_extracted found[64];
	char *text = malloc(size + 1);
	size_t n;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	n = intel_extract(text, found, 64);
	for (size_t i = 0; i < n; i++) {
		struct ident again;
		if (found[i].start >= found[i].end || found[i].end > strlen(text))
			abort();
		if (ident_parse(&again, found[i].id.type, found[i].id.value, strlen(found[i].id.value),
			    NULL) ||
			strcmp(again.value, found[i].id.value))
			abort();
	}
	free(text);
	return 0;
}
