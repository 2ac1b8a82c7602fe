/* fuzz_decode.c: libFuzzer target for the kernel record decoder and the JSON event reader (--replay input). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "fmt_json.h"

static struct rtmon_event ev;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy in a buffer of exactly 'size' bytes, so ASan sees any overread */
	uint8_t *rec = malloc(size ? size : 1);
	char *line = malloc(size + 1);

	if (!rec || !line)
		goto out;
	memcpy(rec, data, size);
	if (decode_record(rec, size, 0, &ev) == 0) {
		struct rtmon_jsonw w = { 0 };
		const char *s = fmt_event_json(&w, &ev, 1);

		/* whatever the kernel sent, what we print reads back */
		if (s && fmt_event_from_json(s, &ev) != 0)
			abort();
		jsonw_release(&w);
	}
	memcpy(line, data, size);
	line[size] = 0;
	fmt_event_from_json(line, &ev);
out:
	free(rec);
	free(line);
	return 0;
}
