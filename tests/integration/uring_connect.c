/* SPDX-License-Identifier: MIT */
/*
 * uring_connect PORT - connects a TCP socket to 127.0.0.1:PORT through
 * io_uring (IORING_OP_CONNECT): the process never calls connect(), so a
 * monitor hooked on the syscall misses it. Raw io_uring syscalls, no
 * liburing. Prints "pid=N res=R" (R: the completion's result, 0 or -errno).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *ring_map(int fd, size_t len, off_t what)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, what);

	if (p == MAP_FAILED) {
		perror("uring_connect: mmap");
		exit(1);
	}
	return p;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct io_uring_params p;
	struct io_uring_sqe *sqes, *sqe;
	struct io_uring_cqe *cqes;
	unsigned *tail, *array, idx;
	size_t sqlen, cqlen;
	char *sq, *cq;
	int ring, s;

	if (argc != 2) {
		fprintf(stderr, "usage: uring_connect PORT\n");
		return 2;
	}
	sa.sin_port = htons((unsigned short)atoi(argv[1]));
	memset(&p, 0, sizeof(p));
	ring = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (ring < 0) {
		perror("uring_connect: io_uring_setup");
		return 77;
	}
	sqlen = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cqlen = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		sqlen = cqlen = sqlen > cqlen ? sqlen : cqlen;
	sq = ring_map(ring, sqlen, IORING_OFF_SQ_RING);
	cq = (p.features & IORING_FEAT_SINGLE_MMAP) ? sq : ring_map(ring, cqlen, IORING_OFF_CQ_RING);
	sqes = ring_map(ring, p.sq_entries * sizeof(struct io_uring_sqe), IORING_OFF_SQES);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0) {
		perror("uring_connect: socket");
		return 1;
	}
	tail = (unsigned *)(sq + p.sq_off.tail);
	array = (unsigned *)(sq + p.sq_off.array);
	idx = *tail & *(unsigned *)(sq + p.sq_off.ring_mask);
	sqe = &sqes[idx];
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_CONNECT;
	sqe->fd = s;
	sqe->addr = (unsigned long)&sa;
	sqe->off = sizeof(sa);
	array[idx] = idx;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) {
		perror("uring_connect: io_uring_enter");
		return 1;
	}
	cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	idx = *(unsigned *)(cq + p.cq_off.head) & *(unsigned *)(cq + p.cq_off.ring_mask);
	printf("pid=%d res=%d\n", getpid(), cqes[idx].res);
	close(s);
	close(ring);
	return 0;
}
