/*
 * fuzz/fuzz_flow_row.c - libFuzzer target for the flow row parser
 * (src/graph/flow.c). The first byte chooses the kind; the rest is split at
 * '\x1f' into the values of the kind's fields in order (source_ref, from,
 * to, time, amount, duration, channel, cell, imei, asset, amount in the
 * asset). A finished flow must have both ends, a time and a source
 * reference that is NUL-terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "graph/graph.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct graph_flow f;
	enum graph_flow_kind kind;
	const char *p, *end;
	int field = GRAPH_F_REF;

	if (size < 1)
		return 0;
	kind = (enum graph_flow_kind)(data[0] % GRAPH_FLOW_KIND_LAST + 1);
	graph_flow_init(&f, kind);
	p = (const char *)data + 1;
	end = (const char *)data + size;
	while (p <= end && field <= GRAPH_F_AMOUNT_ASSET) {
		const char *sep = memchr(p, 0x1f, (size_t)(end - p));
		size_t len = sep ? (size_t)(sep - p) : (size_t)(end - p);
		struct err_msg err = ERR_MSG_INIT;
		(void)graph_flow_set(&f, (enum graph_field)field++, p, len, &err);
		if (!sep)
			break;
		p = sep + 1;
	}
	{
		struct err_msg err = ERR_MSG_INIT;
		if (graph_flow_finish(&f, &err) == 0) {
			if (!f.src.type || !f.dst.type || !f.at)
				abort();
			if (!memchr(f.source_ref, '\0', sizeof(f.source_ref)) || !f.source_ref[0])
				abort();
		}
	}
	return 0;
}
