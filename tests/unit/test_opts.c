/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-dp option parsing (dataplane/opts.c) and capture checks
 * (dataplane/capcheck.c):
 * - defaults, and every option taking a good value
 * - each kind of bad value refused with -EINVAL: not a number, out of
 *   range, trailing junk, marks in the wrong order, unknown option, a
 *   stray argument, a bad DSCP map, a bad policy
 * - lcores needed for a shape
 * - captures: a good one counted, a missing file, a non-Ethernet link
 *   type, a broken header; rx_pcap= found among EAL arguments
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capcheck.h"
#include "cunit_main.h"
#include "opts.h"

#define ARGV(...) ((char *[]){ "sluice-dp", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "sluice-dp", __VA_ARGS__ }) / \
			 sizeof(char *)))
#define PARSE(o, ...) dp_opts_parse((o), ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void
test_defaults(void)
{
	struct dp_opts o;

	dp_opts_defaults(&o);
	CU_ASSERT_EQUAL(dp_opts_parse(&o, 1, ARGV(NULL)), 0);
	CU_ASSERT_EQUAL(o.stages, 1);
	CU_ASSERT_EQUAL(o.workers, 1);
	CU_ASSERT_EQUAL(o.ring_size, DP_RING_SIZE_DEFAULT);
	CU_ASSERT_EQUAL(o.high_pct, 80);
	CU_ASSERT_EQUAL(o.low_pct, 50);
	CU_ASSERT_EQUAL(o.max_frame, 9216);
	CU_ASSERT_TRUE(o.watermarks);
	CU_ASSERT_EQUAL(o.rx_port, -1);
	CU_ASSERT_EQUAL(o.classifier.dscp_class[46], 5);
	CU_ASSERT_EQUAL(dp_opts_lcores_needed(&o), 3);
}

static void
test_good_values(void)
{
	struct dp_opts o;

	dp_opts_defaults(&o);
	CU_ASSERT_EQUAL(PARSE(&o, "--stages", "3", "--workers", "2",
			      "--ring-size", "4096", "--burst", "64",
			      "--high", "90", "--low", "10",
			      "--ring-wm", "2:70:30", "--stage-cost-ns", "250",
			      "--duration", "1.5", "--stats-interval", "0.5",
			      "--stats-json", "/tmp/x.json", "--malformed",
			      "drop", "--dscp-map", "46=7,0=1",
			      "--default-class", "3", "--rx-port", "1",
			      "--tx-port", "0", "--max-frame", "1518",
			      "--shared-rxtx", "--no-watermarks",
			      "--idle-exit-ms", "300"), 0);
	CU_ASSERT_EQUAL(o.stages, 3);
	CU_ASSERT_EQUAL(o.workers, 2);
	CU_ASSERT_EQUAL(o.ring_size, 4096);
	CU_ASSERT_TRUE(o.ring_wm[2].set);
	CU_ASSERT_EQUAL(o.ring_wm[2].high_pct, 70);
	CU_ASSERT_EQUAL(o.stage_cost_ns, 250);
	CU_ASSERT_DOUBLE_EQUAL(o.duration_s, 1.5, 1e-9);
	CU_ASSERT_EQUAL(o.malformed, DP_MALFORMED_DROP);
	CU_ASSERT_EQUAL(o.classifier.dscp_class[46], 7);
	CU_ASSERT_EQUAL(o.classifier.dscp_class[0], 1);
	CU_ASSERT_EQUAL(o.classifier.default_class, 3);
	CU_ASSERT_EQUAL(o.rx_port, 1);
	CU_ASSERT_EQUAL(o.tx_port, 0);
	CU_ASSERT_FALSE(o.watermarks);
	CU_ASSERT_EQUAL(dp_opts_lcores_needed(&o), 1 + 6);
}

static void
test_bad_values(void)
{
	struct dp_opts o;

	/* stderr carries the messages; keep the test log readable */
	FILE *saved = stderr;

	stderr = fopen("/dev/null", "w");
#define BAD(...) do { \
		dp_opts_defaults(&o); \
		CU_ASSERT_EQUAL(PARSE(&o, __VA_ARGS__), -EINVAL); \
	} while (0)
	BAD("--stages", "0");
	BAD("--stages", "9");
	BAD("--stages", "abc");
	BAD("--stages", "2x");
	BAD("--stages", "-1");
	BAD("--stages", "");
	BAD("--workers", "17");
	BAD("--ring-size", "1");
	BAD("--ring-size", "16", "--burst", "32");
	BAD("--burst", "0");
	BAD("--high", "50", "--low", "60");
	BAD("--high", "50", "--low", "50");
	BAD("--high", "101");
	BAD("--ring-wm", "9:90:10");
	BAD("--ring-wm", "1:50:60");
	BAD("--ring-wm", "1:90");
	BAD("--ring-wm", "1:90:10:5");
	BAD("--duration", "0");
	BAD("--duration", "soon");
	BAD("--stats-interval", "-1");
	BAD("--malformed", "maybe");
	BAD("--dscp-map", "64=1");
	BAD("--dscp-map", "1=8");
	BAD("--default-class", "8");
	BAD("--max-frame", "13");
	BAD("--max-frame", "70000");
	BAD("--rx-port", "65535");
	BAD("--no-such-option");
	BAD("--stages");
	BAD("stray");
#undef BAD
	fclose(stderr);
	stderr = saved;
}

static void
test_help(void)
{
	struct dp_opts o;
	FILE *saved = stdout;

	stdout = fopen("/dev/null", "w");
	dp_opts_defaults(&o);
	CU_ASSERT_EQUAL(PARSE(&o, "--help"), 1);
	fclose(stdout);
	stdout = saved;
}

static char pcap_dir[4096];

static int
capture(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", pcap_dir, name);
	return access(buf, R_OK) == 0;
}

static void
test_captures(void)
{
	char path[4200], err[512];
	uint64_t n = 0;

	if (!capture(path, sizeof(path), "pcapplusplus__VlanPackets.pcap")) {
		printf("captures not found at %s, skipping ", pcap_dir);
		return;
	}
	CU_ASSERT_EQUAL(capcheck_file(path, &n, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(n, 26);

	capture(path, sizeof(path), "tcpdump__empty.pcapng");
	CU_ASSERT_EQUAL(capcheck_file(path, &n, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(n, 0);

	capture(path, sizeof(path), "tcpdump__tcp-handshake-nano.pcap");
	CU_ASSERT_EQUAL(capcheck_file(path, &n, err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not Ethernet"));

	capture(path, sizeof(path), "libpcap__pcap-invalid-version-1.pcap");
	CU_ASSERT_EQUAL(capcheck_file(path, &n, err, sizeof(err)), -EINVAL);
	CU_ASSERT(strlen(err) > 0);

	capture(path, sizeof(path), "pcapplusplus__many_interfaces-1.pcapng");
	CU_ASSERT_EQUAL(capcheck_file(path, &n, err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "unreadable after"));

	CU_ASSERT_EQUAL(capcheck_file("/nonexistent/x.pcap", &n, err,
				      sizeof(err)), -EINVAL);
}

static void
test_eal_args(void)
{
	char good[4200], bad[4200], arg[4300];
	FILE *saved = stderr;

	if (!capture(good, sizeof(good), "zeek__q-in-q.pcap") ||
	    !capture(bad, sizeof(bad), "suricata-verify__detect-ipopts.pcap"))
		return;

	snprintf(arg, sizeof(arg), "net_pcap0,rx_pcap=%s,tx_pcap=/dev/null",
		 good);
	CU_ASSERT_EQUAL(capcheck_eal_args(5, ARGV("-l", "0", "--vdev", arg)),
			1);
	CU_ASSERT_EQUAL(capcheck_eal_args(3, ARGV("--vdev", "net_null0")), 0);

	snprintf(arg, sizeof(arg), "--vdev=net_pcap1,rx_pcap=%s", bad);
	stderr = fopen("/dev/null", "w");
	CU_ASSERT_EQUAL(capcheck_eal_args(2, ARGV(arg)), -EINVAL);
	fclose(stderr);
	stderr = saved;
}

int
test_register(int argc, char **argv)
{
	static const struct test_case opts[] = {
		{ "defaults", test_defaults },
		{ "good values", test_good_values },
		{ "bad values", test_bad_values },
		{ "help", test_help },
		{ NULL, NULL },
	};
	static const struct test_case caps[] = {
		{ "capture files", test_captures },
		{ "rx_pcap in EAL arguments", test_eal_args },
		{ NULL, NULL },
	};
	const char *dir = getenv("SLUICE_PCAP_DIR");

	(void)argc;
	(void)argv;
	snprintf(pcap_dir, sizeof(pcap_dir), "%s",
		 dir != NULL ? dir : "../shared/pcaps");
	if (test_add_suite("opts", opts, NULL, NULL))
		return 1;
	return test_add_suite("capcheck", caps, NULL, NULL);
}
