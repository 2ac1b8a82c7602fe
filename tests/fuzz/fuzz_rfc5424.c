/* fuzz_rfc5424.c: libFuzzer target for the RFC5424 formatter over hostile alert strings. The output must
 * respect the size limit whatever the input. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt_rfc5424.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rtmon_event ev;
	struct rtmon_alert a;
	struct rfc5424_opts o = { .facility = 4, .pen = 32473, .hostname = "h", .procid = 1 };
	char buf[4][512];
	size_t part = size / 4, out_len = 0;
	char *out = NULL;
	bool trimmed = false;

	for (int i = 0; i < 4; i++) {
		size_t n = part < sizeof(buf[i]) - 1 ? part : sizeof(buf[i]) - 1;

		memcpy(buf[i], data + i * part, n);
		buf[i][n] = 0;
	}
	event_reset(&ev);
	ev.type = RTMON_EV_EXEC;
	ev.has = RTMON_HAS_EXE | RTMON_HAS_PPID | RTMON_HAS_UID;
	memcpy(ev.exe, buf[0], sizeof(buf[0]));
	memset(&a, 0, sizeof(a));
	a.rule_id = buf[1];
	memcpy(a.reason, buf[2], sizeof(buf[2]));
	a.event = &ev;
	a.host = buf[3];
	memcpy(a.addr, buf[3], sizeof(a.addr) - 1);
	o.hostname = buf[3];
	o.max_len = size % 2 ? 0 : 300 + size % 700;
	if (rfc5424_format(&o, &a, buf[2], &out, &out_len, &trimmed) == 0) {
		if (o.max_len && out_len > o.max_len)
			abort();
		free(out);
	}
	return 0;
}
