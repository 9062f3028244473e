/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-dp: the DPDK dataplane. EAL arguments first, then "--" and
 * sluice's own options (see --help). With no arguments at all it runs a
 * built-in demo on two net_null ports.
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "capcheck.h"
#include "dp.h"

RTE_LOG_REGISTER(dp_logtype, sluice.dp, INFO);

static volatile sig_atomic_t dp_signalled;
static volatile sig_atomic_t dp_signals;

static void
dp_on_signal(int sig)
{
	dp_signalled = sig;
	dp_signals++;
}

/* State of the main lcore's control step. */
struct dp_ctl {
	uint64_t stop_at;        /* TSC: --duration */
	uint64_t drain_deadline; /* TSC, once RX was told to stop */
	uint64_t next_stats;
	uint64_t stats_period;
	uint64_t idle_exit;      /* cycles */
	uint64_t xoff_seen;      /* assertions already logged */
	bool stopping;
};

static struct dp_ctl dp_ctl;

/* Demo: what "sluice-dp" with no arguments runs. */
static int
dp_demo_args(char ***argv_out)
{
	static char lcores[64];
	static char *argv[] = {
		"sluice-dp", "--lcores", lcores, "--in-memory", "--no-pci",
		"--vdev", "net_null0", "--vdev", "net_null1",
		"--log-level", "pmd.net.null:warning", "--",
		"--stage-cost-ns", "500", "--duration", "5",
		"--stats-interval", "1", NULL, NULL, NULL,
	};
	int argc = sizeof(argv) / sizeof(argv[0]) - 3;
	cpu_set_t set;
	int cpu, first = -1, second = -1;

	/* three lcores floating over the first two CPUs we may use */
	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		for (cpu = 0; cpu < CPU_SETSIZE && second < 0; cpu++) {
			if (!CPU_ISSET(cpu, &set))
				continue;
			if (first < 0)
				first = cpu;
			else
				second = cpu;
		}
	}
	if (first < 0)
		first = 0;
	if (second < 0)
		snprintf(lcores, sizeof(lcores), "(0-2)@%d", first);
	else
		snprintf(lcores, sizeof(lcores), "(0-2)@(%d,%d)", first,
			 second);

	*argv_out = argv;
	return argc;
}

static void
dp_demo_announce(int argc, char **argv)
{
	int i;

	printf("sluice-dp: no arguments, running the built-in demo: a "
	       "net_null source at full speed into a pipeline slowed to "
	       "about 2 Mpps, so ring pressure asserts and releases.\n"
	       "equivalent to:");
	for (i = 0; i < argc; i++)
		printf(argv[i][0] == '(' ? " '%s'" : " %s", argv[i]);
	printf("\n\n");
	fflush(stdout);
}

static bool
dp_control(struct dp_app *app);

static int
dp_lcores_check(const struct dp_app *app)
{
	unsigned int need = dp_opts_lcores_needed(&app->opts);

	if (rte_lcore_count() < need) {
		DP_LOG(ERR, "%u stage(s) of %u worker(s)%s need %u lcores, "
		       "the EAL gave %u: add lcores with -l or --lcores "
		       "(several may share a core, e.g. --lcores "
		       "'(0-%u)@(0,1)')\n", app->opts.stages,
		       app->opts.workers,
		       app->opts.shared_rxtx ? " with --shared-rxtx" : "",
		       need, rte_lcore_count(), need - 1);
		return -EINVAL;
	}
	if (rte_lcore_count() > need)
		DP_LOG(INFO, "%u lcores given, %u used\n", rte_lcore_count(),
		       need);
	return 0;
}

static void
dp_ctl_init(struct dp_app *app)
{
	const struct dp_opts *o = &app->opts;

	app->tsc_hz = rte_get_tsc_hz();
	app->start_tsc = rte_rdtsc();
	memset(&dp_ctl, 0, sizeof(dp_ctl));
	if (o->duration_s > 0)
		dp_ctl.stop_at = app->start_tsc +
				 (uint64_t)(o->duration_s * app->tsc_hz);
	if (o->stats_interval_s > 0) {
		dp_ctl.stats_period = (uint64_t)(o->stats_interval_s *
						 app->tsc_hz);
		dp_ctl.next_stats = app->start_tsc + dp_ctl.stats_period;
	}
	dp_ctl.idle_exit = (uint64_t)o->idle_exit_ms * app->tsc_hz / 1000;
}

static void
dp_snapshot(struct dp_app *app, struct stats_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	dp_ports_read(app, s);
	dp_pipeline_snapshot(app, s);
}

static void
dp_stop_rx(struct dp_app *app, const char *why)
{
	if (dp_ctl.stopping)
		return;

	DP_LOG(INFO, "stopping RX (%s), draining\n", why);
	dp_ctl.stopping = true;
	dp_ctl.drain_deadline = rte_rdtsc() +
		(uint64_t)app->opts.drain_timeout_ms * app->tsc_hz / 1000;
	app->stop_rx = true;
}

/* Log pressure changes at most once per control step, never per packet. */
static void
dp_log_pressure(struct dp_app *app)
{
	uint64_t total = 0, count, cycles;
	unsigned int i;

	for (i = 0; i < app->n_rings; i++) {
		wm_read(&app->rings[i].wm, rte_rdtsc(), &count, &cycles);
		total += count;
	}
	if (total != dp_ctl.xoff_seen && dp_ctl.xoff_seen == 0)
		DP_LOG(INFO, "pressure asserted for the first time (%s: %s)\n",
		       dp_fc_mode_name(app->opts.fc_mode),
		       app->rx_holds ? "RX holds while it lasts" :
		       app->opts.fc_mode == DP_FC_NONE ? "RX waits for room" :
		       "XOFF sent upstream");
	dp_ctl.xoff_seen = total;
}

static bool
dp_control(struct dp_app *app)
{
	struct stats_snapshot s;
	uint64_t now = rte_rdtsc();
	uint64_t idle_since = app->tasks[0].idle_since;

	if (dp_signalled)
		dp_stop_rx(app, dp_signalled == SIGINT ? "SIGINT" : "SIGTERM");
	if (dp_signals > 1 && !app->abort_drain) {
		/* asked twice: stop waiting, count what is left */
		DP_LOG(WARNING, "second signal: drain abandoned; what is still "
		       "queued is dropped and counted as drain_timeout\n");
		app->abort_drain = true;
	}
	if (dp_ctl.stop_at && now >= dp_ctl.stop_at)
		dp_stop_rx(app, "--duration reached");
	if (dp_ctl.idle_exit && idle_since && now > idle_since &&
	    now - idle_since >= dp_ctl.idle_exit)
		dp_stop_rx(app, "ingress idle");

	if (dp_ctl.stopping && !app->abort_drain &&
	    now >= dp_ctl.drain_deadline) {
		DP_LOG(WARNING, "drain timed out after %u ms; what is still "
		       "queued is dropped and counted as drain_timeout\n",
		       app->opts.drain_timeout_ms);
		app->abort_drain = true;
	}

	dp_fc_watchdog(app, now);
	dp_log_pressure(app);
	if (dp_ctl.stats_period && now >= dp_ctl.next_stats) {
		dp_ctl.next_stats += dp_ctl.stats_period;
		dp_snapshot(app, &s);
		stats_print_line(stdout, &s);
	}

	return !dp_tasks_done(app);
}

static int
dp_lcores_launch(struct dp_app *app)
{
	int rc;

	rc = rte_eal_mp_remote_launch(dp_lcore_main, app, SKIP_MAIN);
	if (rc < 0) {
		DP_LOG(ERR, "lcore launch: %s\n", strerror(-rc));
		return rc;
	}

	DP_LOG(INFO, "forwarding port %u -> port %u through %u ring(s), "
	       "%u stage(s) x %u worker(s)\n", app->rx_port, app->tx_port,
	       app->n_rings, app->opts.stages, app->opts.workers);
	return 0;
}

/* Run the main lcore's share until every task is done, then join. */
static void
dp_wait_and_drain(struct dp_app *app)
{
	unsigned int left;

	dp_main_lcore_tasks(app, dp_control);
	rte_eal_mp_wait_lcore();

	left = dp_pipeline_flush_rings(app);
	if (left)
		DP_LOG(WARNING, "%u mbufs left in rings and lcores after the "
		       "drain, dropped as drain_timeout\n", left);
}

/* Final counters, after the ports are closed and the pool is back. */
static int
dp_report(struct dp_app *app)
{
	struct stats_snapshot s;
	int rc = 0;

	dp_fc_finish(app);
	dp_snapshot(app, &s);
	dp_ports_close(app);
	s.pool_in_use = rte_mempool_in_use_count(app->pool);
	s.drained = true;
	stats_print_report(stdout, &s);

	if (s.total.in_flight != 0) {
		DP_LOG(ERR, "accounting: %" PRIu64 " packets unaccounted for "
		       "after the drain\n", s.total.in_flight);
		rc = -EPROTO;
	}
	if (s.pool_in_use != 0) {
		DP_LOG(ERR, "mempool: %" PRIu64 " mbufs not back after the "
		       "drain and the ports' close: leaked, or still held by "
		       "an egress driver that keeps what it was given (such as "
		       "net_ring)\n", s.pool_in_use);
		rc = -EPROTO;
	}

	if (app->opts.stats_json != NULL) {
		int wrc = stats_write_json(app->opts.stats_json, &s);

		if (wrc < 0) {
			DP_LOG(ERR, "--stats-json %s: %s\n",
			       app->opts.stats_json, strerror(-wrc));
			rc = wrc;
		}
	}
	return rc;
}

/*
 * Before the EAL sees the arguments: --help anywhere gets sluice's usage
 * (the EAL would print only its own), and a sluice option left before
 * "--" gets a pointer instead of the EAL's "unrecognized option". Returns
 * 1 to go on, 0 or -1 (exit status 0 or 1) to stop.
 */
static int
dp_args_precheck(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			dp_opts_usage(stdout, argv[0]);
			printf("\nEAL options: see DPDK's documentation, or give "
			       "--help to the EAL of any DPDK application.\n");
			return 0;
		}
		if (dp_opts_is_own(argv[i])) {
			fprintf(stderr, "Error: %s is a sluice-dp option: put it "
				"after '--' (EAL options come first)\n",
				argv[i]);
			return -1;
		}
	}
	return 1;
}

/* Find out now, not after a long run, that the JSON cannot be written. */
static int
dp_stats_json_check(const char *path)
{
	FILE *f;

	if (path == NULL)
		return 0;

	f = fopen(path, "a");
	if (f == NULL) {
		fprintf(stderr, "Error: --stats-json %s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	fclose(f);
	return 0;
}

static int
dp_opts_from_args(struct dp_app *app, int argc, char **argv)
{
	int rc;

	dp_opts_defaults(&app->opts);
	rc = dp_opts_parse(&app->opts, argc, argv);
	if (rc == 1)
		exit(0);
	if (rc == 0)
		rc = dp_stats_json_check(app->opts.stats_json);
	return rc;
}

int
main(int argc, char **argv)
{
	static struct dp_app app;
	int rc, eal_argc;

	/* one line at a time: the counters interleave with the EAL's log */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 1) {
		argc = dp_demo_args(&argv);
		dp_demo_announce(argc, argv);
	}

	/* eal_init */
	rc = dp_args_precheck(argc, argv);
	if (rc <= 0)
		return -rc;
	if (capcheck_eal_args(argc, argv) < 0)
		return 1;
	eal_argc = rte_eal_init(argc, argv);
	if (eal_argc < 0) {
		fprintf(stderr, "Error: EAL init: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	argc -= eal_argc;
	argv += eal_argc;

	/* options */
	rc = dp_opts_from_args(&app, argc, argv);
	if (rc < 0)
		goto out;
	signal(SIGINT, dp_on_signal);
	signal(SIGTERM, dp_on_signal);

	/* lcores, ports, pool, rings */
	rc = dp_lcores_check(&app);
	if (rc < 0)
		goto out;
	dp_ctl_init(&app);
	rc = dp_ports_init(&app);
	if (rc < 0)
		goto out;
	rc = dp_pipeline_create(&app);
	if (rc < 0)
		goto out;

	/* flow control: emitters, and the NIC's own in hw mode */
	dp_ctl_init(&app);
	rc = dp_class_marks_init(&app);
	if (rc == 0)
		rc = dp_fc_init(&app);
	if (rc == 0 && app.opts.fc_mode == DP_FC_HW)
		rc = dp_ports_flow_ctrl_hw(&app);
	if (rc < 0)
		goto out;

	/* forward until told to stop, then drain and report */
	dp_ctl_init(&app);
	rc = dp_lcores_launch(&app);
	if (rc < 0)
		goto out;
	dp_wait_and_drain(&app);
	rc = dp_report(&app);

out:
	dp_pipeline_free(&app);
	rte_eal_cleanup();
	return rc < 0 ? 1 : 0;
}
