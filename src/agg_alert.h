/* SPDX-License-Identifier: MIT */
/*
 * agg_alert.h - what the aggregator (src/aggregate.c) does with one alert a
 * node sent: read its JSON back into a struct rtmon_alert (so journald and
 * RFC5424 get their fields, while every output carries the node's JSON byte
 * for byte), and remember (host, id) pairs to drop what it already has.
 * Pure: no I/O, no clock, no logging. The JSON comes from the network.
 */
#ifndef RTMON_AGG_ALERT_H
#define RTMON_AGG_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "container.h"
#include "event.h"

#define AGG_HOST_MAX 256
#define AGG_RULE_ID_MAX 64
#define AGG_DESC_MAX 512
#define AGG_MITRE_LEN 24
#define AGG_LINEAGE_STR 512

/* One node alert read back; 'a' points into the rest. Large: keep one and reuse it. */
struct agg_alert {
	struct rtmon_alert a;
	struct rtmon_event ev;
	struct rtmon_container ctr;
	char host[AGG_HOST_MAX];
	char rule_id[AGG_RULE_ID_MAX];
	char description[AGG_DESC_MAX];
	char summary_kind[16];
	char mitre[RTMON_MITRE_MAX][AGG_MITRE_LEN];
	char lin_comm[RTMON_LINEAGE_MAX][32];
	char lin_exe[RTMON_LINEAGE_MAX][AGG_LINEAGE_STR];
};

/*
 * Reads one alert JSON line (kind "alert" or "incident", as fmt_alert_json
 * writes it). 'id' must be a valid alert id ("USEC-SEQ", under 48 bytes)
 * and 'host' a non-empty string without control characters (ids are unique
 * per host). Fields the aggregator cannot rebuild (an incident's timeline, a
 * summary's pid lists) stay in the JSON only. Returns 0, or -EINVAL.
 */
int agg_alert_parse(const char *json, struct agg_alert *ret);

/*
 * Splits a node address "name:port", "1.2.3.4:port" or "[v6addr]:port"
 * (port 1-65535, a name of letters, digits, '.', '-', '_') into ret_host
 * (without brackets) and *ret_port. Returns 0 or -EINVAL.
 */
int agg_split_hostport(const char *s, char *ret_host, size_t size, uint16_t *ret_port);
/* True when a token can go into an Authorization header: printable ASCII, no space, 1-512 bytes. */
bool agg_token_valid(const char *t);

/*
 * The (host, alert id) pairs seen, remembered in two generations of 'cap'/2
 * each: a pair is known for at least the last cap/2 pairs added. Hashes
 * (64-bit) are kept, not strings: memory is 16 bytes per slot.
 */
struct agg_seen {
	uint64_t *gen[2]; /* open addressing, 0 = empty */
	size_t slots;	  /* per generation, a power of two */
	size_t n_cur, per_gen;
	unsigned cur;
};

/* cap >= 2. Returns 0, -EINVAL or -ENOMEM. */
int agg_seen_init(struct agg_seen *s, size_t cap);
void agg_seen_done(struct agg_seen *s);
/* Adds (host, id). Returns 1 when it was new, 0 when already seen. */
int agg_seen_add(struct agg_seen *s, const char *host, const char *id);

#endif
