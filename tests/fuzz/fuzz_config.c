/* fuzz_config.c: libFuzzer target for the configuration loader and the rule compiler (a config file). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static struct rtmon_diag diag;
	struct rtmon_config *cfg = NULL;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/rtmon-fuzz-config.%d", (int)getpid());
	f = fopen(path, "w");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	diag.n = diag.dropped = diag.errors = 0;
	if (config_load(path, NULL, 0, &cfg, &diag) == 0)
		config_free(cfg);
	return 0;
}
