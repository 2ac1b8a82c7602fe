/* SPDX-License-Identifier: MIT */
/* fmt_journal.c - see fmt_journal.h. Pure: no I/O, no logging, no clock. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "alerter.h"
#include "escape.h"
#include "fmt_journal.h"
#include "incident.h"
#include "names.h"
#include "out_journal.h"
#include "timefmt.h"

/*
 * MESSAGE_ID of the built-in rules: fixed forever (the journal catalog,
 * systemd/rtmon.catalog, explains each; `journalctl MESSAGE_ID=...` relies on them).
 */
static const struct {
	const char *rule_id;
	const char *message_id;
} message_ids[] = {
	{ "reverse_shell", "a3b90cea1ff84171a4ba7a045377f637" },
	{ "injection_attempt", "cbcc861e00b74b44a72294b3958f495e" },
	{ "suspicious_exec", "0d41b85229ec413b95cc0c24da13348a" },
	{ "webshell_spawn", "2f7dd1ed03394a5084f8fbc2c50899fd" },
	{ "cloud_metadata_access", "0150065fbf854b40ab8cff9dd524b77b" },
	{ "crypto_miner", "037b0305646444d389f9006628e431cc" },
	{ "container_escape", "904399d11364449c829ac44381058127" },
	{ "network_scanner", "42d11c231af243bca2652b17279458ec" },
	{ "log_tampering", "0837d0a1ed2a401eaf94d9e74eacbbae" },
	{ "defense_evasion", "67f03e3d4209481bbff8db5575d91466" },
	{ "credential_access", "00038c5db96243b685423e0104c909df" },
	{ "k8s_api_from_container", "0b6457c4c7dd49eb9d3f974f28753c6c" },
	{ "hidden_exec", "2f562b0139554625a86bfc60840d09ec" },
	{ "kernel_module_load", "75142dbef416435caa2daaba20345493" },
	{ "privilege_escalation_shell", "f4478d8b46734225aa651063d2e7d252" },
	{ "sensitive_file_read", "5a209b8b5d8043189f15feb2cec17086" },
	{ "persistence_write", "001abe07ebc242a0a0c944087806aa2b" },
	{ "foreign_bpf_load", "c50f172104374fbe9e42235e7b5bf7ee" },
	{ "packet_socket", "35da61665d8942a8b5e803543af44828" },
	{ "bind_shell", "d581603b2cae40bc826fe3aee2bd122c" },
	{ "privilege_gain", "ca485174cde942589158055b3e37a321" },
	{ "loader_env_injection", "1e6828facc4f443d9ee7308f839f2f18" },
	{ "untrusted_library_load", "5e4723deddfc4a31bcad64e315673155" },
	{ "compat_exec", "b742d7f83f764c2bb1a618cd00add3d5" },
	{ "account_change", "10d2b56ba2264f04b4786d4593acf948" },
	{ "setuid_set", "523eda546879456db3fb4030d0baa11c" },
};

/* FNV-1a 64 with a chosen offset basis: two of them make the 128 bits of a derived id. */
static uint64_t fnv1a64(const char *s, uint64_t h)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void journal_message_id(const char *rule_id, char out[33])
{
	uint64_t hi, lo;

	if (!rule_id)
		rule_id = "";
	for (size_t i = 0; i < sizeof(message_ids) / sizeof(message_ids[0]); i++)
		if (strcmp(message_ids[i].rule_id, rule_id) == 0) {
			memcpy(out, message_ids[i].message_id, 33);
			return;
		}
	/* Stable across runs, hosts and versions: a hash of "rtmon:<rule id>" shaped as a v4 UUID. */
	hi = fnv1a64(rule_id, fnv1a64("rtmon:", 0xcbf29ce484222325ULL));
	lo = fnv1a64(rule_id, fnv1a64("rtmon:", 0x84222325cbf29ce4ULL));
	hi = (hi & ~0xf000ULL) | 0x4000ULL;		/* version 4 */
	lo = (lo & ~(0xc0ULL << 56)) | (0x80ULL << 56); /* RFC 4122 variant */
	snprintf(out, 33, "%016" PRIx64 "%016" PRIx64, hi, lo);
}

void journal_entry_clear(struct journal_entry *e)
{
	e->len = 0;
	e->n = 0;
}

void journal_entry_done(struct journal_entry *e)
{
	if (!e)
		return;
	free(e->buf);
	e->buf = NULL;
	e->len = e->cap = e->n = 0;
}

static bool field_name_valid(const char *name, size_t len)
{
	if (len == 0 || len > 64 || name[0] == '_' || (name[0] >= '0' && name[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			return false;
	return true;
}

static int entry_reserve(struct journal_entry *e, size_t more)
{
	size_t cap;
	char *p;

	if (e->cap - e->len >= more)
		return 0;
	cap = e->cap ? e->cap : 4096;
	while (cap - e->len < more)
		cap *= 2;
	p = realloc(e->buf, cap);
	if (!p)
		return -ENOMEM;
	e->buf = p;
	e->cap = cap;
	return 0;
}

int journal_entry_add(struct journal_entry *e, const char *name, const void *value, size_t len)
{
	size_t nl = strlen(name);
	struct journal_field *f;
	int r;

	if (!field_name_valid(name, nl))
		return -EINVAL;
	if (e->n >= JOURNAL_FIELDS_MAX)
		return -E2BIG;
	r = entry_reserve(e, nl + 1 + len);
	if (r < 0)
		return r;
	f = &e->f[e->n++];
	f->off = e->len;
	f->name_len = nl;
	f->value_len = len;
	memcpy(e->buf + e->len, name, nl);
	e->buf[e->len + nl] = '=';
	if (len)
		memcpy(e->buf + e->len + nl + 1, value, len);
	e->len += nl + 1 + len;
	return 0;
}

const char *journal_entry_get(const struct journal_entry *e, const char *name, size_t *ret_len)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i < e->n; i++) {
		const struct journal_field *f = &e->f[i];

		if (f->name_len == nl && memcmp(e->buf + f->off, name, nl) == 0) {
			if (ret_len)
				*ret_len = f->value_len;
			return e->buf + f->off + nl + 1;
		}
	}
	return NULL;
}

ssize_t journal_entry_serialize(const struct journal_entry *e, struct rtmon_sbuf *out)
{
	size_t total = 0, o = 0;
	char *b;

	for (size_t i = 0; i < e->n; i++)
		total += e->f[i].name_len + 1 + 8 + e->f[i].value_len + 1;
	sbuf_reset(out);
	sbuf_reserve(out, total);
	if (out->err)
		return out->err;
	b = out->p;
	for (size_t i = 0; i < e->n; i++) {
		const struct journal_field *f = &e->f[i];
		const char *name = e->buf + f->off, *v = name + f->name_len + 1;
		uint64_t le = f->value_len;

		memcpy(b + o, name, f->name_len);
		o += f->name_len;
		if (memchr(v, '\n', f->value_len)) {
			/* binary-safe form: NAME\n <le64 length> value \n */
			b[o++] = '\n';
			for (int k = 0; k < 8; k++)
				b[o++] = (char)((le >> (8 * k)) & 0xff);
		} else {
			b[o++] = '=';
		}
		memcpy(b + o, v, f->value_len);
		o += f->value_len;
		b[o++] = '\n';
	}
	b[o] = '\0';
	out->len = o;
	return (ssize_t)o;
}

/* ---- MESSAGE ---- */

/* Length of a valid, printable UTF-8 sequence at s (n bytes left), 0 if invalid or a C1 control. */
static size_t utf8_ok(const unsigned char *s, size_t n)
{
	size_t len = utf8_seq_len(s, n);

	/* C1 controls U+0080-U+009F (0x9b is CSI on some terminals) are encoded c2 80 - c2 9f */
	if (len == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		return 0;
	return len;
}

/* Appends s escaped to out[*o..max-1), NUL-terminated; stops at a whole character. */
static void put_escaped(char *out, size_t max, size_t *o, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);

	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		char tmp[8];
		size_t k = utf8_ok(s + i, n - i), tl;

		if (k == 1 && c >= 0x20 && c != 0x7f && c != '\\') {
			tmp[0] = (char)c;
			tl = 1;
		} else if (k > 1) {
			memcpy(tmp, s + i, k);
			tl = k;
		} else if (c == '\\') {
			tl = (size_t)snprintf(tmp, sizeof(tmp), "\\\\");
		} else if (c == '\n') {
			tl = (size_t)snprintf(tmp, sizeof(tmp), "\\n");
		} else if (c == '\t') {
			tl = (size_t)snprintf(tmp, sizeof(tmp), "\\t");
		} else if (c == '\r') {
			tl = (size_t)snprintf(tmp, sizeof(tmp), "\\r");
		} else {
			tl = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", c);
		}
		if (*o + tl >= max)
			break;
		memcpy(out + *o, tmp, tl);
		*o += tl;
		i += k ? k : 1;
	}
	out[*o] = '\0';
}

size_t journal_message(const struct rtmon_alert *a, char out[JOURNAL_MESSAGE_MAX])
{
	size_t o = 0;
	char tail[64] = "";

	put_escaped(out, JOURNAL_MESSAGE_MAX, &o, "rtmon: ");
	put_escaped(out, JOURNAL_MESSAGE_MAX, &o, a->rule_id ? a->rule_id : "?");
	put_escaped(out, JOURNAL_MESSAGE_MAX, &o, " (");
	put_escaped(out, JOURNAL_MESSAGE_MAX, &o, severity_name(a->severity) ? severity_name(a->severity) : "?");
	put_escaped(out, JOURNAL_MESSAGE_MAX, &o, "): ");
	if (a->folded)
		snprintf(tail, sizeof(tail), " (%s: %" PRIu32 " repeats)", a->summary_kind ? a->summary_kind : "fold",
			 a->folded);
	/* keep room for the summary tail so a long reason cannot hide it */
	put_escaped(out, JOURNAL_MESSAGE_MAX - strlen(tail), &o, a->reason);
	put_escaped(out, JOURNAL_MESSAGE_MAX, &o, tail);
	return o;
}

/* ---- fields ---- */

/* A NUL-terminated string (a pointer from the config, or a literal), at most JOURNAL_VALUE_MAX bytes. */
static int add_str(struct journal_entry *e, const char *name, const char *v)
{
	size_t n = strlen(v);

	return journal_entry_add(e, name, v, n < JOURNAL_VALUE_MAX ? n : JOURNAL_VALUE_MAX);
}

/* A fixed char array that may lack its NUL (bytes from the kernel): never reads past it. */
static int add_strn(struct journal_entry *e, const char *name, const char *v, size_t size)
{
	size_t n = strnlen(v, size);

	return journal_entry_add(e, name, v, n < JOURNAL_VALUE_MAX ? n : JOURNAL_VALUE_MAX);
}
#define ADD_ARRAY(e, name, arr) add_strn(e, name, arr, sizeof(arr))

static int add_fmt(struct journal_entry *e, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int add_fmt(struct journal_entry *e, const char *name, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	return journal_entry_add(e, name, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* RFC3339 UTC with microseconds, as in the alert JSON. */
static void rfc3339(uint64_t ns, char out[80])
{
	if (!time_rfc3339(ns, out, 80))
		snprintf(out, 80, "1970-01-01T00:00:00.000000Z");
}

static const char *family_name(unsigned f, char tmp[16])
{
	switch (f) {
	case AF_UNIX:
		return "unix";
	case AF_INET:
		return "inet";
	case AF_INET6:
		return "inet6";
	}
	snprintf(tmp, 16, "%u", f);
	return tmp;
}

struct flag_name {
	uint64_t bit;
	const char *name;
};

/* "A|B|0x40" from a bit table; "0" when no bit is set. */
static void flags_text(uint64_t v, const struct flag_name *t, size_t n, char *out, size_t max)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (v & t[i].bit) {
			o += (size_t)snprintf(out + o, max - o, "%s%s", o ? "|" : "", t[i].name);
			if (o >= max)
				return;
			v &= ~t[i].bit;
		}
	if (v || !o)
		snprintf(out + o, max - o, "%s0x%" PRIx64, o ? "|" : "", v);
}

static const struct flag_name prot_names[] = {
	{ 0x1, "PROT_READ" },
	{ 0x2, "PROT_WRITE" },
	{ 0x4, "PROT_EXEC" },
};
static const struct flag_name map_names[] = {
	{ 0x01, "MAP_SHARED" },	     { 0x02, "MAP_PRIVATE" },
	{ 0x10, "MAP_FIXED" },	     { 0x20, "MAP_ANONYMOUS" },
	{ 0x100, "MAP_GROWSDOWN" },  { 0x2000, "MAP_LOCKED" },
	{ 0x4000, "MAP_NORESERVE" }, { 0x8000, "MAP_POPULATE" },
	{ 0x20000, "MAP_STACK" },    { 0x100000, "MAP_FIXED_NOREPLACE" },
};
static const struct flag_name mfd_names[] = {
	{ 0x1, "MFD_CLOEXEC" },	    { 0x2, "MFD_ALLOW_SEALING" }, { 0x4, "MFD_HUGETLB" },
	{ 0x8, "MFD_NOEXEC_SEAL" }, { 0x10, "MFD_EXEC" },
};

static const char *ptrace_name(int64_t req, char tmp[24])
{
	static const struct {
		int64_t req;
		const char *name;
	} t[] = {
		{ 0, "PTRACE_TRACEME" },	{ 4, "PTRACE_POKETEXT" },   { 5, "PTRACE_POKEDATA" },
		{ 6, "PTRACE_POKEUSER" },	{ 13, "PTRACE_SETREGS" },   { 16, "PTRACE_ATTACH" },
		{ 0x4205, "PTRACE_SETREGSET" }, { 0x4206, "PTRACE_SEIZE" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].req == req)
			return t[i].name;
	snprintf(tmp, 24, "%" PRId64, req);
	return tmp;
}

/* argv joined by single spaces (the exact array is in RTMON_JSON). */
static int add_args(struct journal_entry *e, const struct rtmon_event *ev)
{
	size_t used = ev->args_len < sizeof(ev->args) ? ev->args_len : sizeof(ev->args);
	char buf[RTMON_ARGS_MAX];
	size_t o = 0;

	/* walk the NUL-separated argv within args_len (bounded even if args_len lies) */
	for (size_t i = 0; i < used;) {
		const char *a = ev->args + i;
		size_t l = strnlen(a, used - i);

		i += l + 1;
		if (o && o < sizeof(buf))
			buf[o++] = ' ';
		if (l > sizeof(buf) - o)
			l = sizeof(buf) - o;
		memcpy(buf + o, a, l);
		o += l;
	}
	return journal_entry_add(e, "RTMON_EVENT_ARGS", buf, o);
}

static const char *sock_type_name(unsigned t)
{
	return t == SOCK_STREAM ? "stream" : t == SOCK_DGRAM ? "dgram" : t == SOCK_SEQPACKET ? "seqpacket" : "other";
}

/* "peer" of a socket on fd 0/1: "inet:stream:127.0.0.1:4444" */
static int add_sock(struct journal_entry *e, const char *name, const struct rtmon_sock *s)
{
	char fam[16];

	if (!s->family)
		return 0;
	if (s->addr[0])
		return add_fmt(e, name, "%s:%s:%.*s:%u", family_name(s->family, fam), sock_type_name(s->type),
			       RTMON_ADDR_STR, s->addr, s->port);
	return add_fmt(e, name, "%s:%s", family_name(s->family, fam), sock_type_name(s->type));
}

#define TRY(x)                     \
	do {                       \
		int r_ = (x);      \
		if (r_ < 0)        \
			return r_; \
	} while (0)

static int add_event_process(struct journal_entry *e, const struct rtmon_event *ev)
{
	const char *type = event_type_name(ev->type);
	char ts[80];

	TRY(add_str(e, "RTMON_EVENT_TYPE", type ? type : "unknown"));
	rfc3339(ev->time_ns, ts);
	TRY(ADD_ARRAY(e, "RTMON_EVENT_TIME", ts));
	TRY(add_fmt(e, "RTMON_EVENT_PID", "%" PRIu32, ev->pid));
	if (ev->has & RTMON_HAS_TID)
		TRY(add_fmt(e, "RTMON_EVENT_TID", "%" PRIu32, ev->tid));
	if (ev->has & RTMON_HAS_PPID)
		TRY(add_fmt(e, "RTMON_EVENT_PPID", "%" PRIu32, ev->ppid));
	if (ev->has & RTMON_HAS_UID) {
		TRY(add_fmt(e, "RTMON_EVENT_UID", "%" PRIu32, ev->uid));
		TRY(add_fmt(e, "RTMON_EVENT_GID", "%" PRIu32, ev->gid));
	}
	if (ev->has & RTMON_HAS_AUID)
		TRY(add_fmt(e, "RTMON_EVENT_AUID", "%" PRIu32, ev->auid));
	if (ev->has & RTMON_HAS_COMM)
		TRY(ADD_ARRAY(e, "RTMON_EVENT_COMM", ev->comm));
	if (ev->has & RTMON_HAS_EXE) {
		TRY(ADD_ARRAY(e, "RTMON_EVENT_EXE", ev->exe));
		if (ev->exe_deleted)
			TRY(add_str(e, "RTMON_EVENT_EXE_DELETED", "1"));
		if (ev->exe_memfd)
			TRY(add_str(e, "RTMON_EVENT_EXE_MEMFD", "1"));
		if (ev->exe_truncated)
			TRY(add_str(e, "RTMON_EVENT_EXE_TRUNCATED", "1"));
	}
	if (ev->has & RTMON_HAS_ARGS) {
		TRY(add_args(e, ev));
		TRY(add_fmt(e, "RTMON_EVENT_ARGC", "%" PRIu32, ev->argc));
		if (ev->args_truncated)
			TRY(add_str(e, "RTMON_EVENT_ARGS_TRUNCATED", "1"));
	}
	if (ev->has & RTMON_HAS_CWD)
		TRY(ADD_ARRAY(e, "RTMON_EVENT_CWD", ev->cwd));
	if (ev->has & RTMON_HAS_FILENAME)
		TRY(ADD_ARRAY(e, "RTMON_EVENT_FILENAME", ev->filename));
	for (size_t i = 0; i < ev->env_len && i < sizeof(ev->env); i += strnlen(ev->env + i, sizeof(ev->env) - i) + 1)
		TRY(add_strn(e, "RTMON_EVENT_ENV", ev->env + i, sizeof(ev->env) - i));
	if (ev->compat)
		TRY(add_str(e, "RTMON_EVENT_COMPAT", "1"));
	if (ev->has & RTMON_HAS_CGROUP)
		TRY(add_fmt(e, "RTMON_EVENT_CGROUP_ID", "%" PRIu64, ev->cgroup_id));
	if (ev->has & RTMON_HAS_CGROUP_PATH)
		TRY(ADD_ARRAY(e, "RTMON_EVENT_CGROUP", ev->cgroup_path));
	if (ev->has & RTMON_HAS_CONTAINER)
		TRY(ADD_ARRAY(e, "RTMON_EVENT_CONTAINER_ID", ev->container_id));
	if (ev->fold_count)
		TRY(add_fmt(e, "RTMON_EVENT_FOLD_COUNT", "%" PRIu32, ev->fold_count));
	return 0;
}

static int add_event_action(struct journal_entry *e, const struct rtmon_event *ev)
{
	char tmp[256];

	if (ev->has & RTMON_HAS_STDIO) {
		TRY(add_str(e, "RTMON_EVENT_STDIN_SOCKET", ev->stdin_socket ? "1" : "0"));
		TRY(add_str(e, "RTMON_EVENT_STDOUT_SOCKET", ev->stdout_socket ? "1" : "0"));
		if (ev->stdin_socket)
			TRY(add_sock(e, "RTMON_EVENT_STDIN_PEER", &ev->stdin_sock));
		if (ev->stdout_socket)
			TRY(add_sock(e, "RTMON_EVENT_STDOUT_PEER", &ev->stdout_sock));
	}
	if (ev->has & RTMON_HAS_NET) {
		TRY(add_str(e, "RTMON_EVENT_FAMILY", family_name(ev->family, tmp)));
		if (ev->dst_addr[0]) {
			TRY(add_fmt(e, "RTMON_EVENT_DST_ADDR", "%.*s", RTMON_ADDR_STR, ev->dst_addr));
			TRY(add_fmt(e, "RTMON_EVENT_DST_PORT", "%u", ev->dst_port));
		}
		if (ev->protocol)
			TRY(add_str(e, "RTMON_EVENT_PROTOCOL",
				    names_label(rtmon_protocol_names, ev->protocol, tmp, sizeof(tmp))));
	}
	if (ev->has & RTMON_HAS_PTRACE) {
		TRY(add_str(e, "RTMON_EVENT_PTRACE_REQUEST", ptrace_name(ev->ptrace_request, tmp)));
		TRY(add_fmt(e, "RTMON_EVENT_TARGET_PID", "%" PRIu32, ev->target_pid));
	} else if (ev->has & RTMON_HAS_TARGET) {
		TRY(add_fmt(e, "RTMON_EVENT_TARGET_PID", "%" PRIu32, ev->target_pid));
	}
	if (ev->has & RTMON_HAS_TARGET_PPID)
		TRY(add_fmt(e, "RTMON_EVENT_TARGET_PPID", "%" PRIu32, ev->target_ppid));
	if (ev->has & RTMON_HAS_MEM) {
		flags_text(ev->prot, prot_names, sizeof(prot_names) / sizeof(prot_names[0]), tmp, sizeof(tmp));
		TRY(ADD_ARRAY(e, "RTMON_EVENT_PROT", tmp));
		if (ev->type == RTMON_EV_MMAP) {
			flags_text(ev->mmap_flags, map_names, sizeof(map_names) / sizeof(map_names[0]), tmp,
				   sizeof(tmp));
			TRY(ADD_ARRAY(e, "RTMON_EVENT_FLAGS", tmp));
			TRY(add_fmt(e, "RTMON_EVENT_FD", "%" PRId32, ev->fd));
		}
		TRY(add_fmt(e, "RTMON_EVENT_MEM_ADDR", "0x%" PRIx64, ev->mem_addr));
		TRY(add_fmt(e, "RTMON_EVENT_MEM_LEN", "%" PRIu64, ev->mem_len));
		if (ev->map_file)
			TRY(ADD_ARRAY(e, "RTMON_EVENT_PATH", ev->path));
	}
	if (ev->has & RTMON_HAS_VMA) {
		TRY(add_str(e, "RTMON_EVENT_VMA_ANON", ev->vma_anon ? "1" : "0"));
		TRY(add_str(e, "RTMON_EVENT_VMA_WRITE", ev->vma_write ? "1" : "0"));
		TRY(add_str(e, "RTMON_EVENT_VMA_EXEC", ev->vma_exec ? "1" : "0"));
	}
	if (ev->has & RTMON_HAS_MEMFD) {
		TRY(ADD_ARRAY(e, "RTMON_EVENT_MEMFD_NAME", ev->memfd_name));
		flags_text(ev->memfd_flags, mfd_names, sizeof(mfd_names) / sizeof(mfd_names[0]), tmp, sizeof(tmp));
		TRY(ADD_ARRAY(e, "RTMON_EVENT_MEMFD_FLAGS", tmp));
	}
	if (ev->has & RTMON_HAS_FILE) {
		size_t off = 0;

		TRY(ADD_ARRAY(e, "RTMON_EVENT_PATH", ev->path));
		tmp[0] = '\0';
		for (const struct rtmon_name_val *n = rtmon_file_op_names; n->name && off < sizeof(tmp); n++)
			if (ev->file_ops & (uint32_t)n->val)
				off += (size_t)snprintf(tmp + off, sizeof(tmp) - off, "%s%s", off ? "," : "", n->name);
		TRY(ADD_ARRAY(e, "RTMON_EVENT_FILE_OP", tmp));
	}
	if (ev->has & RTMON_HAS_KSYS) {
		if (ev->type == RTMON_EV_MODULE)
			TRY(ADD_ARRAY(e, "RTMON_EVENT_MODULE_NAME", ev->ksys_str));
		if (ev->type == RTMON_EV_BPF_PROG) {
			TRY(ADD_ARRAY(
				e, "RTMON_EVENT_BPF_PROG_TYPE",
				names_label(rtmon_bpf_prog_type_names, (int64_t)ev->ksys_arg0, tmp, sizeof(tmp))));
			TRY(ADD_ARRAY(e, "RTMON_EVENT_BPF_PROG_NAME", ev->ksys_str));
		}
		if (ev->type == RTMON_EV_LISTEN)
			TRY(add_fmt(e, "RTMON_EVENT_LOCAL_PORT", "%" PRIu64, ev->ksys_arg1));
		if (ev->type == RTMON_EV_NAMESPACE)
			TRY(ADD_ARRAY(e, "RTMON_EVENT_NS_OP",
				      names_label(rtmon_ns_op_names, ev->ksys_op, tmp, sizeof(tmp))));
		if (ev->type == RTMON_EV_MOUNT) {
			TRY(ADD_ARRAY(e, "RTMON_EVENT_MOUNT_SOURCE", ev->ksys_str));
			TRY(ADD_ARRAY(e, "RTMON_EVENT_MOUNT_TARGET", ev->ksys_str2));
		}
		if (ev->type == RTMON_EV_UNIX_CONNECT)
			TRY(ADD_ARRAY(e, "RTMON_EVENT_UNIX_PATH", ev->ksys_str));
	}
	if (ev->has & RTMON_HAS_EXIT)
		TRY(add_fmt(e, "RTMON_EVENT_EXIT_CODE", "%" PRIu32, ev->exit_code));
	if (ev->has & RTMON_HAS_DUP) {
		TRY(add_fmt(e, "RTMON_EVENT_OLDFD", "%" PRId32, ev->oldfd));
		TRY(add_fmt(e, "RTMON_EVENT_NEWFD", "%" PRId32, ev->newfd));
		TRY(add_sock(e, "RTMON_EVENT_DUP_PEER", &ev->dup_sock));
	}
	return 0;
}

/* "567:sshd:/usr/sbin/sshd 1:systemd" (nearest ancestor first) */
static int add_lineage(struct journal_entry *e, const struct rtmon_alert *a)
{
	char buf[RTMON_LINEAGE_MAX * 600];
	size_t o = 0;

	for (size_t i = 0; i < a->n_lineage && i < RTMON_LINEAGE_MAX; i++) {
		const struct rtmon_ancestor *p = &a->lineage[i];
		int n = snprintf(buf + o, sizeof(buf) - o, "%s%" PRIu32 ":%.*s%s%.*s", o ? " " : "", p->pid,
				 RTMON_COMM_MAX, p->comm ? p->comm : "", p->exe ? ":" : "", 512, p->exe ? p->exe : "");

		if (n < 0 || (size_t)n >= sizeof(buf) - o) {
			o = sizeof(buf) - 1;
			break;
		}
		o += (size_t)n;
	}
	return journal_entry_add(e, "RTMON_LINEAGE", buf, o);
}

static int add_container(struct journal_entry *e, const struct rtmon_container *c)
{
	TRY(ADD_ARRAY(e, "RTMON_CONTAINER_ID", c->id));
	if (c->runtime[0])
		TRY(ADD_ARRAY(e, "RTMON_CONTAINER_RUNTIME", c->runtime));
	if (c->image[0])
		TRY(ADD_ARRAY(e, "RTMON_CONTAINER_IMAGE", c->image));
	if (c->pod[0])
		TRY(ADD_ARRAY(e, "RTMON_POD", c->pod));
	if (c->pod_uid[0])
		TRY(ADD_ARRAY(e, "RTMON_POD_UID", c->pod_uid));
	if (c->ns[0])
		TRY(ADD_ARRAY(e, "RTMON_NAMESPACE", c->ns));
	return 0;
}

static int add_summary_pids(struct journal_entry *e, const struct rtmon_alert_summary *s)
{
	char buf[RTMON_SUMMARY_PIDS * 12];
	size_t o = 0;

	for (size_t i = 0; i < s->seen.n_pids; i++) {
		int n = snprintf(buf + o, sizeof(buf) - o, "%s%" PRIu32, o ? "," : "", s->seen.pids[i]);

		if (n > 0 && (size_t)n < sizeof(buf) - o)
			o += (size_t)n;
	}
	return journal_entry_add(e, "RTMON_SUMMARY_PIDS", buf, o);
}

/* One line per command of an incident's timeline: "time pid exe arg1 arg2 ...", for journalctl -o verbose. */
static int add_incident_commands(struct journal_entry *e, const struct rtmon_incident *inc)
{
	char buf[JOURNAL_VALUE_MAX], ts[80];
	size_t o = 0;

	for (size_t i = 0; i < inc->n_entries && o + 1 < sizeof(buf); i++) {
		const struct rtmon_incident_entry *en = &inc->entries[i];
		int n;

		if (en->type != RTMON_EV_EXEC)
			continue;
		rfc3339(en->time_ns, ts);
		n = snprintf(buf + o, sizeof(buf) - o, "%s%s %" PRIu32 " %s", o ? "\n" : "", ts, en->pid, en->exe);
		if (n < 0 || (size_t)n >= sizeof(buf) - o)
			break;
		o += (size_t)n;
		for (size_t k = 0; k < en->args_len && o + 2 < sizeof(buf);) {
			size_t len = strnlen(en->args + k, en->args_len - k);
			size_t take = len < sizeof(buf) - o - 2 ? len : sizeof(buf) - o - 2;

			buf[o++] = ' ';
			for (size_t j = 0; j < take; j++) /* a newline inside an argument would split the line */
				buf[o++] = en->args[k + j] == '\n' ? ' ' : en->args[k + j];
			k += len + 1;
		}
	}
	return o ? journal_entry_add(e, "RTMON_INCIDENT_COMMANDS", buf, o) : 0;
}

static int add_incident(struct journal_entry *e, const struct rtmon_incident *inc)
{
	TRY(add_str(e, "RTMON_KIND", "incident"));
	TRY(add_str(e, "RTMON_INCIDENT_STATE", inc->state == RTMON_INCIDENT_OPEN ? "open" : "closed"));
	TRY(add_fmt(e, "RTMON_INCIDENT_UPDATE", "%" PRIu32, inc->updates));
	TRY(add_fmt(e, "RTMON_INCIDENT_ROOT_PID", "%" PRIu32, inc->root_pid));
	TRY(ADD_ARRAY(e, "RTMON_INCIDENT_ROOT_EXE", inc->root_exe));
	TRY(add_fmt(e, "RTMON_INCIDENT_ALERTS", "%" PRIu32, inc->counts.alerts));
	TRY(add_fmt(e, "RTMON_INCIDENT_EXECS", "%" PRIu32, inc->counts.execs));
	TRY(add_fmt(e, "RTMON_INCIDENT_MATCHES", "%" PRIu32, inc->counts.matches));
	TRY(add_fmt(e, "RTMON_INCIDENT_PROCESSES", "%" PRIu32, inc->counts.processes));
	return add_incident_commands(e, inc);
}

static int add_alert(struct journal_entry *e, const struct rtmon_alert *a)
{
	char buf[RTMON_MITRE_MAX * 32], ts[80];
	size_t o = 0;

	TRY(ADD_ARRAY(e, "RTMON_ID", a->id));
	TRY(add_fmt(e, "RTMON_SEQ", "%" PRIu64, a->seq));
	TRY(add_str(e, "RTMON_RULE_ID", a->rule_id ? a->rule_id : ""));
	if (a->description)
		TRY(add_str(e, "RTMON_DESCRIPTION", a->description));
	TRY(add_str(e, "RTMON_SEVERITY", severity_name(a->severity) ? severity_name(a->severity) : "?"));
	TRY(add_fmt(e, "RTMON_RISK_SCORE", "%d", a->risk_score));
	TRY(ADD_ARRAY(e, "RTMON_REASON", a->reason));
	for (size_t i = 0; i < a->n_mitre && i < RTMON_MITRE_MAX; i++) {
		int n = snprintf(buf + o, sizeof(buf) - o, "%s%.24s", o ? "," : "", a->mitre[i] ? a->mitre[i] : "");

		if (n > 0 && (size_t)n < sizeof(buf) - o)
			o += (size_t)n;
	}
	if (o)
		TRY(journal_entry_add(e, "RTMON_MITRE", buf, o));
	rfc3339(a->time_ns, ts);
	TRY(ADD_ARRAY(e, "RTMON_TIMESTAMP", ts));
	if (a->host)
		TRY(add_str(e, "RTMON_HOST", a->host));
	if (a->addr[0])
		TRY(add_fmt(e, "RTMON_ADDR", "%.*s", (int)sizeof(a->addr), a->addr));
	if (a->incident_id[0])
		TRY(ADD_ARRAY(e, "RTMON_INCIDENT_ID", a->incident_id));
	if (a->incident)
		TRY(add_incident(e, a->incident));
	if (a->summary && a->summary->seen.n_pids)
		TRY(add_summary_pids(e, a->summary));
	if (a->folded) {
		TRY(add_fmt(e, "RTMON_FOLDED", "%" PRIu32, a->folded));
		TRY(add_str(e, "RTMON_SUMMARY_KIND", a->summary_kind ? a->summary_kind : "fold"));
		rfc3339(a->first_ns, ts);
		TRY(ADD_ARRAY(e, "RTMON_FIRST_TIMESTAMP", ts));
		rfc3339(a->last_ns, ts);
		TRY(ADD_ARRAY(e, "RTMON_LAST_TIMESTAMP", ts));
	}
	return 0;
}

int fmt_journal(const struct rtmon_alert *a, const char *json, struct journal_entry *e)
{
	char msg[JOURNAL_MESSAGE_MAX], mid[33];
	size_t ml;

	journal_entry_clear(e);
	ml = journal_message(a, msg);
	TRY(journal_entry_add(e, "MESSAGE", msg, ml));
	TRY(add_fmt(e, "PRIORITY", "%d", severity_journal_priority(a->severity)));
	TRY(add_str(e, "SYSLOG_IDENTIFIER", "rtmon"));
	journal_message_id(a->rule_id, mid);
	TRY(add_str(e, "MESSAGE_ID", mid));
	TRY(add_alert(e, a));
	if (a->event) {
		TRY(add_event_process(e, a->event));
		TRY(add_event_action(e, a->event));
	}
	if (a->n_lineage)
		TRY(add_lineage(e, a));
	if (a->container)
		TRY(add_container(e, a->container));
	if (json) {
		size_t jl = strnlen(json, JOURNAL_JSON_MAX + 1);

		/* a cut JSON would not parse: leave it out and say so */
		if (jl > JOURNAL_JSON_MAX)
			TRY(add_str(e, "RTMON_JSON_TRUNCATED", "1"));
		else
			TRY(journal_entry_add(e, "RTMON_JSON", json, jl));
	}
	return 0;
}
