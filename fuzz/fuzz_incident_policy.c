/*
 * fuzz/fuzz_incident_policy.c - libFuzzer target for the incident policy
 * file parser (src/incident/policy.c, incident_policy_parse()) over the
 * shipped defaults. When the input is accepted, the policy printed by
 * incident_policy_print() must parse back to the same deadlines and lists;
 * when it is refused, the message must name the file and a line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "incident/incident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct incident_policy p, again;
	struct err_msg err = ERR_MSG_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	incident_policy_defaults(&p);
	ret = incident_policy_parse(&p, (const char *)data, size, "fuzz.conf", &err);
	if (memchr(err.field, '\0', sizeof(err.field)) == NULL ||
		memchr(err.message, '\0', sizeof(err.message)) == NULL)
		abort();
	if (ret) {
		if (ret != ERR_INVAL || strncmp(err.message, "fuzz.conf:", 10) != 0)
			abort();
		return 0;
	}
	f = open_memstream(&text, &len);
	if (!f)
		abort();
	incident_policy_print(&p, f);
	fclose(f);
	memset(&again, 0, sizeof(again));
	if (incident_policy_parse(&again, text, len, "printed", &err) != 0)
		abort(); /* the printed policy does not read back */
	if (!incident_policy_equal(&p, &again))
		abort(); /* it reads back to different values */
	free(text);
	return 0;
}
