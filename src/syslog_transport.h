/* SPDX-License-Identifier: MIT */
/*
 * syslog_transport.h - one non-blocking connection to a syslog receiver over
 * UDP, TCP or TLS (GnuTLS, RFC5425).  Every call returns at once: name
 * resolution (getaddrinfo_a for names that are not IP literals), connect and
 * the TLS handshake advance when the caller reports readiness of the fd
 * (strans_want() says for what) or calls strans_progress() from its tick.
 * Errors come back as -errno with a one-line explanation in t->err; nothing
 * here logs.  RELP has its own module (syslog_relp.c).
 */
#ifndef RTMON_SYSLOG_TRANSPORT_H
#define RTMON_SYSLOG_TRANSPORT_H

#include <netdb.h>
#include <stdint.h>
#include <sys/types.h>

#include <gnutls/gnutls.h>

#include "config.h"

enum strans_state {
	STRANS_IDLE = 0,
	STRANS_RESOLVING,
	STRANS_CONNECTING,
	STRANS_HANDSHAKE,
	STRANS_UP
};

struct strans {
	enum rtmon_syslog_proto proto;
	enum strans_state state;
	int fd;	       /* -1 when none */
	uint64_t wire; /* bytes the kernel accepted on this connection */
	gnutls_session_t tls;
	gnutls_certificate_credentials_t cred;
	struct strans_gai *gai; /* asynchronous resolution in flight (heap: see strans_close) */
	struct addrinfo gai_hints;
	char port_str[8];
	struct addrinfo *ai, *ai_cur;
	char verify_name[256]; /* GnuTLS keeps a pointer to the name to verify */
	int tls_wants_write;   /* last GnuTLS call waited for POLLOUT */
	char err[512];
};

void strans_init(struct strans *t);
/*
 * Starts a connection: 1 = up (UDP), 0 = in progress (watch strans_fd() for
 * strans_want(), call strans_progress()), -errno = failed (t->err).
 */
int strans_start(struct strans *t, const struct rtmon_syslog_conf *c);
/* Advances resolution / connect / handshake: 1 up, 0 in progress, -errno failed. */
int strans_progress(struct strans *t, const struct rtmon_syslog_conf *c);
/* The epoll events the current state waits for (0 while resolving). */
uint32_t strans_want(const struct strans *t, int have_data);
/* Writes: bytes accepted (> 0), -EAGAIN, or -errno (t->err). */
ssize_t strans_send(struct strans *t, const void *buf, size_t len);
/* Reads and discards what the peer sent: 0, or -EPIPE when it closed (t->err), -errno. */
int strans_drain_input(struct strans *t);
/* Stream bytes the peer has acknowledged (wire - SIOCOUTQ); 0 or -errno. */
int strans_acked(struct strans *t, uint64_t *ret);
/* Closes the connection (and the TLS session); keeps nothing. */
void strans_close(struct strans *t);
/* Frees the credentials as well (for a reload of CA/cert files). */
void strans_fini(struct strans *t);

#endif
