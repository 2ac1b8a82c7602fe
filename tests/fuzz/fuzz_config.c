/*
 * fuzz_config.c: libFuzzer target for the configuration loader and the rule
 * compiler (a config file, parsed from memory: no file is written).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rtmon_diag diag;
	struct rtmon_config *cfg = NULL;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	diag.n = diag.dropped = diag.errors = 0;
	if (config_load_string("fuzz.conf", text, NULL, 0, &cfg, &diag) == 0)
		config_free(cfg);
	free(text);
	return 0;
}
