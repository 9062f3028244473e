/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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

/* Copy the rx_pcap= value out of one vdev's devargs, if it has one. */
static int
capcheck_devarg(const char *devargs, char *path, size_t len)
{
	const char *p = devargs;
	size_t n;

	if (strncmp(devargs, "net_pcap", 8) != 0 &&
	    strncmp(devargs, "eth_pcap", 8) != 0)
		return 0;

	while ((p = strchr(p, ',')) != NULL) {
		p++;
		if (strncmp(p, "rx_pcap=", 8) != 0)
			continue;

		p += 8;
		n = strcspn(p, ",");
		if (n == 0 || n >= len)
			return 0;
		memcpy(path, p, n);
		path[n] = '\0';
		return 1;
	}

	return 0;
}

int
capcheck_eal_args(int argc, char **argv)
{
	char path[4096], err[512];
	const char *devargs;
	uint64_t records;
	int i, checked = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;

		if (strcmp(argv[i], "--vdev") == 0 && i + 1 < argc)
			devargs = argv[++i];
		else if (strncmp(argv[i], "--vdev=", 7) == 0)
			devargs = argv[i] + 7;
		else
			continue;

		if (!capcheck_devarg(devargs, path, sizeof(path)))
			continue;

		if (capcheck_file(path, &records, err, sizeof(err)) < 0) {
			fprintf(stderr, "Error: capture '%s': %s\n", path, err);
			return -EINVAL;
		}
		checked++;
	}

	return checked;
}
