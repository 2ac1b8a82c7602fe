/* SPDX-License-Identifier: MIT */
/* metrics.c - see metrics.h; it sees only what struct rtmon_metrics_src hands it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "aggregate.h"
#include "container.h"
#include "escape.h"
#include "incident.h"
#include "loader.h"
#include "loop.h"
#include "metrics.h"
#include "output.h"
#include "out_syslog.h"
#include "proctab.h"

static void help(FILE *out, const char *name, const char *type, const char *text)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

static void capability_metrics(const struct rtmon_metrics_src *m, FILE *out)
{
	const char *names[16];
	bool on[16];
	size_t n = loader_capabilities(m->bpf, names, on, 16);

	help(out, "rtmon_capability", "gauge", "1 when the hooks of this capability are attached on this kernel.");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "rtmon_capability{name=\"%s\"} %d\n", names[i], on[i] ? 1 : 0);
	help(out, "rtmon_hooks_mode", "gauge", "1 for the hooks mode that carries the syscall events (bpf.hooks).");
	for (enum rtmon_hooks h = RTMON_HOOKS_LSM; h < RTMON_HOOKS_MAX; h++)
		fprintf(out, "rtmon_hooks_mode{mode=\"%s\"} %d\n", config_hooks_name(h), loader_hooks(m->bpf) == h);
}

static void kernel_metrics(const struct rtmon_metrics_src *m, FILE *out)
{
	if (!m->bpf)
		return;
	loader_counters(m->bpf, m->stats->kernel);
	help(out, "rtmon_kernel_records_total", "counter", "Records the BPF programs put on the ring buffer.");
	fprintf(out, "rtmon_kernel_records_total %" PRIu64 "\n", m->stats->kernel[RTMON_CNT_SENT]);
	help(out, "rtmon_drops_total", "counter", "Events lost in the kernel, by cause.");
	fprintf(out, "rtmon_drops_total{cause=\"ringbuf\"} %" PRIu64 "\n", m->stats->kernel[RTMON_CNT_DROP_RINGBUF]);
	fprintf(out, "rtmon_drops_total{cause=\"scratch\"} %" PRIu64 "\n", m->stats->kernel[RTMON_CNT_DROP_SCRATCH]);
	help(out, "rtmon_folded_total", "counter", "mmap/mprotect repeats folded in the kernel (counted, not lost).");
	fprintf(out, "rtmon_folded_total %" PRIu64 "\n", m->stats->kernel[RTMON_CNT_FOLDED]);
	help(out, "rtmon_truncated_total", "counter", "Exec records whose path or argv hit a capture limit.");
	fprintf(out, "rtmon_truncated_total %" PRIu64 "\n", m->stats->kernel[RTMON_CNT_PATH_TRUNC]);
	help(out, "rtmon_ringbuf_fill_ratio", "gauge", "Bytes waiting in the ring buffer / its size.");
	fprintf(out, "rtmon_ringbuf_fill_ratio %.6f\n", loader_ring_fill(m->bpf));
	capability_metrics(m, out);
}

static void incident_metrics(const struct rtmon_metrics_src *m, FILE *out)
{
	struct rtmon_incident_stats st;

	incidents_stats(m->incidents, &st);
	help(out, "rtmon_alerts_joined_total", "counter",
	     "Matches that joined an open incident's timeline instead of raising an alert, by rule.");
	for (size_t i = 0; i < m->stats->n_rule_stats; i++)
		fprintf(out, "rtmon_alerts_joined_total{rule=\"%s\"} %" PRIu64 "\n", m->stats->rule_stats[i].id,
			m->stats->rule_stats[i].joined);
	help(out, "rtmon_incidents_opened_total", "counter", "Incidents opened (one per distinct attack).");
	fprintf(out, "rtmon_incidents_opened_total %" PRIu64 "\n", st.opened);
	help(out, "rtmon_incidents_open", "gauge", "Incidents open now.");
	fprintf(out, "rtmon_incidents_open %" PRIu64 "\n", st.open);
	help(out, "rtmon_incident_updates_total", "counter", "Incident updates sent (timelines).");
	fprintf(out, "rtmon_incident_updates_total %" PRIu64 "\n", m->stats->incident_updates_total);
	help(out, "rtmon_incident_pids_untracked_total", "counter",
	     "Member processes not tracked because the incident pid table was full.");
	fprintf(out, "rtmon_incident_pids_untracked_total %" PRIu64 "\n", st.members_untracked);
}

static void proctab_metrics(const struct rtmon_metrics_src *m, FILE *out)
{
	static const struct rtmon_proctab_stats none;
	const struct rtmon_proctab_stats *st = m->procs ? proctab_stats(m->procs) : &none;

	help(out, "rtmon_processes", "gauge", "Entries in the process table.");
	fprintf(out, "rtmon_processes %zu\n", m->procs ? proctab_size(m->procs) : 0);
	help(out, "rtmon_process_evictions_total", "counter",
	     "Process table entries dropped for room (process.max_processes), of live and of exited processes.");
	fprintf(out, "rtmon_process_evictions_total{state=\"live\"} %" PRIu64 "\n", st->evicted_live);
	fprintf(out, "rtmon_process_evictions_total{state=\"exited\"} %" PRIu64 "\n", st->evicted_exited);
	help(out, "rtmon_process_expired_total", "counter",
	     "Exited processes' entries dropped after their grace time.");
	fprintf(out, "rtmon_process_expired_total %" PRIu64 "\n", st->expired);
	help(out, "rtmon_process_proc_reads_total", "counter",
	     "Processes read from /proc (start-up scan, processes first seen by an event), and those already gone.");
	fprintf(out, "rtmon_process_proc_reads_total{result=\"ok\"} %" PRIu64 "\n", st->proc_reads - st->proc_misses);
	fprintf(out, "rtmon_process_proc_reads_total{result=\"gone\"} %" PRIu64 "\n", st->proc_misses);
}

static void container_metrics(const struct rtmon_metrics_src *m, FILE *out)
{
	struct rtmon_container_stats st;

	if (!m->containers)
		return;
	container_cache_stats(m->containers, &st);
	help(out, "rtmon_cgroup_cache_entries", "gauge", "Entries in the cgroup/container cache.");
	fprintf(out, "rtmon_cgroup_cache_entries %zu\n", container_cache_size(m->containers));
	help(out, "rtmon_cgroup_cache_lookups_total", "counter", "cgroup id lookups answered from the cache, and not.");
	fprintf(out, "rtmon_cgroup_cache_lookups_total{result=\"hit\"} %" PRIu64 "\n", st.hits);
	fprintf(out, "rtmon_cgroup_cache_lookups_total{result=\"miss\"} %" PRIu64 "\n", st.misses);
	help(out, "rtmon_cgroup_cache_resolves_total", "counter",
	     "How missed ids were resolved: by handle, by walking the cgroup tree, by scanning the pods directory.");
	fprintf(out, "rtmon_cgroup_cache_resolves_total{how=\"handle\"} %" PRIu64 "\n", st.handle_resolves);
	fprintf(out, "rtmon_cgroup_cache_resolves_total{how=\"walk\"} %" PRIu64 "\n", st.walks);
	fprintf(out, "rtmon_cgroup_cache_resolves_total{how=\"pod_scan\"} %" PRIu64 "\n", st.pod_scans);
	help(out, "rtmon_cgroup_cache_evictions_total", "counter", "cgroup cache entries dropped by its bound.");
	fprintf(out, "rtmon_cgroup_cache_evictions_total %" PRIu64 "\n", st.evictions);
	help(out, "rtmon_cgroup_cache_unresolved_total", "counter", "cgroup ids that could not be resolved.");
	fprintf(out, "rtmon_cgroup_cache_unresolved_total %" PRIu64 "\n", st.negatives);
}

void metrics_write(const struct rtmon_metrics_src *m, FILE *out)
{
	if (m->agg)
		aggregate_metrics(m->agg, out);
	help(out, "rtmon_events_total", "counter", "Events decoded, by type.");
	for (int t = 1; t < RTMON_EV_MAX; t++)
		fprintf(out, "rtmon_events_total{type=\"%s\"} %" PRIu64 "\n", event_type_name(t),
			m->stats->events_by_type[t]);
	help(out, "rtmon_alerts_total", "counter", "Alerts emitted, by rule.");
	for (size_t i = 0; i < m->stats->n_rule_stats; i++) {
		char id[128];

		escape_line(m->stats->rule_stats[i].id, id, sizeof(id));
		fprintf(out, "rtmon_alerts_total{rule=\"%s\"} %" PRIu64 "\n", id, m->stats->rule_stats[i].alerts);
	}
	help(out, "rtmon_alerts_folded_total", "counter", "Alert repeats folded into summaries, by rule.");
	for (size_t i = 0; i < m->stats->n_rule_stats; i++)
		fprintf(out, "rtmon_alerts_folded_total{rule=\"%s\"} %" PRIu64 "\n", m->stats->rule_stats[i].id,
			m->stats->rule_stats[i].folded);
	help(out, "rtmon_alerts_held_total", "counter", "Alerts held back by a rate limit, by rule.");
	for (size_t i = 0; i < m->stats->n_rule_stats; i++)
		fprintf(out, "rtmon_alerts_held_total{rule=\"%s\"} %" PRIu64 "\n", m->stats->rule_stats[i].id,
			m->stats->rule_stats[i].held);
	help(out, "rtmon_alert_summaries_total", "counter", "Summary alerts for folded or held repeats.");
	fprintf(out, "rtmon_alert_summaries_total %" PRIu64 "\n", m->stats->summaries_total);
	incident_metrics(m, out);
	help(out, "rtmon_decode_errors_total", "counter", "Kernel records that could not be decoded.");
	fprintf(out, "rtmon_decode_errors_total %" PRIu64 "\n", m->stats->decode_errors);
	kernel_metrics(m, out);
	proctab_metrics(m, out);
	container_metrics(m, out);
	help(out, "rtmon_reloads_total", "counter", "Successful and failed configuration reloads.");
	fprintf(out, "rtmon_reloads_total{result=\"ok\"} %" PRIu64 "\n", m->stats->reloads);
	fprintf(out, "rtmon_reloads_total{result=\"failed\"} %" PRIu64 "\n", m->stats->reload_failures);
	help(out, "rtmon_config_last_reload_successful", "gauge",
	     "1 when the last configuration (re)load was accepted, 0 when the running one is older than a rejected "
	     "file.");
	fprintf(out, "rtmon_config_last_reload_successful %d\n", m->stats->reload_failed ? 0 : 1);
	help(out, "rtmon_config_last_reload_success_timestamp_seconds", "gauge",
	     "Unix time of the last accepted configuration (start or reload).");
	fprintf(out, "rtmon_config_last_reload_success_timestamp_seconds %" PRIu64 "\n", m->stats->reload_ok_time_s);
	help(out, "rtmon_uptime_seconds", "gauge", "Seconds since rtmon started.");
	fprintf(out, "rtmon_uptime_seconds %.3f\n", (double)(loop_now_ns() - m->stats->start_mono_ns) / 1e9);
	help(out, "rtmon_events_per_second", "gauge", "Event rate over the last second.");
	fprintf(out, "rtmon_events_per_second %.1f\n", m->stats->events_per_s);
	/* syslog destinations print as one family (HELP/TYPE once); every other sink prints its own */
	out_syslog_metrics_all(m->outputs->sinks, m->outputs->n, out);
	for (size_t i = 0; i < m->outputs->n; i++) {
		struct rtmon_sink *s = m->outputs->sinks[i];

		if (s->ops->metrics && strcmp(s->ops->kind, "syslog") != 0)
			s->ops->metrics(s, out);
	}
}

int metrics_health(const struct rtmon_metrics_src *m, FILE *out)
{
	int ok = m->bpf != NULL;

	if (m->agg)
		return aggregate_health(m->agg, out);
	fprintf(out,
		"{\"status\":\"%s\",\"bpf_programs\":%zu,\"events\":%" PRIu64 ",\"alerts\":%" PRIu64
		",\"kernel_drops\":%" PRIu64 ",\"uptime_s\":%.1f}",
		ok ? "ok" : "starting", m->bpf ? loader_nprogs(m->bpf) : 0, m->stats->events_total,
		m->stats->alerts_total, m->stats->kernel_drops_reported,
		(double)(loop_now_ns() - m->stats->start_mono_ns) / 1e9);
	return ok;
}
