/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "stats.h"

static uint64_t
stats_nic_total(const struct stats_snapshot *s, enum acct_nic_drop k)
{
	uint64_t n = 0;
	unsigned int i;

	/* only the ingress side loses frames before sluice sees them */
	for (i = 0; i < s->n_ports; i++)
		if (strncmp(s->ports[i].role, "ingress", 7) == 0)
			n += s->ports[i].nic[k];
	return n;
}

void
stats_print_line(FILE *f, const struct stats_snapshot *s)
{
	const struct acct_total *t = &s->total;
	unsigned int i;

	fprintf(f, "[%7.1fs] rx %" PRIu64 " tx %" PRIu64 " dropped %" PRIu64
		" in_flight %" PRIu64 " |", s->elapsed_s, t->rx, t->tx,
		t->dropped, t->in_flight);
	for (i = 0; i < s->n_rings; i++) {
		const struct stats_ring *r = &s->rings[i];

		fprintf(f, " %s %u/%u%s xoff %" PRIu64, r->name, r->occupancy,
			r->capacity, r->asserted ? " XOFF" : "", r->xoff_count);
	}
	fprintf(f, " | hold %" PRIu64 "us\n", s->rx_hold_us);
	fflush(f);
}

static void
stats_json_drops(FILE *f, const struct stats_snapshot *s)
{
	unsigned int k;

	fprintf(f, "  \"dropped\": {");
	for (k = 0; k < ACCT_DROP_MAX; k++)
		fprintf(f, "%s\"%s\": %" PRIu64, k ? ", " : "",
			acct_drop_name(k), s->total.drop[k]);
	for (k = 0; k < ACCT_NIC_MAX; k++)
		fprintf(f, ", \"%s\": %" PRIu64, acct_nic_name(k),
			stats_nic_total(s, k));
	fprintf(f, "},\n");
}

static void
stats_json_rings(FILE *f, const struct stats_snapshot *s)
{
	unsigned int i;

	fprintf(f, "  \"rings\": [\n");
	for (i = 0; i < s->n_rings; i++) {
		const struct stats_ring *r = &s->rings[i];

		fprintf(f, "    {\"name\": \"%s\", \"capacity\": %u, "
			"\"high\": %u, \"low\": %u, \"occupancy\": %u, "
			"\"max_occupancy\": %u, \"asserted\": %s, "
			"\"xoff_count\": %" PRIu64 ", \"xoff_time_us\": %"
			PRIu64 "}%s\n", r->name, r->capacity, r->high, r->low,
			r->occupancy, r->max_occupancy,
			r->asserted ? "true" : "false", r->xoff_count,
			r->xoff_time_us, i + 1 < s->n_rings ? "," : "");
	}
	fprintf(f, "  ],\n");
}

static void
stats_json_ports(FILE *f, const struct stats_snapshot *s)
{
	unsigned int i, k;

	fprintf(f, "  \"ports\": [\n");
	for (i = 0; i < s->n_ports; i++) {
		const struct stats_port *p = &s->ports[i];

		fprintf(f, "    {\"port_id\": %u, \"role\": \"%s\", "
			"\"ipackets\": %" PRIu64 ", \"opackets\": %" PRIu64,
			p->port_id, p->role, p->ipackets, p->opackets);
		for (k = 0; k < ACCT_NIC_MAX; k++)
			fprintf(f, ", \"%s\": %" PRIu64, acct_nic_name(k),
				p->nic[k]);
		fprintf(f, "}%s\n", i + 1 < s->n_ports ? "," : "");
	}
	fprintf(f, "  ],\n");
}

static void
stats_json_tasks(FILE *f, const struct stats_snapshot *s)
{
	unsigned int i;

	fprintf(f, "  \"lcores\": [\n");
	for (i = 0; i < s->n_tasks; i++) {
		const struct stats_task *t = &s->tasks[i];
		double cpp = t->packets ?
			(double)t->busy_cycles / (double)t->packets : 0;

		fprintf(f, "    {\"task\": \"%s\", \"lcore\": %u, "
			"\"packets\": %" PRIu64 ", \"busy_cycles\": %" PRIu64
			", \"cycles_per_packet\": %.1f}%s\n", t->name, t->lcore,
			t->packets, t->busy_cycles, cpp,
			i + 1 < s->n_tasks ? "," : "");
	}
	fprintf(f, "  ],\n");
}

static void
stats_json_u64_array(FILE *f, const char *key, const uint64_t *v,
		     unsigned int n)
{
	unsigned int k;

	fprintf(f, "  \"%s\": [", key);
	for (k = 0; k < n; k++)
		fprintf(f, "%s%" PRIu64, k ? ", " : "", v[k]);
	fprintf(f, "],\n");
}

static uint64_t
stats_ns(uint64_t cycles, uint64_t hz)
{
	return hz ? cycles * 1000000000 / hz : 0;
}

static void
stats_json_fc(FILE *f, const struct stats_fc *fc, uint64_t hz)
{
	fprintf(f, "  \"flow_control\": {\n    \"mode\": \"%s\", "
		"\"speed_mbps\": %u, \"quanta\": %u,\n", fc->mode,
		fc->speed_mbps, fc->quanta);
	fprintf(f, "  ");
	stats_json_u64_array(f, "xoff_sent", fc->xoff_sent, PKT_CLASSES);
	fprintf(f, "  ");
	stats_json_u64_array(f, "xon_sent", fc->xon_sent, PKT_CLASSES);
	fprintf(f, "  ");
	stats_json_u64_array(f, "xoff_time_us", fc->xoff_time_us,
			     PKT_CLASSES);
	fprintf(f, "  ");
	stats_json_u64_array(f, "watchdog_trips", fc->watchdog_trips,
			     PKT_CLASSES);
	fprintf(f, "  ");
	stats_json_u64_array(f, "watchdog_restores", fc->watchdog_restores,
			     PKT_CLASSES);
	fprintf(f, "  ");
	stats_json_u64_array(f, "shed", fc->shed, PKT_CLASSES);
	fprintf(f, "    \"reaction\": {\"samples\": %" PRIu64 ", "
		"\"p50_cycles\": %" PRIu64 ", \"p99_cycles\": %" PRIu64
		", \"max_cycles\": %" PRIu64 ", \"p50_ns\": %" PRIu64
		", \"p99_ns\": %" PRIu64 ", \"max_ns\": %" PRIu64 "},\n",
		fc->reaction_samples, fc->reaction_cycles[0],
		fc->reaction_cycles[1], fc->reaction_cycles[2],
		stats_ns(fc->reaction_cycles[0], hz),
		stats_ns(fc->reaction_cycles[1], hz),
		stats_ns(fc->reaction_cycles[2], hz));
	fprintf(f, "    \"frames_sent\": %" PRIu64 ", \"refreshes\": %"
		PRIu64 ", \"send_failed\": %" PRIu64 ",\n", fc->frames_sent,
		fc->refreshes, fc->send_failed);
	fprintf(f, "    \"pause_rx\": %" PRIu64 ", \"pfc_rx\": %" PRIu64
		", \"xon_rx\": %" PRIu64 ", \"malformed_rx\": %" PRIu64
		", \"paused_by_peer_us\": %" PRIu64 ", \"egress_rx_other\": %"
		PRIu64 "\n  },\n", fc->pause_rx, fc->pfc_rx, fc->xon_rx,
		fc->malformed_rx, fc->paused_by_peer_us, fc->egress_rx_other);
}

static void
stats_json_body(FILE *f, const struct stats_snapshot *s)
{
	const struct acct_total *t = &s->total;
	unsigned int k;

	fprintf(f, "{\n  \"elapsed_s\": %.3f,\n  \"tsc_hz\": %" PRIu64
		",\n  \"drained\": %s,\n  \"watermarks\": %s,\n",
		s->elapsed_s, s->tsc_hz,
		s->drained ? "true" : "false",
		s->watermarks ? "true" : "false");
	fprintf(f, "  \"rx_packets\": %" PRIu64 ",\n  \"tx_packets\": %"
		PRIu64 ",\n  \"in_flight\": %" PRIu64 ",\n  \"dropped_total\": %"
		PRIu64 ",\n", t->rx, t->tx, t->in_flight, t->dropped);
	stats_json_drops(f, s);
	stats_json_u64_array(f, "classes", t->cls, PKT_CLASSES);

	fprintf(f, "  \"malformed\": {");
	for (k = 1; k < PKT_ANOMALY_MAX; k++)
		fprintf(f, "%s\"%s\": %" PRIu64, k > 1 ? ", " : "",
			pkt_anomaly_name(k), t->anomaly[k]);
	fprintf(f, "},\n");

	stats_json_rings(f, s);
	stats_json_ports(f, s);
	stats_json_tasks(f, s);
	fprintf(f, "  \"rx_hold_us\": %" PRIu64 ",\n", s->rx_hold_us);
	stats_json_fc(f, &s->fc, s->tsc_hz);
	fprintf(f, "  \"mempool\": {\"size\": %" PRIu64 ", \"required\": %"
		PRIu64 ", \"in_use_at_exit\": %" PRIu64 "}\n}\n",
		s->pool_size, s->pool_required, s->pool_in_use);
}

int
stats_write_json(const char *path, const struct stats_snapshot *s)
{
	FILE *f = fopen(path, "w");
	int rc = 0;

	if (f == NULL)
		return -errno;

	stats_json_body(f, s);
	if (ferror(f))
		rc = -EIO;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

void
stats_print_report(FILE *f, const struct stats_snapshot *s)
{
	const struct acct_total *t = &s->total;
	unsigned int i, k;

	fprintf(f, "\nsluice-dp: %.2f s, rx %" PRIu64 " tx %" PRIu64
		" dropped %" PRIu64 " in_flight %" PRIu64 "\n", s->elapsed_s,
		t->rx, t->tx, t->dropped, t->in_flight);
	for (k = 0; k < ACCT_DROP_MAX; k++)
		if (t->drop[k])
			fprintf(f, "  dropped %-16s %" PRIu64 "\n",
				acct_drop_name(k), t->drop[k]);
	for (k = 0; k < ACCT_NIC_MAX; k++)
		if (stats_nic_total(s, k))
			fprintf(f, "  dropped %-16s %" PRIu64 "\n",
				acct_nic_name(k), stats_nic_total(s, k));
	for (k = 1; k < PKT_ANOMALY_MAX; k++)
		if (t->anomaly[k])
			fprintf(f, "  malformed %-14s %" PRIu64 "\n",
				pkt_anomaly_name(k), t->anomaly[k]);

	fprintf(f, "  classes");
	for (k = 0; k < PKT_CLASSES; k++)
		fprintf(f, " %u:%" PRIu64, k, t->cls[k]);
	fprintf(f, "\n");

	for (i = 0; i < s->n_rings; i++) {
		const struct stats_ring *r = &s->rings[i];

		fprintf(f, "  ring %-6s capacity %u high %u low %u max %u "
			"xoff %" PRIu64 " xoff_time %" PRIu64 " us\n", r->name,
			r->capacity, r->high, r->low, r->max_occupancy,
			r->xoff_count, r->xoff_time_us);
	}

	for (i = 0; i < s->n_tasks; i++) {
		const struct stats_task *tk = &s->tasks[i];

		fprintf(f, "  lcore %-3u %-10s packets %" PRIu64
			" cycles/packet %.1f\n", tk->lcore, tk->name,
			tk->packets, tk->packets ? (double)tk->busy_cycles /
			(double)tk->packets : 0.0);
	}

	fprintf(f, "  mempool size %" PRIu64 " required %" PRIu64
		" in use at exit %" PRIu64 "\n", s->pool_size,
		s->pool_required, s->pool_in_use);
}
