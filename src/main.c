/* SPDX-License-Identifier: MIT */
/*
 * main.c - rtmon's command line; the start-up order and the exit code.
 *
 *   rtmon [-c FILE] [-o PATH=VALUE]... [--stdout] [--trace] [--record FILE]
 *   rtmon --check-config [-c FILE]
 *   rtmon --replay FILE [-c FILE]
 *   rtmon --aggregate [-c FILE] [-o PATH=VALUE]... [--stdout]
 *   rtmon --version | --help
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "config.h"
#include "daemon.h"
#include "instance.h"
#include "listener.h"
#include "log.h"
#include "setup.h"

#define MAX_OVERRIDES 64

enum {
	OPT_CHECK = 256,
	OPT_REPLAY,
	OPT_RECORD,
	OPT_TRACE,
	OPT_STDOUT,
	OPT_VERSION,
	OPT_AGGREGATE
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: rtmond [-c FILE] [-o PATH=VALUE]... [--stdout] [--trace] [--record FILE]\n"
		   "       rtmond --check-config [-c FILE]\n"
		   "       rtmond --replay FILE [-c FILE]\n"
		   "       rtmond --aggregate [-c FILE] [-o PATH=VALUE]... [--stdout]\n"
		   "       rtmond --version | --help\n\n"
		   "Linux runtime security monitor: eBPF tracepoints -> rules -> alerts.\n\n"
		   "  -c, --config FILE     configuration (default " RTMON_DEFAULT_CONFIG ")\n"
		   "  -o, --option P=V      override one setting by its libconfig path,\n"
		   "                        e.g. -o outputs.sse.enabled=true\n"
		   "      --stdout          print every alert as a JSON line on stdout\n"
		   "      --trace           also print every raw event as a JSON line\n"
		   "      --record FILE     append every raw event as JSON lines to FILE\n"
		   "      --replay FILE     run the rules over a recording, print alerts, exit\n"
		   "      --aggregate       no BPF: collect the alerts of the nodes in aggregate.nodes /\n"
		   "                        aggregate.discover (their /events) into this daemon's outputs\n"
		   "      --check-config    validate the configuration and exit (1 on errors)\n"
		   "  -v, --verbose         debug messages\n"
		   "      --version         print the version\n"
		   "  -h, --help            this text\n\n"
		   "Exit codes: 0 clean stop, 1 configuration error, 2 BPF could not be loaded,\n"
		   "3 another rtmon holds the instance lock (" RTMON_LOCK_FILE ", or $" RTMON_LOCK_ENV ").\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },	   { "option", required_argument, NULL, 'o' },
		{ "stdout", no_argument, NULL, OPT_STDOUT },	   { "trace", no_argument, NULL, OPT_TRACE },
		{ "record", required_argument, NULL, OPT_RECORD }, { "replay", required_argument, NULL, OPT_REPLAY },
		{ "check-config", no_argument, NULL, OPT_CHECK },  { "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, OPT_VERSION },	   { "help", no_argument, NULL, 'h' },
		{ "aggregate", no_argument, NULL, OPT_AGGREGATE }, { NULL, 0, NULL, 0 },
	};
	const char *overrides[MAX_OVERRIDES];
	struct rtmon_daemon_opts o = { .overrides = overrides };
	int check = 0, verbose = 0, aggregate = 0, c;

	/* the HTTP listener's own process (listener.h), exec'd by the monitor */
	if (argc >= 2 && strcmp(argv[1], RTMON_LISTENER_ARG) == 0)
		return listener_child_main(argc > 2);

	while ((c = getopt_long(argc, argv, "c:o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.config_path = optarg;
			break;
		case 'o':
			if (o.n_overrides >= MAX_OVERRIDES || !strchr(optarg, '=')) {
				fprintf(stderr, "rtmon: -o takes PATH=VALUE (at most %d)\n", MAX_OVERRIDES);
				return 1;
			}
			overrides[o.n_overrides++] = optarg;
			break;
		case OPT_STDOUT:
			o.stdout_alerts = true;
			break;
		case OPT_TRACE:
			o.trace = true;
			break;
		case OPT_RECORD:
			o.record_path = optarg;
			break;
		case OPT_REPLAY:
			o.replay_path = optarg;
			break;
		case OPT_CHECK:
			check = 1;
			break;
		case OPT_AGGREGATE:
			aggregate = 1;
			break;
		case 'v':
			verbose++;
			break;
		case OPT_VERSION:
			printf("rtmon %s\n", PACKAGE_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "rtmon: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 1;
	}
	log_init(RTMON_LOG_AUTO, verbose);
	if (check)
		return setup_check_config(&o);
	if (o.replay_path)
		return daemon_replay(&o);
	if (aggregate) {
		if (o.trace || o.record_path) {
			fprintf(stderr, "rtmon: --aggregate sees no events: --trace and --record do not apply\n");
			return 1;
		}
		return daemon_aggregate(&o);
	}
	return daemon_run(&o);
}
