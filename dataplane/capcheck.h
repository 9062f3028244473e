/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture files are checked before the EAL sees them. net_pcap reads any
 * file libpcap opens as if it held Ethernet frames, and on a broken file
 * it logs libpcap's message and leaves the application with no port; a
 * record error in the middle makes every later poll fail again. sluice
 * instead reads each rx_pcap= file through once and refuses to start on
 * one that is not wholly readable Ethernet, naming the file and the reason.
 */
#ifndef SLUICE_CAPCHECK_H
#define SLUICE_CAPCHECK_H

#include <stddef.h>
#include <stdint.h>

/*
 * Check one capture: it opens, its link type is Ethernet, and every record
 * reads. Returns 0 and sets *records, or -EINVAL with the reason in @err.
 */
int capcheck_file(const char *path, uint64_t *records, char *err,
		  size_t errlen);

/*
 * Find the rx_pcap= files of every net_pcap vdev among EAL arguments and
 * check them. Prints "Error: capture 'F': reason" and returns -EINVAL on
 * the first bad one; returns the number of captures checked otherwise.
 */
int capcheck_eal_args(int argc, char **argv);

#endif /* SLUICE_CAPCHECK_H */
