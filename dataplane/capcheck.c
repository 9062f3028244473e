/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <stdbool.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "capcheck.h"

int
capcheck_file(const char *path, uint64_t *records, char *err, size_t errlen)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *hdr;
	const u_char *data;
	uint64_t n = 0;
	pcap_t *p;
	int link, rc;

	p = pcap_open_offline(path, pcap_err);
	if (p == NULL) {
		snprintf(err, errlen, "%s", pcap_err);
		return -EINVAL;
	}

	link = pcap_datalink(p);
	if (link != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(link);

		snprintf(err, errlen, "link type %s (%d) is not Ethernet",
			 name != NULL ? name : "unknown", link);
		pcap_close(p);
		return -EINVAL;
	}

	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1)
		n++;

	if (rc == PCAP_ERROR) {
		snprintf(err, errlen, "unreadable after %" PRIu64
			 " records: %s", n, pcap_geterr(p));
		pcap_close(p);
		return -EINVAL;
	}

	pcap_close(p);
	*records = n;
	return 0;
}

/* The value of key @key (with '=') at @p, up to the next comma. */
static int
capcheck_value(const char *p, const char *key, char *out, size_t len)
{
	size_t k = strlen(key), n;

	if (strncmp(p, key, k) != 0)
		return 0;

	n = strcspn(p + k, ",");
	if (n >= len)
		n = len - 1;
	memcpy(out, p + k, n);
	out[n] = '\0';
	return 1;
}

static bool
capcheck_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (strcmp(a, b) == 0)
		return true;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * One net_pcap vdev: its one rx_pcap must be readable Ethernet, and must
 * not be the file its tx_pcap truncates.
 */
static int
capcheck_vdev(const char *devargs)
{
	char rx[4096] = "", tx[4096] = "", val[4096], err[512];
	const char *p = devargs;
	unsigned int n_rx = 0, n_tx = 0;
	uint64_t records;

	if (strncmp(devargs, "net_pcap", 8) != 0 &&
	    strncmp(devargs, "eth_pcap", 8) != 0)
		return 0;

	while ((p = strchr(p, ',')) != NULL) {
		p++;
		if (capcheck_value(p, "rx_pcap=", val, sizeof(val))) {
			if (n_rx++ == 0)
				snprintf(rx, sizeof(rx), "%s", val);
		} else if (capcheck_value(p, "tx_pcap=", val, sizeof(val)) ||
			   capcheck_value(p, "tx_iface=", val, sizeof(val)) ||
			   capcheck_value(p, "iface=", val, sizeof(val))) {
			if (n_tx++ == 0 && strncmp(p, "tx_pcap=", 8) == 0)
				snprintf(tx, sizeof(tx), "%s", val);
		}
	}

	if (n_rx == 0)
		return 0;
	if (n_rx > 1) {
		fprintf(stderr, "Error: vdev '%s': %u rx_pcap files; sluice-dp "
			"reads one RX queue per port, give each capture a port "
			"of its own\n", devargs, n_rx);
		return -EINVAL;
	}
	if (capcheck_file(rx, &records, err, sizeof(err)) < 0) {
		fprintf(stderr, "Error: capture '%s': %s\n", rx, err);
		return -EINVAL;
	}
	if (tx[0] != '\0' && capcheck_same_file(rx, tx)) {
		fprintf(stderr, "Error: capture '%s' is also the tx_pcap of its "
			"port: writing it would destroy it while it is read\n",
			rx);
		return -EINVAL;
	}
	/*
	 * XXX: net_pcap ignores write errors of its tx_pcap (pcap_dump has
	 * no return value): on a full disk frames still count as sent.
	 */
	if (n_tx == 0)
		fprintf(stderr, "Warning: vdev '%s' has no tx_pcap: net_pcap "
			"discards what is sent on it\n", devargs);
	return 1;
}

/* "--vdev" as getopt also takes it: any unique prefix down to "--vd". */
static const char *
capcheck_vdev_arg(int argc, char **argv, int *i)
{
	const char *a = argv[*i], *eq = strchr(a, '=');
	size_t n = eq != NULL ? (size_t)(eq - a) : strlen(a);

	if (n < 4 || n > 6 || strncmp(a, "--vdev", n) != 0)
		return NULL;
	if (eq != NULL)
		return eq + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

int
capcheck_eal_args(int argc, char **argv)
{
	const char *devargs;
	int i, rc, checked = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;

		devargs = capcheck_vdev_arg(argc, argv, &i);
		if (devargs == NULL)
			continue;

		rc = capcheck_vdev(devargs);
		if (rc < 0)
			return rc;
		checked += rc;
	}

	return checked;
}
