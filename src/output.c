/* SPDX-License-Identifier: MIT */
/* output.c - fan-out of alerts to every sink. */
#include <errno.h>
#include <string.h>

#include "loop.h"
#include "output.h"

int outputs_add(struct rtmon_outputs *o, struct rtmon_sink *s)
{
	if (o->n >= RTMON_SINKS_MAX)
		return -ENOSPC;
	o->sinks[o->n++] = s;
	return 0;
}

struct rtmon_sink *outputs_find(struct rtmon_outputs *o, const char *key)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->sinks[i]->key, key) == 0)
			return o->sinks[i];
	return NULL;
}

struct rtmon_sink *outputs_take(struct rtmon_outputs *o, size_t i)
{
	struct rtmon_sink *s;

	if (i >= o->n)
		return NULL;
	s = o->sinks[i];
	memmove(&o->sinks[i], &o->sinks[i + 1], (o->n - i - 1) * sizeof(o->sinks[0]));
	o->n--;
	return s;
}

void outputs_emit(struct rtmon_outputs *o, const struct rtmon_alert *a, const char *json)
{
	for (size_t i = 0; i < o->n; i++)
		o->sinks[i]->ops->emit(o->sinks[i], a, json);
}

void outputs_tick(struct rtmon_outputs *o, uint64_t now_ms)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->sinks[i]->ops->tick)
			o->sinks[i]->ops->tick(o->sinks[i], now_ms);
}

void outputs_flush(struct rtmon_outputs *o, int timeout_ms)
{
	/* one budget for all sinks: a stop never takes longer than timeout_ms however many are stuck */
	uint64_t end = loop_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);

	for (size_t i = 0; i < o->n; i++) {
		uint64_t now = loop_now_ms();
		int left = now < end ? (int)(end - now) : 0;

		if (o->sinks[i]->ops->flush)
			o->sinks[i]->ops->flush(o->sinks[i], left);
	}
}

void outputs_free_all(struct rtmon_outputs *o)
{
	for (size_t i = 0; i < o->n; i++)
		o->sinks[i]->ops->free(o->sinks[i]);
	o->n = 0;
}
