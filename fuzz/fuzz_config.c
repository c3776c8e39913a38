/*
 * fuzz/fuzz_config.c - libFuzzer target for the configuration file parser
 * (src/config/config.c, config_parse()). The input is the file's text. When
 * it is accepted, the effective values printed by config_print_effective()
 * must parse back to exactly the same values (the printed form is itself a
 * valid config file); when it is refused, the message must name a line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *effective(const struct config *cfg, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		abort();
	config_print_effective(cfg, f);
	fclose(f);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg, again;
	struct err_msg err = ERR_MSG_INIT;
	char *printed, *reprinted;
	size_t plen, rlen;
	FILE *f;
	int ret;

	if (size == 0) /* fmemopen() refuses an empty buffer */
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	config_defaults(&cfg);
	ret = config_parse(&cfg, f, "fuzz.conf", &err);
	fclose(f);
	if (memchr(err.field, '\0', sizeof(err.field)) == NULL ||
		memchr(err.message, '\0', sizeof(err.message)) == NULL)
		abort();
	if (ret) {
		if (ret != ERR_INVAL || strncmp(err.message, "fuzz.conf:", 10) != 0)
			abort();
		return 0;
	}
	printed = effective(&cfg, &plen);
	f = fmemopen(printed, plen, "r");
	if (!f)
		abort();
	config_defaults(&again);
	if (config_parse(&again, f, "printed", &err) != 0)
		abort(); /* the printed configuration does not read back */
	fclose(f);
	reprinted = effective(&again, &rlen);
	if (plen != rlen || memcmp(printed, reprinted, plen) != 0)
		abort(); /* it reads back to different values */
	free(printed);
	free(reprinted);
	return 0;
}
