/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame parser and priority classifier.
 *
 * Plain C over a byte buffer: no DPDK types, so the same code serves the
 * dataplane, the unit tests and (as the reference it must agree with) the
 * XDP gate. The parser never reads past the bytes it is given and never
 * trusts a length field: every header is checked against what is really
 * there before it is read.
 *
 * What it understands: Ethernet II, up to PKT_VLAN_MAX_DEPTH tags of TPID
 * 0x8100, 0x88a8 or 0x9100 (802.1Q, 802.1ad and the pre-standard QinQ
 * TPID), IPv4 with options, IPv6 with up to PKT_IPV6_EXT_MAX extension
 * headers, TCP and UDP ports. Anything else (MPLS, PPPoE, LLC, ARP...) is a
 * valid frame of an unknown L3 and gets the default class.
 *
 * Note: an 802.3 length field (ethertype < 0x0600) is taken as "not IP";
 * LLC/SNAP encapsulated IP is not looked into.
 */
#ifndef SLUICE_PKT_H
#define SLUICE_PKT_H

#include <stdbool.h>
#include <stdint.h>

#define PKT_CLASSES 8
#define PKT_ETH_HLEN 14
#define PKT_VLAN_MAX_DEPTH 4
#define PKT_IPV6_EXT_MAX 8
#define PKT_DSCP_VALUES 64

/* Why a frame is not well formed; PKT_OK when it is. */
enum pkt_anomaly {
	PKT_OK = 0,
	PKT_RUNT,        /* shorter than an Ethernet header */
	PKT_TRUNCATED,   /* a header, or a length it claims, runs off the end */
	PKT_BAD_HEADER,  /* version, IHL, data offset or length impossible */
	PKT_VLAN_DEPTH,  /* more than PKT_VLAN_MAX_DEPTH tags */
	PKT_EXT_CHAIN,   /* more than PKT_IPV6_EXT_MAX IPv6 extension headers */
	PKT_ANOMALY_MAX,
};

enum pkt_l3 {
	PKT_L3_NONE = 0, /* not IP (ARP, LLDP, MPLS, 802.3 length...) */
	PKT_L3_IPV4,
	PKT_L3_IPV6,
};

/* Where the class came from. */
enum pkt_class_src {
	PKT_CLASS_DEFAULT = 0,
	PKT_CLASS_PCP,
	PKT_CLASS_DSCP,
};

/*
 * Tags a NIC removed before the frame reached us (RX VLAN/QinQ strip). They
 * were outside every tag still in the frame, outer first.
 */
struct pkt_rx_meta {
	uint8_t n_stripped; /* 0, 1 or 2 */
	uint16_t tci[2];    /* tci[0] is the outermost */
};

struct pkt_info {
	uint8_t anomaly;     /* enum pkt_anomaly */
	uint8_t l3;          /* enum pkt_l3 */
	uint8_t n_tags;      /* tags seen, stripped ones included */
	uint8_t has_tag;     /* outer tag fields below are valid */
	uint16_t vid;        /* outer tag: TCI & 0x0fff */
	uint8_t pcp;         /* outer tag: TCI >> 13 */
	uint8_t dei;         /* outer tag: bit 12 */
	uint16_t ethertype;  /* after the last tag, host order */
	uint16_t l3_off;     /* offset of the IP header, 0 when none */
	uint16_t l4_off;     /* offset of the TCP/UDP header, 0 when none */
	uint8_t has_dscp;    /* dscp/ecn valid: IP header present and sane */
	uint8_t dscp;
	uint8_t ecn;
	uint8_t l4_proto;    /* IPPROTO_* of the upper layer, 0 when unknown */
	uint8_t is_fragment; /* IPv4 MF/offset or IPv6 fragment header */
	uint8_t has_ports;   /* sport/dport valid (TCP/UDP, first fragment) */
	uint16_t sport;      /* host order */
	uint16_t dport;
};

struct pkt_classifier {
	uint8_t dscp_class[PKT_DSCP_VALUES];
	uint8_t default_class;
};

/*
 * Parse one frame.
 *
 * @data: the first bytes of the frame, contiguous.
 * @caplen: how many bytes @data holds (headers must fit in these).
 * @wirelen: the frame's whole length (>= caplen); IP length fields are
 *   checked against it.
 * @meta: tags stripped by the NIC, or NULL.
 * @pi: filled in whatever the outcome; fields past the point where parsing
 *   stopped stay zero.
 *
 * Returns pi->anomaly: PKT_OK or the reason the frame is malformed. The
 * outer tag (and so the PCP) is valid even when a later header is not.
 *
 * In short: a header running past @caplen, or an IP length past @wirelen,
 * is PKT_TRUNCATED; a header that is impossible or contradicts the IP
 * length around it is PKT_BAD_HEADER. IPv4 total length 0 (TSO/BIG TCP)
 * and IPv6 jumbograms (payload length 0 + Hop-by-Hop) are PKT_BAD_HEADER.
 * A first fragment ending inside its TCP/UDP header is PKT_OK, no ports.
 * pkt.c has the details.
 */
enum pkt_anomaly pkt_parse(const uint8_t *data, uint32_t caplen,
			   uint32_t wirelen, const struct pkt_rx_meta *meta,
			   struct pkt_info *pi);

/*
 * Class of a parsed frame: the outer tag's PCP when tagged (VID 0 priority
 * tags count), else the DSCP map when an IP header was read, else the
 * default class. @src, if not NULL, says which.
 */
uint8_t pkt_classify(const struct pkt_classifier *c,
		     const struct pkt_info *pi, enum pkt_class_src *src);

/* Default map: class = DSCP >> 3 (class selector), default class 0. */
void pkt_classifier_init(struct pkt_classifier *c);

/*
 * Apply a map given as "DSCP=CLASS[,DSCP=CLASS...]", e.g. "46=6,10=1".
 * Returns 0, or -EINVAL when the text does not parse or a value is out of
 * range (DSCP 0-63, class 0-7); @c is unchanged on error.
 */
int pkt_classifier_parse_map(struct pkt_classifier *c, const char *text);

/*
 * Short snake_case name of an anomaly, as used in counters and JSON;
 * "unknown" for a value out of range.
 */
const char *pkt_anomaly_name(enum pkt_anomaly a);

#endif /* SLUICE_PKT_H */
