/* test_jsonw.c: the JSON writer writes what json-c writes for the same document (strings with
 * quotes, backslashes, control characters, '/', invalid UTF-8; extreme numbers; nesting; empty
 * containers), refuses nesting past its limit, and reuses its buffer without reallocating. */
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "escape.h"
#include "jsonw.h"

static const char *const tricky[] = {
	"",
	"plain",
	"quote\" backslash\\ slash/ end",
	"\b\f\n\r\t",
	"\x01\x02\x1f\x7f",
	"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7", /* valid 2, 3, 4-byte sequences */
	"bad \xff\xfe, cut \xe2\x82, overlong \xc0\xaf, surrogate \xed\xa0\x80",
	"</script><!-- -->",
};

/* json-c's string of the same text, made valid UTF-8 first (rtmon's old writer did exactly that) */
static struct json_object *jc_str(const char *s)
{
	size_t cap = strlen(s) * 3 + 1;
	char *buf = malloc(cap);
	struct json_object *o;

	assert_non_null(buf);
	utf8_sanitize(s, strlen(s), buf, cap);
	o = json_object_new_string(buf);
	free(buf);
	return o;
}

static const char *jc_line(struct json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

static void jsonw__strings__same_as_json_c(void **state)
{
	struct rtmon_jsonw w = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(tricky) / sizeof(tricky[0]); i++) {
		struct json_object *o = json_object_new_object();
		struct json_object *a = json_object_new_array();

		jsonw_start(&w);
		jsonw_str(&w, "s", tricky[i]);
		jsonw_array(&w, "a");
		jsonw_str(&w, NULL, tricky[i]);
		jsonw_str(&w, NULL, "x");
		jsonw_end(&w);
		json_object_object_add(o, "s", jc_str(tricky[i]));
		json_object_array_add(a, jc_str(tricky[i]));
		json_object_array_add(a, json_object_new_string("x"));
		json_object_object_add(o, "a", a);
		assert_string_equal(jsonw_finish(&w, NULL), jc_line(o));
		json_object_put(o);
	}
	jsonw_release(&w);
}

static void jsonw__numbers_nesting_empties__same_as_json_c(void **state)
{
	struct rtmon_jsonw w = { 0 };
	struct json_object *o = json_object_new_object();
	struct json_object *in = json_object_new_object();
	struct json_object *deep = json_object_new_object();
	size_t len = 0;
	const char *got;

	(void)state;
	jsonw_start(&w);
	jsonw_u64(&w, "u0", 0);
	jsonw_u64(&w, "umax", UINT64_MAX);
	jsonw_i64(&w, "imin", INT64_MIN);
	jsonw_i64(&w, "neg", -1);
	jsonw_bool(&w, "t", true);
	jsonw_bool(&w, "f", false);
	jsonw_array(&w, "empty_a");
	jsonw_end(&w);
	jsonw_object(&w, "in");
	jsonw_object(&w, "empty_o");
	jsonw_end(&w);
	jsonw_object(&w, "deep");
	jsonw_u64(&w, "x", 1);
	/* left open: finish closes it */
	json_object_object_add(o, "u0", json_object_new_uint64(0));
	json_object_object_add(o, "umax", json_object_new_uint64(UINT64_MAX));
	json_object_object_add(o, "imin", json_object_new_int64(INT64_MIN));
	json_object_object_add(o, "neg", json_object_new_int64(-1));
	json_object_object_add(o, "t", json_object_new_boolean(1));
	json_object_object_add(o, "f", json_object_new_boolean(0));
	json_object_object_add(o, "empty_a", json_object_new_array());
	json_object_object_add(in, "empty_o", json_object_new_object());
	json_object_object_add(deep, "x", json_object_new_uint64(1));
	json_object_object_add(in, "deep", deep);
	json_object_object_add(o, "in", in);
	got = jsonw_finish(&w, &len);
	assert_string_equal(got, jc_line(o));
	assert_int_equal(len, strlen(got));
	json_object_put(o);
	jsonw_release(&w);
}

static void jsonw__too_deep__null(void **state)
{
	struct rtmon_jsonw w = { 0 };

	(void)state;
	jsonw_start(&w);
	for (int i = 0; i < RTMON_JSONW_DEPTH_MAX; i++)
		jsonw_array(&w, i == 0 ? "a" : NULL);
	assert_null(jsonw_finish(&w, NULL));
	/* the next document is fine again */
	jsonw_start(&w);
	jsonw_u64(&w, "n", 7);
	assert_string_equal(jsonw_finish(&w, NULL), "{\"n\":7}");
	jsonw_release(&w);
}

/* Once grown to the largest document, the buffer is reused as is: no allocation per document. */
static void jsonw__reuse__no_realloc(void **state)
{
	struct rtmon_jsonw w = { 0 };
	char big[3000];
	const char *first;
	size_t cap;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	jsonw_start(&w);
	jsonw_str(&w, "big", big);
	first = jsonw_finish(&w, NULL);
	assert_non_null(first);
	cap = w.b.cap;
	for (int i = 0; i < 100; i++) {
		jsonw_start(&w);
		jsonw_str(&w, "big", big + i);
		jsonw_u64(&w, "i", (uint64_t)i);
		assert_ptr_equal(jsonw_finish(&w, NULL), first);
		assert_int_equal(w.b.cap, cap);
	}
	jsonw_release(&w);
	assert_null(w.b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jsonw__strings__same_as_json_c),
		cmocka_unit_test(jsonw__numbers_nesting_empties__same_as_json_c),
		cmocka_unit_test(jsonw__too_deep__null),
		cmocka_unit_test(jsonw__reuse__no_realloc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
