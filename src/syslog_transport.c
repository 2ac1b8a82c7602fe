/* SPDX-License-Identifier: MIT */
/* syslog_transport.c - see syslog_transport.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, getaddrinfo_a, pthread_timedjoin_np */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/x509.h>

#include "syslog_transport.h"

static int fail(struct strans *t, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct strans *t, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
	return r;
}

void strans_init(struct strans *t)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
}

/* An asynchronous lookup: owns copies of what the resolver thread reads. */
struct strans_gai {
	struct gaicb cb;
	struct addrinfo hints;
	char host[256], port[8];
};

static void free_ai(struct strans *t)
{
	if (t->gai) {
		/*
		 * The resolver thread writes into a request until it completes: cancel
		 * it, and when it is already running, leave it to finish on its own
		 * (a small, one-off leak) rather than wait on the loop thread.
		 */
		int r = gai_cancel(&t->gai->cb);

		if (r == EAI_NOTCANCELED && gai_error(&t->gai->cb) == EAI_INPROGRESS) {
			t->gai = NULL;
		} else {
			if (t->gai->cb.ar_result && t->gai->cb.ar_result != t->ai)
				freeaddrinfo(t->gai->cb.ar_result);
			free(t->gai);
			t->gai = NULL;
		}
	}
	if (t->ai)
		freeaddrinfo(t->ai);
	t->ai = t->ai_cur = NULL;
}

void strans_close(struct strans *t)
{
	if (t->tls) {
		if (t->state == STRANS_UP)
			(void)gnutls_bye(t->tls, GNUTLS_SHUT_WR); /* best effort, non-blocking */
		gnutls_deinit(t->tls);
		t->tls = NULL;
	}
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	free_ai(t);
	t->state = STRANS_IDLE;
	t->wire = 0;
	t->tls_wants_write = 0;
}

void strans_fini(struct strans *t)
{
	strans_close(t);
	if (t->cred)
		gnutls_certificate_free_credentials(t->cred);
	t->cred = NULL;
}

/* GnuTLS writes through us so that 'wire' counts the bytes on the connection. */
static ssize_t tls_push(gnutls_transport_ptr_t p, const void *buf, size_t len)
{
	struct strans *t = p;
	ssize_t r = send(t->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (r > 0)
		t->wire += (uint64_t)r;
	else if (r < 0)
		gnutls_transport_set_errno(t->tls, errno);
	return r;
}

static ssize_t tls_pull(gnutls_transport_ptr_t p, void *buf, size_t len)
{
	struct strans *t = p;
	ssize_t r = recv(t->fd, buf, len, MSG_DONTWAIT);

	if (r < 0)
		gnutls_transport_set_errno(t->tls, errno);
	return r;
}

static int load_cred(struct strans *t, const struct rtmon_syslog_conf *c)
{
	int r;

	if (t->cred)
		return 0;
	r = gnutls_certificate_allocate_credentials(&t->cred);
	if (r < 0)
		return fail(t, -ENOMEM, "TLS credentials: %s", gnutls_strerror(r));
	if (c->ca_file && c->ca_file[0]) {
		r = gnutls_certificate_set_x509_trust_file(t->cred, c->ca_file, GNUTLS_X509_FMT_PEM);
		if (r <= 0) {
			fail(t, -EINVAL, "cannot load CA file %s: %s", c->ca_file,
			     r == 0 ? "no certificate in it" : gnutls_strerror(r));
			goto bad;
		}
	} else {
		r = gnutls_certificate_set_x509_system_trust(t->cred);
		if (r < 0) {
			fail(t, -EINVAL, "cannot load the system's trusted CAs: %s", gnutls_strerror(r));
			goto bad;
		}
	}
	if (c->cert_file && c->cert_file[0]) {
		const char *key = c->key_file && c->key_file[0] ? c->key_file : c->cert_file;

		r = gnutls_certificate_set_x509_key_file(t->cred, c->cert_file, key, GNUTLS_X509_FMT_PEM);
		if (r < 0) {
			fail(t, -EINVAL, "cannot load client certificate %s / key %s: %s", c->cert_file, key,
			     gnutls_strerror(r));
			goto bad;
		}
	}
	return 0;
bad:
	gnutls_certificate_free_credentials(t->cred);
	t->cred = NULL;
	return -EINVAL;
}

static bool is_ip_literal(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static int tls_setup(struct strans *t, const struct rtmon_syslog_conf *c)
{
	const char *name = c->tls_server_name && c->tls_server_name[0] ? c->tls_server_name : c->host;
	int r;

	r = load_cred(t, c);
	if (r < 0)
		return r;
	r = gnutls_init(&t->tls, GNUTLS_CLIENT | GNUTLS_NONBLOCK);
	if (r < 0)
		return fail(t, -ENOMEM, "TLS session: %s", gnutls_strerror(r));
	if ((r = gnutls_set_default_priority(t->tls)) < 0 ||
	    (r = gnutls_credentials_set(t->tls, GNUTLS_CRD_CERTIFICATE, t->cred)) < 0 ||
	    (!is_ip_literal(name) && (r = gnutls_server_name_set(t->tls, GNUTLS_NAME_DNS, name, strlen(name))) < 0))
		return fail(t, -EINVAL, "TLS session setup: %s", gnutls_strerror(r));
	/* verifies the chain against the CA, and the name (DNS or IP SAN) unless switched off;
	 * GnuTLS keeps the pointer, and c may be replaced by a reload: our own copy */
	snprintf(t->verify_name, sizeof(t->verify_name), "%s", name);
	gnutls_session_set_verify_cert(t->tls, c->tls_verify_hostname ? t->verify_name : NULL, 0);
	gnutls_transport_set_ptr(t->tls, t);
	gnutls_transport_set_push_function(t->tls, tls_push);
	gnutls_transport_set_pull_function(t->tls, tls_pull);
	/* the caller enforces its own connect timeout; a GnuTLS timer would need polling */
	gnutls_handshake_set_timeout(t->tls, 0);
	t->state = STRANS_HANDSHAKE;
	return 0;
}

static int tls_handshake(struct strans *t)
{
	gnutls_datum_t txt = { 0 };
	unsigned status;
	int r;

	r = gnutls_handshake(t->tls);
	if (r == GNUTLS_E_SUCCESS) {
		t->state = STRANS_UP;
		return 1;
	}
	if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED || !gnutls_error_is_fatal(r)) {
		t->tls_wants_write = gnutls_record_get_direction(t->tls);
		return 0;
	}
	if (r == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
		status = gnutls_session_get_verify_cert_status(t->tls);
		if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &txt, 0) == 0) {
			size_t n = strlen((const char *)txt.data);

			while (n > 0 && (txt.data[n - 1] == ' ' || txt.data[n - 1] == '\n'))
				n--;
			fail(t, -EPERM, "certificate verify failed: %.*s", (int)n, (const char *)txt.data);
			gnutls_free(txt.data);
			return -EPERM;
		}
		return fail(t, -EPERM, "certificate verify failed: status 0x%x", status);
	}
	return fail(t, -ECONNABORTED, "TLS handshake failed: %s", gnutls_strerror(r));
}

/* Connects to t->ai_cur, trying the next address on an immediate failure. */
static int try_connect(struct strans *t, const struct rtmon_syslog_conf *c)
{
	int type = t->proto == RTMON_SYSLOG_UDP ? SOCK_DGRAM : SOCK_STREAM, r = -EHOSTUNREACH;

	for (; t->ai_cur; t->ai_cur = t->ai_cur->ai_next) {
		t->fd = socket(t->ai_cur->ai_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (t->fd < 0) {
			r = fail(t, -errno, "socket: %s", strerror(errno));
			continue;
		}
		if (type == SOCK_STREAM) {
			int one = 1;

			(void)setsockopt(t->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			(void)setsockopt(t->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
		}
		if (connect(t->fd, t->ai_cur->ai_addr, t->ai_cur->ai_addrlen) == 0) {
			if (t->proto == RTMON_SYSLOG_TLS)
				return tls_setup(t, c) < 0 ? -EINVAL : tls_handshake(t);
			t->state = STRANS_UP;
			return 1;
		}
		if (errno == EINPROGRESS) {
			t->state = STRANS_CONNECTING;
			return 0;
		}
		r = fail(t, -errno, "connect: %s", strerror(errno));
		close(t->fd);
		t->fd = -1;
	}
	return r;
}

int strans_start(struct strans *t, const struct rtmon_syslog_conf *c)
{
	struct gaicb *list[1];
	int r;

	strans_close(t);
	t->proto = c->proto;
	t->err[0] = '\0';
	snprintf(t->port_str, sizeof(t->port_str), "%u", (unsigned)c->port);
	t->gai_hints = (struct addrinfo){
		.ai_socktype = c->proto == RTMON_SYSLOG_UDP ? SOCK_DGRAM : SOCK_STREAM,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
	};
	if (getaddrinfo(c->host, t->port_str, &t->gai_hints, &t->ai) == 0) {
		t->ai_cur = t->ai;
		return try_connect(t, c);
	}
	t->ai = NULL;
	/* a name: resolve in glibc's resolver thread, so the loop never waits on DNS */
	t->gai = calloc(1, sizeof(*t->gai));
	if (!t->gai)
		return fail(t, -ENOMEM, "resolving %s: out of memory", c->host);
	snprintf(t->gai->host, sizeof(t->gai->host), "%s", c->host);
	snprintf(t->gai->port, sizeof(t->gai->port), "%s", t->port_str);
	t->gai->hints = (struct addrinfo){ .ai_socktype = t->gai_hints.ai_socktype,
					   .ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG };
	t->gai->cb = (struct gaicb){ .ar_name = t->gai->host,
				     .ar_service = t->gai->port,
				     .ar_request = &t->gai->hints };
	list[0] = &t->gai->cb;
	r = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
	if (r != 0) {
		free(t->gai);
		t->gai = NULL;
		return fail(t, -EAGAIN, "resolving %s: %s", c->host, gai_strerror(r));
	}
	t->state = STRANS_RESOLVING;
	return 0;
}

static int progress_resolve(struct strans *t, const struct rtmon_syslog_conf *c)
{
	int r = gai_error(&t->gai->cb);

	if (r == EAI_INPROGRESS)
		return 0;
	t->state = STRANS_IDLE;
	t->ai = t->gai->cb.ar_result;
	free(t->gai);
	t->gai = NULL;
	if (r != 0)
		return fail(t, -EHOSTUNREACH, "resolving %s: %s", c->host, gai_strerror(r));
	t->ai_cur = t->ai;
	return try_connect(t, c);
}

int strans_progress(struct strans *t, const struct rtmon_syslog_conf *c)
{
	int err = 0;
	socklen_t len = sizeof(err);

	switch (t->state) {
	case STRANS_RESOLVING:
		return progress_resolve(t, c);
	case STRANS_CONNECTING:
		if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err == 0) {
			/* SO_ERROR 0 also before the connect finished: check we are connected */
			struct sockaddr_storage peer;
			socklen_t plen = sizeof(peer);

			if (getpeername(t->fd, (struct sockaddr *)&peer, &plen) < 0)
				return errno == ENOTCONN ? 0 : fail(t, -errno, "connect: %s", strerror(errno));
			if (t->proto != RTMON_SYSLOG_TLS) {
				t->state = STRANS_UP;
				return 1;
			}
			if (tls_setup(t, c) < 0)
				return -EINVAL;
			return tls_handshake(t);
		}
		fail(t, -err, "connect: %s", strerror(err));
		close(t->fd);
		t->fd = -1;
		/* the next address, if the name had several */
		if (t->ai_cur && t->ai_cur->ai_next) {
			int r;
			char keep[sizeof(t->err)];

			memcpy(keep, t->err, sizeof(keep));
			t->ai_cur = t->ai_cur->ai_next;
			r = try_connect(t, c);
			if (r < 0)
				memcpy(t->err, keep, sizeof(keep));
			return r;
		}
		return -err;
	case STRANS_HANDSHAKE:
		return tls_handshake(t);
	case STRANS_UP:
		return 1;
	case STRANS_IDLE:
	default:
		return fail(t, -ENOTCONN, "not connected");
	}
}

uint32_t strans_want(const struct strans *t, int have_data)
{
	switch (t->state) {
	case STRANS_CONNECTING:
		return EPOLLOUT;
	case STRANS_HANDSHAKE:
		return t->tls_wants_write ? EPOLLOUT : EPOLLIN;
	case STRANS_UP:
		/* streams: always read, to see the peer's close at once */
		if (t->proto == RTMON_SYSLOG_UDP)
			return have_data ? EPOLLOUT : 0;
		return EPOLLIN | EPOLLRDHUP | (have_data || t->tls_wants_write ? EPOLLOUT : 0u);
	default:
		return 0;
	}
}

ssize_t strans_send(struct strans *t, const void *buf, size_t len)
{
	ssize_t r;

	if (t->state != STRANS_UP)
		return fail(t, -ENOTCONN, "not connected");
	if (t->tls) {
		r = gnutls_record_send(t->tls, buf, len);
		if (r >= 0) {
			t->tls_wants_write = 0;
			return r;
		}
		if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) {
			t->tls_wants_write = 1;
			return -EAGAIN;
		}
		return fail(t, -EPIPE, "TLS send: %s", gnutls_strerror((int)r));
	}
	r = send(t->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (r >= 0) {
		t->wire += (uint64_t)r;
		return r;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return -EAGAIN;
	return fail(t, -errno, "send: %s", strerror(errno));
}

int strans_drain_input(struct strans *t)
{
	char buf[4096];
	ssize_t r;

	if (t->state != STRANS_UP)
		return 0;
	if (t->proto == RTMON_SYSLOG_UDP) {
		/* a pending ICMP error (EPOLLERR, level-triggered): read it to clear it */
		int err = 0;
		socklen_t len = sizeof(err);

		(void)getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		return 0;
	}
	for (;;) {
		if (t->tls) {
			r = gnutls_record_recv(t->tls, buf, sizeof(buf));
			if (r > 0)
				continue;
			if (r == 0)
				return fail(t, -EPIPE, "closed by the peer (TLS close_notify)");
			if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
				return 0;
			if (r == GNUTLS_E_PREMATURE_TERMINATION)
				return fail(t, -EPIPE, "closed by the peer");
			if (!gnutls_error_is_fatal((int)r))
				continue;
			return fail(t, -ECONNRESET, "TLS receive: %s", gnutls_strerror((int)r));
		}
		r = recv(t->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r > 0)
			continue;
		if (r == 0)
			return fail(t, -EPIPE, "closed by the peer");
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		return fail(t, -errno, "receive: %s", strerror(errno));
	}
}

int strans_acked(struct strans *t, uint64_t *ret)
{
	int outq = 0;

	if (t->fd < 0 || t->state != STRANS_UP)
		return -ENOTCONN;
	if (ioctl(t->fd, SIOCOUTQ, &outq) < 0)
		return -errno;
	*ret = t->wire >= (uint64_t)outq ? t->wire - (uint64_t)outq : 0;
	return 0;
}
