/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcap-frames: print each record of a capture as one line "CAPLEN HEX", so
 * shell tests can compare frames byte for byte with diff or cmp.
 *
 *   pcap-frames FILE      one line per record: caplen, a space, the bytes
 *                         (FILE "-" reads standard input)
 *   pcap-frames -l FILE   the link type's name (e.g. EN10MB) and nothing else
 *
 * Exit status: 0 when every record read; 1 with "Error: capture 'F':
 * reason" on stderr when the file does not open or a record does not read
 * (the records before the bad one are printed first). 2 on a usage error.
 *
 * Note: only the captured bytes are printed; the wire length of a record
 * cut by the snap length is not.
 */
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

static void
frames_usage(FILE *f)
{
	fprintf(f, "Usage: pcap-frames [-l] FILE\n"
		"  -l  print the link type name instead of the frames\n");
}

static void
frames_print(const struct pcap_pkthdr *hdr, const u_char *data)
{
	static const char hex[] = "0123456789abcdef";
	bpf_u_int32 i;

	printf("%u ", hdr->caplen);
	for (i = 0; i < hdr->caplen; i++) {
		putchar(hex[data[i] >> 4]);
		putchar(hex[data[i] & 0x0f]);
	}
	putchar('\n');
}

static int
frames_link(pcap_t *p)
{
	const char *name = pcap_datalink_val_to_name(pcap_datalink(p));

	if (name != NULL)
		printf("%s\n", name);
	else
		printf("%d\n", pcap_datalink(p));
	return 0;
}

static int
frames_dump(pcap_t *p, const char *path)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc;

	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1)
		frames_print(hdr, data);

	if (rc == PCAP_ERROR) {
		fflush(stdout);
		fprintf(stderr, "Error: capture '%s': %s\n", path,
			pcap_geterr(p));
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	const char *path;
	int link_only = 0, rc;
	pcap_t *p;

	if (argc == 3 && strcmp(argv[1], "-l") == 0) {
		link_only = 1;
		path = argv[2];
	} else if (argc == 2 && (argv[1][0] != '-' || argv[1][1] == '\0')) {
		path = argv[1];
	} else {
		frames_usage(stderr);
		return 2;
	}

	p = pcap_open_offline(path, err);
	if (p == NULL) {
		fprintf(stderr, "Error: capture '%s': %s\n", path, err);
		return 1;
	}

	rc = link_only ? frames_link(p) : frames_dump(p, path);
	pcap_close(p);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "Error: writing the frames failed\n");
		return 1;
	}
	return rc;
}
