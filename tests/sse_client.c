/* SPDX-License-Identifier: MIT */
/*
 * sse_client - a small SSE test client (HTTP/1.1, chunked decoding, the
 * EventSource line rules) for tests/integration/sse_*.sh.
 *
 *   sse_client -p PORT [-a ADDR] [-P PATH] [-t TOKEN] [-l LAST_EVENT_ID] [-n COUNT]
 *              [-c CLIENTS] [-T TIMEOUT_S] [-x]
 *
 * One client (-c 1): prints "STATUS <code>" (with the headers), then "RETRY <ms>", "COMMENT <text>"
 * and per event "EVENT <type> ID <id> DATA <data>", at the end "IDS <id,...>"; exits 0 once COUNT events
 * arrived, 1 on timeout or early close, 3 when the status is not 200.
 * Many clients (-c N): all connect at once; prints "CLIENT <k> <events>" per
 * client and "ALL <ok>/<N> SAME <yes|no>" (SAME: every client saw the same id
 * sequence); exits 0 when every client got COUNT events and the same ids.
 * -x: connect, send the request, never read; sleep until killed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXC 512

struct client {
	int fd;
	bool headers_done, chunked, done, eof;
	int status;
	char hbuf[8192];
	size_t hlen;
	/* chunked decoding */
	size_t chunk_left;
	int cstate;           /* 0 = size line, 1 = data, 2 = CRLF after data */
	char csize[32];
	size_t csize_len;
	/* SSE parsing */
	char line[1 << 16];
	size_t line_len;
	bool last_cr;
	char ev_type[64], ev_id[64], last_id[64];
	char *data;
	size_t data_len;
	unsigned events;
	char *ids;            /* comma-joined ids seen */
	size_t ids_len;
};

static unsigned want = 1;
static bool verbose;

static void die(const char *m)
{
	perror(m);
	exit(2);
}

static void dispatch(struct client *c)
{
	size_t l = strlen(c->ev_id);

	if (c->ev_id[0])
		strcpy(c->last_id, c->ev_id);
	if (!c->data) {
		c->ev_type[0] = c->ev_id[0] = '\0';
		return;
	}
	c->events++;
	if (verbose)
		printf("EVENT %s ID %s DATA %.*s\n", c->ev_type[0] ? c->ev_type : "message", c->last_id,
		       (int)c->data_len, c->data);
	c->ids = realloc(c->ids, c->ids_len + l + 2);
	if (!c->ids)
		die("realloc");
	c->ids_len += (size_t)sprintf(c->ids + c->ids_len, "%s%s", c->ids_len ? "," : "", c->last_id);
	free(c->data);
	c->data = NULL;
	c->data_len = 0;
	c->ev_type[0] = c->ev_id[0] = '\0';
	if (c->events >= want)
		c->done = true;
}

static void sse_line(struct client *c, char *l, size_t len)
{
	char *v;
	size_t vlen;

	l[len] = '\0';
	if (len == 0) {
		dispatch(c);
		return;
	}
	if (l[0] == ':') {
		if (verbose)
			printf("COMMENT %s\n", l[1] == ' ' ? l + 2 : l + 1);
		return;
	}
	v = strchr(l, ':');
	if (v) {
		*v++ = '\0';
		if (*v == ' ')
			v++;
	} else {
		v = l + len;
	}
	vlen = strlen(v);
	if (strcmp(l, "data") == 0) {
		c->data = realloc(c->data, c->data_len + vlen + 2);
		if (!c->data)
			die("realloc");
		if (c->data_len)
			c->data[c->data_len++] = '\n';
		memcpy(c->data + c->data_len, v, vlen + 1);
		c->data_len += vlen;
	} else if (strcmp(l, "id") == 0) {
		snprintf(c->ev_id, sizeof(c->ev_id), "%.63s", v);
	} else if (strcmp(l, "event") == 0) {
		snprintf(c->ev_type, sizeof(c->ev_type), "%.63s", v);
	} else if (strcmp(l, "retry") == 0 && verbose) {
		printf("RETRY %s\n", v);
	}
}

static void sse_bytes(struct client *c, const char *p, size_t n)
{
	for (size_t i = 0; i < n && !c->done; i++) {
		char ch = p[i];

		if (ch == '\n' && c->last_cr) {
			c->last_cr = false;
			continue;
		}
		c->last_cr = ch == '\r';
		if (ch == '\r' || ch == '\n') {
			sse_line(c, c->line, c->line_len);
			c->line_len = 0;
		} else if (c->line_len < sizeof(c->line) - 1) {
			c->line[c->line_len++] = ch;
		}
	}
}

static void body_bytes(struct client *c, const char *p, size_t n)
{
	if (!c->chunked) {
		sse_bytes(c, p, n);
		return;
	}
	while (n) {
		if (c->cstate == 0) {
			if (*p == '\n') {
				c->csize[c->csize_len] = '\0';
				c->chunk_left = strtoul(c->csize, NULL, 16);
				c->csize_len = 0;
				c->cstate = c->chunk_left ? 1 : 3;
			} else if (*p != '\r' && c->csize_len < sizeof(c->csize) - 1) {
				c->csize[c->csize_len++] = *p;
			}
			p++, n--;
		} else if (c->cstate == 1) {
			size_t k = n < c->chunk_left ? n : c->chunk_left;

			sse_bytes(c, p, k);
			p += k, n -= k;
			c->chunk_left -= k;
			if (!c->chunk_left)
				c->cstate = 2;
		} else if (c->cstate == 2) {
			if (*p == '\n')
				c->cstate = 0;
			p++, n--;
		} else {
			c->eof = true; /* last chunk */
			return;
		}
	}
}

static void on_readable(struct client *c)
{
	char buf[65536];
	ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
	char *end;
	size_t k;

	if (n <= 0) {
		c->eof = true;
		return;
	}
	if (c->headers_done) {
		body_bytes(c, buf, (size_t)n);
		return;
	}
	/* The first read may bring headers and a lot of body (a replay): keep only what fits, pass the rest on. */
	k = sizeof(c->hbuf) - 1 - c->hlen;
	k = (size_t)n < k ? (size_t)n : k;
	memcpy(c->hbuf + c->hlen, buf, k);
	c->hlen += k;
	c->hbuf[c->hlen] = '\0';
	end = strstr(c->hbuf, "\r\n\r\n");
	if (!end) {
		c->eof = c->hlen == sizeof(c->hbuf) - 1; /* headers too long */
		return;
	}
	c->headers_done = true;
	sscanf(c->hbuf, "HTTP/1.%*d %d", &c->status);
	if (verbose)
		printf("STATUS %d\n", c->status);
	*end = '\0';
	for (char *h = c->hbuf; *h; h++)
		if (*h >= 'A' && *h <= 'Z')
			*h = (char)(*h - 'A' + 'a');
	c->chunked = strstr(c->hbuf, "\r\ntransfer-encoding: chunked") != NULL;
	body_bytes(c, end + 4, c->hlen - (size_t)(end + 4 - c->hbuf));
	body_bytes(c, buf + k, (size_t)n - k);
}

static int connect_to(const char *addr, int port, bool small_window)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int small = 4096;

	if (fd < 0)
		die("socket");
	/* Before connect, so the advertised window stays small and the server's side fills up quickly. */
	if (small_window)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", addr);
		exit(2);
	}
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("connect");
	return fd;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *addr = "127.0.0.1", *path = "/events", *token = NULL, *last = NULL;
	int port = 0, opt, n = 1, timeout = 10;
	bool noread = false;
	struct client *cs;
	struct pollfd pfd[MAXC];
	char req[4096];
	double end;
	unsigned ok = 0;
	bool same = true;
	int rc;

	while ((opt = getopt(argc, argv, "p:a:P:t:l:n:c:T:x")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'a': addr = optarg; break;
		case 'P': path = optarg; break;
		case 't': token = optarg; break;
		case 'l': last = optarg; break;
		case 'n': want = (unsigned)atoi(optarg); break;
		case 'c': n = atoi(optarg); break;
		case 'T': timeout = atoi(optarg); break;
		case 'x': noread = true; break;
		default: return 2;
		}
	}
	if (!port || n < 1 || n > MAXC)
		return 2;
	verbose = n == 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(req, sizeof(req),
		 "GET %s HTTP/1.1\r\nHost: %s:%d\r\nAccept: text/event-stream\r\n%s%s%s%s%s%s\r\n", path,
		 addr, port, token ? "Authorization: Bearer " : "", token ? token : "", token ? "\r\n" : "",
		 last ? "Last-Event-ID: " : "", last ? last : "", last ? "\r\n" : "");
	cs = calloc((size_t)n, sizeof(*cs));
	if (!cs)
		die("calloc");
	for (int i = 0; i < n; i++) {
		cs[i].fd = connect_to(addr, port, noread);
		if (send(cs[i].fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req))
			die("send");
	}
	if (noread) {
		printf("CONNECTED\n");
		for (;;)
			pause();
	}
	end = now_s() + timeout;
	for (;;) {
		int live = 0, ms = (int)((end - now_s()) * 1000);

		for (int i = 0; i < n; i++) {
			pfd[i].fd = cs[i].done || cs[i].eof ? -1 : cs[i].fd;
			pfd[i].events = POLLIN;
			live += pfd[i].fd >= 0;
		}
		if (!live || ms <= 0)
			break;
		if (poll(pfd, (nfds_t)n, ms) < 0 && errno != EINTR)
			die("poll");
		for (int i = 0; i < n; i++)
			if (pfd[i].fd >= 0 && pfd[i].revents)
				on_readable(&cs[i]);
	}
	for (int i = 0; i < n; i++) {
		ok += cs[i].done;
		if (!cs[i].ids || !cs[0].ids || strcmp(cs[i].ids, cs[0].ids) != 0)
			same = false;
	}
	if (n == 1) {
		printf("IDS %s\n", cs[0].ids ? cs[0].ids : "");
		rc = cs[0].status != 200 ? 3 : cs[0].done ? 0 : 1;
	} else {
		for (int i = 0; i < n; i++)
			printf("CLIENT %d %u\n", i, cs[i].events);
		printf("IDS %s\n", cs[0].ids ? cs[0].ids : "");
		printf("ALL %u/%d SAME %s\n", ok, n, same ? "yes" : "no");
		rc = ok == (unsigned)n && same ? 0 : 1;
	}
	for (int i = 0; i < n; i++) {
		close(cs[i].fd);
		free(cs[i].ids);
		free(cs[i].data);
	}
	free(cs);
	return rc;
}
