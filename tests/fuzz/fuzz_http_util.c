/* SPDX-License-Identifier: MIT */
/* libFuzzer target: every parser of the HTTP listener that reads request bytes, and the ring they feed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http_util.h"
#include "sse_ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_storage sa;
	char path[HTTP_PATH_MAX];
	char o1[] = "http://localhost:5173", star[] = "*";
	char *origins[] = { o1, star, NULL };
	struct sse_ring *r;
	uint64_t usec, seq;
	uint32_t n;
	socklen_t len;
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (http_parse_listen(s, &sa, &len) == 0)
		(void)http_addr_is_loopback((struct sockaddr *)&sa);
	(void)http_parse_count(s, 1024, &n);
	if (http_static_path(s, path, sizeof(path)) == 0) {
		/* The one property that matters: relative, and no component is empty, "." or "..". */
		if (path[0] == '/' || path[0] == '.' || strstr(path, "//") || strstr(path, "/."))
			abort();
		(void)http_content_type(path);
	}
	(void)http_cors_origin(origins, s);
	(void)http_bearer_token(s);
	(void)http_token_equal(s, "token");
	if (http_parse_event_id(s, &usec, &seq) == 0 && sse_ring_new(4, &r) == 0) {
		(void)sse_ring_push(r, "5-10", 10, SSE_CLASS_LOW, "{}");
		(void)sse_ring_push(r, "5-20", 20, SSE_CLASS_LOW, "{}");
		if (sse_ring_resume(r, usec, seq) > r->head)
			abort();
		if (sse_ring_push(r, s, seq, SSE_CLASS_LOW, s) == 0 && (strchr(sse_ring_at(r, 2)->frame + 4, '\r')))
			abort(); /* a CR would split the frame */
		sse_ring_free(r);
	}
	free(s);
	return 0;
}
