/* SPDX-License-Identifier: MIT */
/*
 * connect_storm - loopback TCP: connect + accept + close, one at a time.
 * The client closes first with SO_LINGER 0 (RST), so no TIME_WAIT piles up
 * and the ephemeral ports never run out however long it runs.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "bench.h"

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	socklen_t sl = sizeof(sa);
	struct bench_opts o;
	struct bench_clock c;
	uint64_t done = 0;
	int one = 1, ls;

	bench_parse(argc, argv, &o, NULL);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 4096) < 0 ||
	    getsockname(ls, (struct sockaddr *)&sa, &sl) < 0) {
		perror("connect_storm: listener");
		return 1;
	}
	bench_start(&c, &o, 64);
	while (bench_more(&c, &o, done)) {
		int cs = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), as;

		if (cs < 0 || connect(cs, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			perror("connect_storm: connect");
			return 1;
		}
		as = accept(ls, NULL, NULL);
		if (as < 0) {
			perror("connect_storm: accept");
			return 1;
		}
		setsockopt(cs, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(cs);
		close(as);
		done++;
	}
	bench_report(&c, done);
	return 0;
}
