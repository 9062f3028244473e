/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for the frame parser and priority classifier (pkt.c).
 *
 * Covered, with frames built byte by byte in this file:
 *  - L2: runts (0, 1, 13 bytes), exactly 14 bytes of non-IP, 802.3 length
 *    frames, 802.1Q tags with every PCP, DEI, VID 0 priority tags, TCI
 *    masks, 802.1ad + 802.1Q and 0x9100 QinQ (outer tag wins), four tags
 *    accepted and five refused, tags stripped by the NIC counting towards
 *    the depth, tags cut short;
 *  - IPv4: TCP and UDP ports, options (IHL 6..15), IHL < 5, version != 4,
 *    total length too long, shorter than the header, 0, or shorter than the
 *    frame (padding), fragments (only the first has ports), caplen <
 *    wirelen, DSCP and ECN bits;
 *  - IPv6: traffic class bits, HBH + routing + destination + fragment
 *    chains, AH and the (len + 1) * 8 headers, eight headers accepted and
 *    nine refused, headers running off the capture or the payload, wrong
 *    version, payload length too long, jumbograms, no-next-header and ESP;
 *  - L4: TCP data offset < 5 or past the capture, UDP length invalid;
 *  - classifier: default map, PCP over DSCP, custom maps valid and invalid
 *    (the map is untouched after a failed parse), anomaly names;
 *  - robustness: every caplen of several frames and a seeded byte-flip
 *    loop, each parse reading from a heap buffer of exactly caplen bytes so
 *    AddressSanitizer or valgrind flag any read past it;
 *  - real captures from $SLUICE_PCAP_DIR: every record of every Ethernet
 *    capture parses sanely, plus facts checked beforehand with tcpdump on
 *    particular files. Skipped with a message when the folder is absent.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "cunit_main.h"
#include "pkt.h"

#define FRAME_MAX 2048

struct frame {
	uint8_t b[FRAME_MAX];
	uint32_t len;
};

/* ---- Frame building ---------------------------------------------------- */

static void
f_u8(struct frame *f, uint8_t v)
{
	if (f->len < FRAME_MAX)
		f->b[f->len++] = v;
}

static void
f_u16(struct frame *f, uint16_t v)
{
	f_u8(f, (uint8_t)(v >> 8));
	f_u8(f, (uint8_t)v);
}

static void
f_fill(struct frame *f, uint32_t n, uint8_t v)
{
	while (n--)
		f_u8(f, v);
}

static void
f_set16(struct frame *f, uint32_t off, uint16_t v)
{
	f->b[off] = (uint8_t)(v >> 8);
	f->b[off + 1] = (uint8_t)v;
}

/* Destination and source MAC: the start of every frame. */
static void
f_macs(struct frame *f)
{
	f->len = 0;
	f_fill(f, 6, 0x02);
	f_fill(f, 6, 0x04);
}

static void
f_tag(struct frame *f, uint16_t tpid, uint16_t tci)
{
	f_u16(f, tpid);
	f_u16(f, tci);
}

static void
f_eth(struct frame *f, uint16_t etype)
{
	f_macs(f);
	f_u16(f, etype);
}

/* IPv4 header with IHL @ihl (options are NOPs); returns its offset. */
static uint32_t
f_ipv4(struct frame *f, uint8_t tos, uint8_t proto, uint8_t ihl,
       uint16_t frag)
{
	uint32_t off = f->len;

	f_u8(f, (uint8_t)(0x40 | ihl));
	f_u8(f, tos);
	f_u16(f, 0);            /* total length: set by f_ipv4_done() */
	f_u16(f, 0x1234);       /* id */
	f_u16(f, frag);
	f_u8(f, 64);            /* ttl */
	f_u8(f, proto);
	f_u16(f, 0);            /* checksum: not looked at */
	f_fill(f, 4, 10);
	f_fill(f, 4, 11);
	if (ihl > 5)
		f_fill(f, (uint32_t)(ihl - 5) * 4, 1); /* NOP options */
	return off;
}

static void
f_ipv4_done(struct frame *f, uint32_t off)
{
	f_set16(f, off + 2, (uint16_t)(f->len - off));
}

/* IPv6 header with traffic class @tc and a flow label of all ones. */
static uint32_t
f_ipv6(struct frame *f, uint8_t tc, uint8_t nh)
{
	uint32_t off = f->len;

	f_u8(f, (uint8_t)(0x60 | (tc >> 4)));
	f_u8(f, (uint8_t)((tc << 4) | 0x0f));
	f_u16(f, 0xffff);
	f_u16(f, 0);            /* payload length: set by f_ipv6_done() */
	f_u8(f, nh);
	f_u8(f, 64);
	f_fill(f, 16, 0x20);
	f_fill(f, 16, 0x21);
	return off;
}

static void
f_ipv6_done(struct frame *f, uint32_t off)
{
	f_set16(f, off + 4, (uint16_t)(f->len - off - 40));
}

/* Extension header of (@units + 1) * 8 bytes, e.g. HBH or routing. */
static void
f_ext(struct frame *f, uint8_t nh, uint8_t units)
{
	f_u8(f, nh);
	f_u8(f, units);
	f_fill(f, (uint32_t)units * 8 + 6, 0);
}

static void
f_frag6(struct frame *f, uint8_t nh, uint16_t offset, int more)
{
	f_u8(f, nh);
	f_u8(f, 0);
	f_u16(f, (uint16_t)((offset << 3) | (more ? 1 : 0)));
	f_fill(f, 4, 0xab);
}

static void
f_tcp(struct frame *f, uint16_t sport, uint16_t dport, uint8_t doff)
{
	uint32_t i, n = doff < 5 ? 20 : (uint32_t)doff * 4;

	f_u16(f, sport);
	f_u16(f, dport);
	f_fill(f, 8, 0);
	f_u8(f, (uint8_t)(doff << 4));
	f_u8(f, 0x02);          /* SYN */
	f_u16(f, 8192);
	for (i = 16; i < n; i++)
		f_u8(f, 0);
}

static void
f_udp(struct frame *f, uint16_t sport, uint16_t dport, uint16_t payload)
{
	f_u16(f, sport);
	f_u16(f, dport);
	f_u16(f, (uint16_t)(8 + payload));
	f_u16(f, 0);
	f_fill(f, payload, 0x55);
}

/* Untagged IPv4 TCP, a frame many tests start from. */
static void
f_ipv4_tcp(struct frame *f, uint8_t tos)
{
	uint32_t l3;

	f_eth(f, 0x0800);
	l3 = f_ipv4(f, tos, 6, 5, 0);
	f_tcp(f, 1234, 80, 5);
	f_ipv4_done(f, l3);
}

/* ---- Parsing helpers ---------------------------------------------------- */

/*
 * Parse @caplen bytes of @data from a heap copy of exactly that size, so a
 * read past caplen is caught by AddressSanitizer or valgrind instead of
 * landing in the rest of a larger buffer.
 */
static enum pkt_anomaly
parse_exact(const uint8_t *data, uint32_t caplen, uint32_t wirelen,
	    const struct pkt_rx_meta *meta, struct pkt_info *pi)
{
	enum pkt_anomaly a;
	uint8_t *copy = NULL;

	if (caplen > 0) {
		copy = malloc(caplen);
		CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
		memcpy(copy, data, caplen);
	}

	a = pkt_parse(copy, caplen, wirelen, meta, pi);
	free(copy);
	return a;
}

static enum pkt_anomaly
parse(const struct frame *f, struct pkt_info *pi)
{
	return parse_exact(f->b, f->len, f->len, NULL, pi);
}

static enum pkt_anomaly
parse_meta(const struct frame *f, const struct pkt_rx_meta *m,
	   struct pkt_info *pi)
{
	return parse_exact(f->b, f->len, f->len, m, pi);
}

static uint8_t
classify_default(const struct pkt_info *pi, enum pkt_class_src *src)
{
	struct pkt_classifier c;

	pkt_classifier_init(&c);
	return pkt_classify(&c, pi, src);
}

/*
 * Invariants that hold for any input: what a consumer may rely on even for
 * garbage. Returns 0 when they hold so callers can count failures rather
 * than flood the report.
 */
static int
sane(const struct pkt_info *pi, enum pkt_anomaly a, uint32_t caplen)
{
	if (a != pi->anomaly || a >= PKT_ANOMALY_MAX)
		return -1;
	if ((caplen < PKT_ETH_HLEN) != (a == PKT_RUNT))
		return -1;
	if (pi->l3 > PKT_L3_IPV6 || pi->n_tags > PKT_VLAN_MAX_DEPTH)
		return -1;
	if (pi->l3 != PKT_L3_NONE &&
	    (pi->l3_off < PKT_ETH_HLEN || pi->l3_off > caplen))
		return -1;
	if (pi->has_tag && (pi->pcp > 7 || pi->dei > 1 || pi->vid > 0xfff))
		return -1;
	if (pi->has_dscp && (pi->dscp > 63 || pi->ecn > 3 ||
			     pi->l3 == PKT_L3_NONE))
		return -1;
	if (pi->has_ports && (a != PKT_OK || pi->l4_off <= pi->l3_off ||
			      (uint32_t)pi->l4_off + 8 > caplen))
		return -1;
	if (classify_default(pi, NULL) >= PKT_CLASSES)
		return -1;
	return 0;
}

/* ---- L2 ----------------------------------------------------------------- */

static void
test_runt(void)
{
	static const uint32_t lens[] = { 0, 1, 13 };
	struct pkt_info pi;
	struct frame f;
	unsigned int i;

	f_ipv4_tcp(&f, 0);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		CU_ASSERT_EQUAL(parse_exact(f.b, lens[i], lens[i], NULL, &pi),
				PKT_RUNT);
		CU_ASSERT_EQUAL(pi.anomaly, PKT_RUNT);
		CU_ASSERT_EQUAL(pi.l3, PKT_L3_NONE);
		CU_ASSERT_EQUAL(pi.has_tag, 0);
		CU_ASSERT_EQUAL(pi.has_dscp, 0);
		CU_ASSERT_EQUAL(classify_default(&pi, NULL), 0);
	}

	/* No buffer at all is a runt, not a crash. */
	CU_ASSERT_EQUAL(pkt_parse(NULL, 0, 0, NULL, &pi), PKT_RUNT);
}

static void
test_eth_only(void)
{
	struct pkt_info pi;
	struct frame f;

	f_eth(&f, 0x0806); /* ARP with no body: nothing more to read */
	CU_ASSERT_EQUAL(f.len, 14);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.ethertype, 0x0806);
	CU_ASSERT_EQUAL(pi.l3, PKT_L3_NONE);
	CU_ASSERT_EQUAL(pi.l3_off, 0);
	CU_ASSERT_EQUAL(pi.n_tags, 0);

	/* 14 bytes claiming IPv4 or a tag: the next header is missing. */
	f_eth(&f, 0x0800);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_TRUNCATED);
	CU_ASSERT_EQUAL(pi.l3, PKT_L3_IPV4);
	CU_ASSERT_EQUAL(pi.l3_off, 14);
	CU_ASSERT_EQUAL(pi.has_dscp, 0);

	f_eth(&f, 0x8100);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_TRUNCATED);
	CU_ASSERT_EQUAL(pi.has_tag, 0);
}

static void
test_8023_length(void)
{
	struct pkt_info pi;
	struct frame f;

	/* LLC with a length field that looks like 0x0800 once misread. */
	f_eth(&f, 0x05dc);
	f_u8(&f, 0xaa);
	f_u8(&f, 0xaa);
	f_u8(&f, 0x03);
	f_fill(&f, 3, 0);
	f_u16(&f, 0x0800);
	f_fill(&f, 40, 0x45);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.l3, PKT_L3_NONE);
	CU_ASSERT_EQUAL(pi.ethertype, 0x05dc);
	CU_ASSERT_EQUAL(pi.has_dscp, 0);
}

/* One 802.1Q tag with @tci over IPv4 TCP. */
static void
f_tagged(struct frame *f, uint16_t tpid, uint16_t tci, uint8_t tos)
{
	uint32_t l3;

	f_macs(f);
	f_tag(f, tpid, tci);
	f_u16(f, 0x0800);
	l3 = f_ipv4(f, tos, 6, 5, 0);
	f_tcp(f, 5000, 443, 5);
	f_ipv4_done(f, l3);
}

static void
test_vlan_pcp(void)
{
	enum pkt_class_src src;
	struct pkt_info pi;
	struct frame f;
	uint16_t pcp;

	for (pcp = 0; pcp < 8; pcp++) {
		/* DSCP 46 inside must not matter: the tag wins. */
		f_tagged(&f, 0x8100, (uint16_t)(pcp << 13 | 100), 0xb8);
		CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
		CU_ASSERT_EQUAL(pi.has_tag, 1);
		CU_ASSERT_EQUAL(pi.n_tags, 1);
		CU_ASSERT_EQUAL(pi.pcp, pcp);
		CU_ASSERT_EQUAL(pi.vid, 100);
		CU_ASSERT_EQUAL(pi.dei, 0);
		CU_ASSERT_EQUAL(pi.ethertype, 0x0800);
		CU_ASSERT_EQUAL(pi.l3_off, 18);
		CU_ASSERT_EQUAL(pi.l4_off, 38);
		CU_ASSERT_EQUAL(pi.has_dscp, 1);
		CU_ASSERT_EQUAL(pi.dscp, 46);
		CU_ASSERT_EQUAL(pi.has_ports, 1);
		CU_ASSERT_EQUAL(classify_default(&pi, &src), pcp);
		CU_ASSERT_EQUAL(src, PKT_CLASS_PCP);
	}
}

static void
test_vlan_tci_bits(void)
{
	struct pkt_info pi;
	struct frame f;

	/* DEI alone does not bleed into VID or PCP. */
	f_tagged(&f, 0x8100, 0x1000 | 42, 0);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.dei, 1);
	CU_ASSERT_EQUAL(pi.vid, 42);
	CU_ASSERT_EQUAL(pi.pcp, 0);

	f_tagged(&f, 0x8100, 0xffff, 0);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.vid, 0xfff);
	CU_ASSERT_EQUAL(pi.pcp, 7);
	CU_ASSERT_EQUAL(pi.dei, 1);

	f_tagged(&f, 0x8100, 0xe000, 0);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.vid, 0);
	CU_ASSERT_EQUAL(pi.pcp, 7);
	CU_ASSERT_EQUAL(pi.dei, 0);

	f_tagged(&f, 0x8100, 0x0fff, 0);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.vid, 0xfff);
	CU_ASSERT_EQUAL(pi.pcp, 0);
	CU_ASSERT_EQUAL(pi.dei, 0);
}

static void
test_vlan_priority_tag(void)
{
	enum pkt_class_src src;
	struct pkt_info pi;
	struct frame f;

	/* VID 0 carries only a priority, and it still counts as a tag. */
	f_tagged(&f, 0x8100, 3 << 13, 0xb8);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.has_tag, 1);
	CU_ASSERT_EQUAL(pi.vid, 0);
	CU_ASSERT_EQUAL(pi.pcp, 3);
	CU_ASSERT_EQUAL(classify_default(&pi, &src), 3);
	CU_ASSERT_EQUAL(src, PKT_CLASS_PCP);

	/* Even PCP 0 VID 0 overrides DSCP 46. */
	f_tagged(&f, 0x8100, 0, 0xb8);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.has_tag, 1);
	CU_ASSERT_EQUAL(classify_default(&pi, &src), 0);
	CU_ASSERT_EQUAL(src, PKT_CLASS_PCP);
}

static void
test_vlan_qinq(void)
{
	static const uint16_t outer[] = { 0x88a8, 0x9100, 0x8100 };
	struct pkt_info pi;
	struct frame f;
	unsigned int i;
	uint32_t l3;

	for (i = 0; i < sizeof(outer) / sizeof(outer[0]); i++) {
		f_macs(&f);
		f_tag(&f, outer[i], 6 << 13 | 100);
		f_tag(&f, 0x8100, 2 << 13 | 0x1000 | 200);
		f_u16(&f, 0x0800);
		l3 = f_ipv4(&f, 0, 17, 5, 0);
		f_udp(&f, 53, 5353, 4);
		f_ipv4_done(&f, l3);

		CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
		CU_ASSERT_EQUAL(pi.n_tags, 2);
		CU_ASSERT_EQUAL(pi.vid, 100);
		CU_ASSERT_EQUAL(pi.pcp, 6);
		CU_ASSERT_EQUAL(pi.dei, 0);
		CU_ASSERT_EQUAL(pi.l3_off, 22);
		CU_ASSERT_EQUAL(pi.sport, 53);
		CU_ASSERT_EQUAL(classify_default(&pi, NULL), 6);
	}

	/* 0x9100 alone is a tag too. */
	f_tagged(&f, 0x9100, 4 << 13 | 7, 0);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.has_tag, 1);
	CU_ASSERT_EQUAL(pi.pcp, 4);
	CU_ASSERT_EQUAL(pi.vid, 7);
}

/* @n tags (outer PCP 5, VID 1..n) then IPv4 UDP. */
static void
f_n_tags(struct frame *f, unsigned int n)
{
	unsigned int i;
	uint32_t l3;

	f_macs(f);
	for (i = 0; i < n; i++)
		f_tag(f, i == 0 ? 0x88a8 : 0x8100,
		      (uint16_t)((i == 0 ? 5 << 13 : 1 << 13) | (i + 1)));
	f_u16(f, 0x0800);
	l3 = f_ipv4(f, 0, 17, 5, 0);
	f_udp(f, 1, 2, 0);
	f_ipv4_done(f, l3);
}

static void
test_vlan_depth(void)
{
	struct pkt_info pi;
	struct frame f;

	f_n_tags(&f, 4);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.n_tags, 4);
	CU_ASSERT_EQUAL(pi.l3_off, 14 + 16);
	CU_ASSERT_EQUAL(pi.has_ports, 1);

	/* The fifth tag is refused but the outer priority survives. */
	f_n_tags(&f, 5);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_VLAN_DEPTH);
	CU_ASSERT_EQUAL(pi.anomaly, PKT_VLAN_DEPTH);
	CU_ASSERT_EQUAL(pi.has_tag, 1);
	CU_ASSERT_EQUAL(pi.pcp, 5);
	CU_ASSERT_EQUAL(pi.vid, 1);
	CU_ASSERT_EQUAL(pi.n_tags, 4);
	CU_ASSERT_EQUAL(pi.l3, PKT_L3_NONE);
	CU_ASSERT_EQUAL(pi.has_dscp, 0);
	CU_ASSERT_EQUAL(classify_default(&pi, NULL), 5);
}

static void
test_vlan_stripped(void)
{
	struct pkt_rx_meta m = { .n_stripped = 1, .tci = { 0xa005, 0 } };
	struct pkt_info pi;
	struct frame f;

	/* Untagged frame, one tag stripped by the NIC. */
	f_ipv4_tcp(&f, 0xb8);
	CU_ASSERT_EQUAL(parse_meta(&f, &m, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.has_tag, 1);
	CU_ASSERT_EQUAL(pi.n_tags, 1);
	CU_ASSERT_EQUAL(pi.pcp, 5);
	CU_ASSERT_EQUAL(pi.vid, 5);
	CU_ASSERT_EQUAL(pi.l3_off, 14);
	CU_ASSERT_EQUAL(classify_default(&pi, NULL), 5);

	/* The stripped tag was outside the one left in the frame. */
	f_tagged(&f, 0x8100, 2 << 13 | 77, 0);
	CU_ASSERT_EQUAL(parse_meta(&f, &m, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.n_tags, 2);
	CU_ASSERT_EQUAL(pi.pcp, 5);
	CU_ASSERT_EQUAL(pi.vid, 5);

	/* Two stripped: tci[0] is the outer one. */
	m.n_stripped = 2;
	m.tci[0] = 0x2000 | 300;
	m.tci[1] = 0xe000 | 400;
	f_n_tags(&f, 2);
	CU_ASSERT_EQUAL(parse_meta(&f, &m, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.n_tags, 4);
	CU_ASSERT_EQUAL(pi.pcp, 1);
	CU_ASSERT_EQUAL(pi.vid, 300);

	f_n_tags(&f, 3);
	CU_ASSERT_EQUAL(parse_meta(&f, &m, &pi), PKT_VLAN_DEPTH);
	CU_ASSERT_EQUAL(pi.pcp, 1);

	m.n_stripped = 1;
	f_n_tags(&f, 4);
	CU_ASSERT_EQUAL(parse_meta(&f, &m, &pi), PKT_VLAN_DEPTH);
	f_n_tags(&f, 3);
	CU_ASSERT_EQUAL(parse_meta(&f, &m, &pi), PKT_OK);

	/* A runt still reports the priority the NIC told us about. */
	CU_ASSERT_EQUAL(parse_exact(f.b, 10, 10, &m, &pi), PKT_RUNT);
	CU_ASSERT_EQUAL(pi.has_tag, 1);
	CU_ASSERT_EQUAL(pi.pcp, 1);

	m.n_stripped = 0;
	f_ipv4_tcp(&f, 0);
	CU_ASSERT_EQUAL(parse_meta(&f, &m, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.has_tag, 0);
	CU_ASSERT_EQUAL(pi.n_tags, 0);
}

static void
test_vlan_cut(void)
{
	struct pkt_info pi;
	struct frame f;
	uint32_t len;

	/* Tag header with only 2 of its 4 bytes. */
	f_macs(&f);
	f_u16(&f, 0x8100);
	f_u16(&f, 0x6000);
	CU_ASSERT_EQUAL(parse_exact(f.b, 16, 16, NULL, &pi), PKT_TRUNCATED);
	CU_ASSERT_EQUAL(pi.has_tag, 0);

	/* Outer tag whole, inner one cut: the outer PCP is kept. */
	f_n_tags(&f, 2);
	for (len = 18; len < 22; len++) {
		CU_ASSERT_EQUAL(parse_exact(f.b, len, len, NULL, &pi),
				PKT_TRUNCATED);
		CU_ASSERT_EQUAL(pi.has_tag, 1);
		CU_ASSERT_EQUAL(pi.pcp, 5);
		CU_ASSERT_EQUAL(pi.n_tags, 1);
		CU_ASSERT_EQUAL(pi.ethertype, 0);
	}
}

/* ---- IPv4 --------------------------------------------------------------- */

static void
test_ipv4_tcp(void)
{
	enum pkt_class_src src;
	struct pkt_info pi;
	struct frame f;

	f_ipv4_tcp(&f, 0x28); /* AF11 */
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.anomaly, PKT_OK);
	CU_ASSERT_EQUAL(pi.l3, PKT_L3_IPV4);
	CU_ASSERT_EQUAL(pi.ethertype, 0x0800);
	CU_ASSERT_EQUAL(pi.has_tag, 0);
	CU_ASSERT_EQUAL(pi.n_tags, 0);
	CU_ASSERT_EQUAL(pi.l3_off, 14);
	CU_ASSERT_EQUAL(pi.l4_off, 34);
	CU_ASSERT_EQUAL(pi.l4_proto, 6);
	CU_ASSERT_EQUAL(pi.is_fragment, 0);
	CU_ASSERT_EQUAL(pi.has_ports, 1);
	CU_ASSERT_EQUAL(pi.sport, 1234);
	CU_ASSERT_EQUAL(pi.dport, 80);
	CU_ASSERT_EQUAL(pi.has_dscp, 1);
	CU_ASSERT_EQUAL(pi.dscp, 10);
	CU_ASSERT_EQUAL(pi.ecn, 0);
	CU_ASSERT_EQUAL(classify_default(&pi, &src), 1);
	CU_ASSERT_EQUAL(src, PKT_CLASS_DSCP);
}

static void
test_ipv4_udp(void)
{
	struct pkt_info pi;
	struct frame f;
	uint32_t l3;

	f_eth(&f, 0x0800);
	l3 = f_ipv4(&f, 0, 17, 5, 0);
	f_udp(&f, 0xfedc, 0x1234, 12);
	f_ipv4_done(&f, l3);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.l4_proto, 17);
	CU_ASSERT_EQUAL(pi.l4_off, 34);
	CU_ASSERT_EQUAL(pi.has_ports, 1);
	CU_ASSERT_EQUAL(pi.sport, 0xfedc);
	CU_ASSERT_EQUAL(pi.dport, 0x1234);

	/* Neither TCP nor UDP: protocol known, no ports, still OK. */
	f_eth(&f, 0x0800);
	l3 = f_ipv4(&f, 0, 1, 5, 0);
	f_fill(&f, 8, 0);
	f_ipv4_done(&f, l3);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.l4_proto, 1);
	CU_ASSERT_EQUAL(pi.has_ports, 0);
	CU_ASSERT_EQUAL(pi.l4_off, 0);
}

static void
test_ipv4_options(void)
{
	struct pkt_info pi;
	struct frame f;
	uint8_t ihl;
	uint32_t l3;

	for (ihl = 6; ihl <= 15; ihl++) {
		f_eth(&f, 0x0800);
		l3 = f_ipv4(&f, 0, 6, ihl, 0);
		f_tcp(&f, 7, 9, 5);
		f_ipv4_done(&f, l3);
		CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
		CU_ASSERT_EQUAL(pi.l4_off, 14 + ihl * 4);
		CU_ASSERT_EQUAL(pi.has_ports, 1);
		CU_ASSERT_EQUAL(pi.sport, 7);
		CU_ASSERT_EQUAL(pi.dport, 9);

		/* Options cut by the capture: header incomplete. */
		CU_ASSERT_EQUAL(parse_exact(f.b, 14 + ihl * 4 - 1, f.len,
					    NULL, &pi), PKT_TRUNCATED);
		CU_ASSERT_EQUAL(pi.has_dscp, 1);
		CU_ASSERT_EQUAL(pi.l4_proto, 0);
		CU_ASSERT_EQUAL(pi.l4_off, 0);
	}

	/* Same for a protocol whose header is never looked at. */
	f_eth(&f, 0x0800);
	l3 = f_ipv4(&f, 0, 1, 8, 0);
	f_fill(&f, 8, 0);
	f_ipv4_done(&f, l3);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(parse_exact(f.b, 14 + 31, f.len, NULL, &pi),
			PKT_TRUNCATED);
}

static void
test_ipv4_bad_ihl_version(void)
{
	struct pkt_info pi;
	struct frame f;
	uint8_t v;

	for (v = 0; v < 5; v++) {
		f_ipv4_tcp(&f, 0xb8);
		f.b[14] = (uint8_t)(0x40 | v);
		CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
		CU_ASSERT_EQUAL(pi.l3, PKT_L3_IPV4);
		/* An insane header's TOS byte is not trusted. */
		CU_ASSERT_EQUAL(pi.has_dscp, 0);
		CU_ASSERT_EQUAL(pi.has_ports, 0);
		CU_ASSERT_EQUAL(classify_default(&pi, NULL), 0);
	}

	for (v = 0; v < 16; v++) {
		if (v == 4)
			continue;
		f_ipv4_tcp(&f, 0xb8);
		f.b[14] = (uint8_t)(v << 4 | 5);
		CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
		CU_ASSERT_EQUAL(pi.has_dscp, 0);
	}

	/* Fewer than 20 bytes of IPv4. */
	f_ipv4_tcp(&f, 0);
	CU_ASSERT_EQUAL(parse_exact(f.b, 33, 33, NULL, &pi), PKT_TRUNCATED);
	CU_ASSERT_EQUAL(pi.l3, PKT_L3_IPV4);
	CU_ASSERT_EQUAL(pi.l3_off, 14);
	CU_ASSERT_EQUAL(pi.has_dscp, 0);
}

static void
test_ipv4_total_length(void)
{
	struct pkt_info pi;
	struct frame f;

	/* Claims one byte more than the frame carries. */
	f_ipv4_tcp(&f, 0xb8);
	f_set16(&f, 16, (uint16_t)(f.len - 14 + 1));
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_TRUNCATED);
	CU_ASSERT_EQUAL(pi.has_dscp, 1);
	CU_ASSERT_EQUAL(pi.dscp, 46);
	CU_ASSERT_EQUAL(pi.has_ports, 0);

	/* Shorter than its own header. */
	f_set16(&f, 16, 19);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);

	/* 0, as TSO and BIG TCP leave it: refused, see pkt.c. */
	f_set16(&f, 16, 0);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
	CU_ASSERT_EQUAL(pi.has_dscp, 1);

	/* The same lies with a protocol whose header is not read. */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 0, 1, 5, 0);
	f_fill(&f, 8, 0);
	f_set16(&f, 16, 19);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
	f_set16(&f, 16, 0);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
	f_set16(&f, 16, 29);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_TRUNCATED);
	f_set16(&f, 16, 28);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.l4_proto, 1);

	/* Exactly the header: no room for TCP inside the datagram. */
	f_ipv4_tcp(&f, 0xb8);
	f_set16(&f, 16, 20);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
	CU_ASSERT_EQUAL(pi.l4_proto, 6);
	CU_ASSERT_EQUAL(pi.has_ports, 0);
}

static void
test_ipv4_padding(void)
{
	struct pkt_info pi;
	struct frame f;
	uint32_t l3;

	/* A short datagram padded to the 60-byte Ethernet minimum. */
	f_eth(&f, 0x0800);
	l3 = f_ipv4(&f, 0, 17, 5, 0);
	f_udp(&f, 67, 68, 2);
	f_ipv4_done(&f, l3);
	f_fill(&f, 60 - f.len, 0);
	CU_ASSERT_EQUAL(f.len, 60);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.has_ports, 1);

	/* TCP header found only in the padding: not part of the datagram. */
	f_eth(&f, 0x0800);
	l3 = f_ipv4(&f, 0, 6, 5, 0);
	f_fill(&f, 4, 0);
	f_ipv4_done(&f, l3);
	f_fill(&f, 60 - f.len, 0x50);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
	CU_ASSERT_EQUAL(pi.has_ports, 0);
}

static void
test_ipv4_snaplen(void)
{
	struct pkt_info pi;
	struct frame f;
	uint32_t l3;

	/* 1500-byte datagram captured with a 64-byte snap length. */
	f_eth(&f, 0x0800);
	l3 = f_ipv4(&f, 0x10, 6, 5, 0);
	f_tcp(&f, 22, 40000, 5);
	f_fill(&f, 1500 - 40, 0x77);
	f_ipv4_done(&f, l3);
	CU_ASSERT_EQUAL(f.len, 1514);

	CU_ASSERT_EQUAL(parse_exact(f.b, 64, 1514, NULL, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.has_ports, 1);
	CU_ASSERT_EQUAL(pi.sport, 22);
	CU_ASSERT_EQUAL(pi.dscp, 4);

	/* Same bytes, but the wire length says the rest never existed. */
	CU_ASSERT_EQUAL(parse_exact(f.b, 64, 64, NULL, &pi), PKT_TRUNCATED);

	/* Wire length one short of what IP claims. */
	CU_ASSERT_EQUAL(parse_exact(f.b, 64, 1513, NULL, &pi), PKT_TRUNCATED);

	/* TCP header itself cut by the snap length. */
	CU_ASSERT_EQUAL(parse_exact(f.b, 50, 1514, NULL, &pi), PKT_TRUNCATED);
	CU_ASSERT_EQUAL(pi.l4_off, 34);
	CU_ASSERT_EQUAL(pi.has_ports, 0);

	/* A wire length below caplen is read as caplen. */
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, 10, NULL, &pi), PKT_OK);
}

/* IPv4 UDP fragment with 16 bytes of payload and the given flags field. */
static void
f_ipv4_frag(struct frame *f, uint16_t frag, int with_udp)
{
	uint32_t l3;

	f_eth(f, 0x0800);
	l3 = f_ipv4(f, 0, 17, 5, frag);
	if (with_udp) {
		f_udp(f, 4000, 4001, 8);
		/* The UDP length covers the whole datagram, not this piece. */
		f_set16(f, f->len - 16 + 4, 3000);
	} else {
		f_fill(f, 16, 0x99);
	}
	f_ipv4_done(f, l3);
}

static void
test_ipv4_fragments(void)
{
	struct pkt_info pi;
	struct frame f;

	f_ipv4_frag(&f, 0x2000, 1);             /* first: MF, offset 0 */
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.is_fragment, 1);
	CU_ASSERT_EQUAL(pi.has_ports, 1);
	CU_ASSERT_EQUAL(pi.sport, 4000);
	CU_ASSERT_EQUAL(pi.dport, 4001);

	f_ipv4_frag(&f, 0x2000 | 185, 0);       /* middle */
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.is_fragment, 1);
	CU_ASSERT_EQUAL(pi.l4_proto, 17);
	CU_ASSERT_EQUAL(pi.has_ports, 0);
	CU_ASSERT_EQUAL(pi.l4_off, 0);

	f_ipv4_frag(&f, 370, 0);                /* last: offset, no MF */
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.is_fragment, 1);
	CU_ASSERT_EQUAL(pi.has_ports, 0);

	/*
	 * A first fragment ending inside its TCP header (8 of 20 bytes): the
	 * frame is whole, the header continues in the next fragment.
	 */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 0, 6, 5, 0x2000);
	f_fill(&f, 8, 0x31);
	f_ipv4_done(&f, 14);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.is_fragment, 1);
	CU_ASSERT_EQUAL(pi.has_ports, 0);
	CU_ASSERT_EQUAL(pi.l4_off, 34);
	/* A whole TCP header in the fragment, cut by the capture instead. */
	f_eth(&f, 0x0800);
	f_ipv4(&f, 0, 6, 5, 0x2000);
	f_tcp(&f, 1, 2, 5);
	f_ipv4_done(&f, 14);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.has_ports, 1);
	CU_ASSERT_EQUAL(parse_exact(f.b, 40, f.len, NULL, &pi),
			PKT_TRUNCATED);

	/* DF is not a fragment, and its UDP length is checked again. */
	f_ipv4_frag(&f, 0x4000, 1);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
	CU_ASSERT_EQUAL(pi.is_fragment, 0);
	f_set16(&f, 34 + 4, 16);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.is_fragment, 0);
	CU_ASSERT_EQUAL(pi.has_ports, 1);
}

static void
test_ipv4_dscp_ecn(void)
{
	static const struct {
		uint8_t tos, dscp, ecn, cls;
	} cases[] = {
		{ 0x00, 0, 0, 0 }, { 0xb8, 46, 0, 5 }, { 0xb9, 46, 1, 5 },
		{ 0x02, 0, 2, 0 }, { 0x03, 0, 3, 0 }, { 0xfc, 63, 0, 7 },
		{ 0xff, 63, 3, 7 }, { 0x20, 8, 0, 1 }, { 0x48, 18, 0, 2 },
	};
	enum pkt_class_src src;
	struct pkt_info pi;
	struct frame f;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f_ipv4_tcp(&f, cases[i].tos);
		CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
		CU_ASSERT_EQUAL(pi.has_dscp, 1);
		CU_ASSERT_EQUAL(pi.dscp, cases[i].dscp);
		CU_ASSERT_EQUAL(pi.ecn, cases[i].ecn);
		CU_ASSERT_EQUAL(classify_default(&pi, &src), cases[i].cls);
		CU_ASSERT_EQUAL(src, PKT_CLASS_DSCP);
	}
}

/* ---- TCP and UDP -------------------------------------------------------- */

static void
test_tcp_header(void)
{
	struct pkt_info pi;
	struct frame f;
	uint8_t doff;
	uint32_t l3;

	for (doff = 0; doff < 5; doff++) {
		f_ipv4_tcp(&f, 0);
		f.b[34 + 12] = (uint8_t)(doff << 4);
		CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
		CU_ASSERT_EQUAL(pi.has_ports, 0);
		CU_ASSERT_EQUAL(pi.l4_proto, 6);
		CU_ASSERT_EQUAL(pi.has_dscp, 1);
	}

	/* Data offset 15 with the options really there. */
	f_eth(&f, 0x0800);
	l3 = f_ipv4(&f, 0, 6, 5, 0);
	f_tcp(&f, 1, 2, 15);
	f_ipv4_done(&f, l3);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.has_ports, 1);

	/* Data offset 15 over 20 bytes of header and nothing else. */
	f_ipv4_tcp(&f, 0);
	f.b[34 + 12] = 0xf0;
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_TRUNCATED);
	CU_ASSERT_EQUAL(pi.has_ports, 0);
	CU_ASSERT_EQUAL(pi.l4_off, 34);

	/* 19 of the 20 fixed bytes. */
	f_ipv4_tcp(&f, 0);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len - 1, f.len - 1, NULL, &pi),
			PKT_TRUNCATED);
}

static void
test_udp_length(void)
{
	struct pkt_info pi;
	struct frame f;
	uint16_t ulen;
	uint32_t l3;

	f_eth(&f, 0x0800);
	l3 = f_ipv4(&f, 0, 17, 5, 0);
	f_udp(&f, 10, 20, 10);
	f_ipv4_done(&f, l3);

	for (ulen = 0; ulen < 8; ulen++) {
		f_set16(&f, 38, ulen);
		CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
		CU_ASSERT_EQUAL(pi.has_ports, 0);
	}

	/* More than the IP payload (18 bytes) holds. */
	f_set16(&f, 38, 19);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
	f_set16(&f, 38, 0xffff);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);

	/* Exact, and shorter (trailing bytes inside IP are tolerated). */
	f_set16(&f, 38, 18);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	f_set16(&f, 38, 8);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.has_ports, 1);

	/* 7 bytes of UDP header captured. */
	CU_ASSERT_EQUAL(parse_exact(f.b, 41, 41, NULL, &pi), PKT_TRUNCATED);
}

/* ---- IPv6 --------------------------------------------------------------- */

static void
test_ipv6_tcp_tc(void)
{
	static const struct {
		uint8_t tc, dscp, ecn, cls;
	} cases[] = {
		{ 0xb8, 46, 0, 5 }, { 0x00, 0, 0, 0 }, { 0x03, 0, 3, 0 },
		{ 0x01, 0, 1, 0 }, { 0xff, 63, 3, 7 }, { 0x88, 34, 0, 4 },
		{ 0x12, 4, 2, 0 },
	};
	enum pkt_class_src src;
	struct pkt_info pi;
	struct frame f;
	unsigned int i;
	uint32_t l3;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f_eth(&f, 0x86dd);
		l3 = f_ipv6(&f, cases[i].tc, 6);
		f_tcp(&f, 443, 50000, 8);
		f_ipv6_done(&f, l3);

		CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
		CU_ASSERT_EQUAL(pi.l3, PKT_L3_IPV6);
		CU_ASSERT_EQUAL(pi.ethertype, 0x86dd);
		CU_ASSERT_EQUAL(pi.l3_off, 14);
		CU_ASSERT_EQUAL(pi.l4_off, 54);
		CU_ASSERT_EQUAL(pi.l4_proto, 6);
		CU_ASSERT_EQUAL(pi.has_ports, 1);
		CU_ASSERT_EQUAL(pi.sport, 443);
		CU_ASSERT_EQUAL(pi.dport, 50000);
		CU_ASSERT_EQUAL(pi.is_fragment, 0);
		CU_ASSERT_EQUAL(pi.has_dscp, 1);
		CU_ASSERT_EQUAL(pi.dscp, cases[i].dscp);
		CU_ASSERT_EQUAL(pi.ecn, cases[i].ecn);
		CU_ASSERT_EQUAL(classify_default(&pi, &src), cases[i].cls);
		CU_ASSERT_EQUAL(src, PKT_CLASS_DSCP);
	}
}

static void
test_ipv6_chain(void)
{
	struct pkt_info pi;
	struct frame f;
	uint32_t l3;

	/* HBH(8) + routing(24) + destination(16) + fragment(8) + UDP. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 0);
	f_ext(&f, 43, 0);
	f_ext(&f, 60, 2);
	f_ext(&f, 44, 1);
	f_frag6(&f, 17, 0, 1);
	f_udp(&f, 53, 33333, 20);
	f_set16(&f, f.len - 28 + 4, 2000); /* whole datagram's length */
	f_ipv6_done(&f, l3);

	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.is_fragment, 1);
	CU_ASSERT_EQUAL(pi.l4_proto, 17);
	CU_ASSERT_EQUAL(pi.l4_off, 14 + 40 + 8 + 24 + 16 + 8);
	CU_ASSERT_EQUAL(pi.has_ports, 1);
	CU_ASSERT_EQUAL(pi.sport, 53);
	CU_ASSERT_EQUAL(pi.dport, 33333);

	/* A later fragment: no upper-layer header, so no ports. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 60);
	f_ext(&f, 44, 0);
	f_frag6(&f, 17, 100, 0);
	f_fill(&f, 32, 0x42);
	f_ipv6_done(&f, l3);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.is_fragment, 1);
	CU_ASSERT_EQUAL(pi.l4_proto, 17);
	CU_ASSERT_EQUAL(pi.has_ports, 0);
	CU_ASSERT_EQUAL(pi.l4_off, 0);

	/* First fragment with only 4 bytes of the UDP header. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 44);
	f_frag6(&f, 17, 0, 1);
	f_fill(&f, 4, 0x35);
	f_ipv6_done(&f, l3);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.is_fragment, 1);
	CU_ASSERT_EQUAL(pi.has_ports, 0);
	CU_ASSERT_EQUAL(pi.l4_off, 62);

	/* The smallest non-zero offset (8 bytes) is not a first fragment. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 44);
	f_frag6(&f, 6, 1, 1);
	f_tcp(&f, 1, 2, 5);
	f_ipv6_done(&f, l3);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.is_fragment, 1);
	CU_ASSERT_EQUAL(pi.l4_proto, 6);
	CU_ASSERT_EQUAL(pi.has_ports, 0);

	/* An atomic fragment (offset 0, no M) still marks a fragment. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 44);
	f_frag6(&f, 6, 0, 0);
	f_tcp(&f, 1, 2, 5);
	f_ipv6_done(&f, l3);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.is_fragment, 1);
	CU_ASSERT_EQUAL(pi.has_ports, 1);
}

static void
test_ipv6_ext_lengths(void)
{
	static const uint8_t generic[] = { 60, 43, 135, 139, 140 };
	struct pkt_info pi;
	struct frame f;
	unsigned int i;
	uint32_t l3;

	/* AH: (len + 2) * 4 bytes, here 4 -> 24. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 51);
	f_u8(&f, 6);
	f_u8(&f, 4);
	f_fill(&f, 22, 0);
	f_tcp(&f, 179, 179, 5);
	f_ipv6_done(&f, l3);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.l4_off, 14 + 40 + 24);
	CU_ASSERT_EQUAL(pi.sport, 179);

	/* The others: (len + 1) * 8 bytes, here 3 -> 32. */
	for (i = 0; i < sizeof(generic); i++) {
		f_eth(&f, 0x86dd);
		l3 = f_ipv6(&f, 0, generic[i]);
		f_ext(&f, 17, 3);
		f_udp(&f, 9, 10, 0);
		f_ipv6_done(&f, l3);
		CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
		CU_ASSERT_EQUAL(pi.l4_off, 14 + 40 + 32);
		CU_ASSERT_EQUAL(pi.has_ports, 1);
		CU_ASSERT_EQUAL(pi.sport, 9);
	}
}

/* IPv6 with @n destination-options headers in a row, then UDP. */
static void
f_ipv6_n_ext(struct frame *f, unsigned int n)
{
	unsigned int i;
	uint32_t l3;

	f_eth(f, 0x86dd);
	l3 = f_ipv6(f, 0xb8, n ? 60 : 17);
	for (i = 0; i < n; i++)
		f_ext(f, i + 1 < n ? 60 : 17, 0);
	f_udp(f, 1000, 2000, 0);
	f_ipv6_done(f, l3);
}

static void
test_ipv6_ext_chain_limit(void)
{
	struct pkt_info pi;
	struct frame f;

	f_ipv6_n_ext(&f, PKT_IPV6_EXT_MAX);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.l4_off, 14 + 40 + 8 * PKT_IPV6_EXT_MAX);
	CU_ASSERT_EQUAL(pi.has_ports, 1);

	f_ipv6_n_ext(&f, PKT_IPV6_EXT_MAX + 1);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_EXT_CHAIN);
	CU_ASSERT_EQUAL(pi.has_ports, 0);
	CU_ASSERT_EQUAL(pi.l4_proto, 0);
	/* The traffic class was read before the chain was refused. */
	CU_ASSERT_EQUAL(pi.dscp, 46);
	CU_ASSERT_EQUAL(classify_default(&pi, NULL), 5);
}

static void
test_ipv6_ext_overrun(void)
{
	struct pkt_info pi;
	struct frame f;
	uint32_t l3, len;

	/* Destination options claim 88 bytes, the frame ends after 16. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 60);
	f_ext(&f, 6, 1);
	f_ipv6_done(&f, l3);
	f.b[55] = 10;
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_TRUNCATED);
	CU_ASSERT_EQUAL(pi.l3, PKT_L3_IPV6);
	CU_ASSERT_EQUAL(pi.has_dscp, 1);

	/*
	 * Cut anywhere inside the header, even before its length byte. The
	 * wire length is whole, so it is the header that is found short,
	 * not the IPv6 payload length.
	 */
	f.b[55] = 1;
	for (len = 54; len < f.len; len++)
		CU_ASSERT_EQUAL(parse_exact(f.b, len, f.len, NULL, &pi),
				PKT_TRUNCATED);

	/* Fits the capture but not the payload length: malformed. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 0);
	f_ext(&f, 17, 0);
	f_udp(&f, 1, 2, 0);
	f_ipv6_done(&f, l3);
	f_set16(&f, 18, 4);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);

	/* Hop-by-hop anywhere but first. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 60);
	f_ext(&f, 0, 0);
	f_ext(&f, 17, 0);
	f_udp(&f, 1, 2, 0);
	f_ipv6_done(&f, l3);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
}

static void
test_ipv6_bad(void)
{
	struct pkt_info pi;
	struct frame f;
	uint32_t l3;
	uint8_t v;

	for (v = 0; v < 16; v++) {
		if (v == 6)
			continue;
		f_eth(&f, 0x86dd);
		l3 = f_ipv6(&f, 0xb8, 17);
		f_udp(&f, 1, 2, 0);
		f_ipv6_done(&f, l3);
		f.b[14] = (uint8_t)(v << 4 | (f.b[14] & 0x0f));
		CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
		CU_ASSERT_EQUAL(pi.l3, PKT_L3_IPV6);
		CU_ASSERT_EQUAL(pi.has_dscp, 0);
	}

	/* 39 bytes of IPv6 header. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 59);
	f_ipv6_done(&f, l3);
	CU_ASSERT_EQUAL(parse_exact(f.b, 53, 53, NULL, &pi), PKT_TRUNCATED);
	CU_ASSERT_EQUAL(pi.has_dscp, 0);

	/* Payload length one past the frame; fine if the wire had it. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 17);
	f_udp(&f, 1, 2, 4);
	f_ipv6_done(&f, l3);
	f_set16(&f, 18, 13);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_TRUNCATED);
	CU_ASSERT_EQUAL(pi.has_dscp, 1);
	/* UDP length 12 within a 13-byte payload is fine. */
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, f.len + 1, NULL, &pi),
			PKT_OK);
}

static void
test_ipv6_jumbo_and_ends(void)
{
	struct pkt_info pi;
	struct frame f;
	uint32_t l3;

	/* Payload length 0 + HBH Jumbo Payload option: refused. */
	f_eth(&f, 0x86dd);
	f_ipv6(&f, 0, 0); /* payload length stays 0 */
	f_u8(&f, 6);
	f_u8(&f, 0);
	f_u8(&f, 0xc2);
	f_u8(&f, 4);
	f_u16(&f, 0);
	f_u16(&f, 100);
	f_tcp(&f, 1, 2, 5);
	f_fill(&f, 40, 0);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_BAD_HEADER);
	CU_ASSERT_EQUAL(pi.has_dscp, 1);

	/* Payload length 0 and nothing next: an empty, valid packet. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 59);
	f_ipv6_done(&f, l3);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.l4_proto, 59);
	CU_ASSERT_EQUAL(pi.has_ports, 0);

	/* Destination options then no next header, trailing junk. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 60);
	f_ext(&f, 59, 0);
	f_fill(&f, 20, 0xee);
	f_ipv6_done(&f, l3);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.l4_proto, 59);
	CU_ASSERT_EQUAL(pi.has_ports, 0);

	/* ESP: encrypted from here on, the walk stops. */
	f_eth(&f, 0x86dd);
	l3 = f_ipv6(&f, 0, 50);
	f_fill(&f, 40, 0x11);
	f_ipv6_done(&f, l3);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pi.l4_proto, 50);
	CU_ASSERT_EQUAL(pi.has_ports, 0);
	CU_ASSERT_EQUAL(pi.l4_off, 0);
}

/* ---- Classifier --------------------------------------------------------- */

static void
test_classifier_default(void)
{
	struct pkt_classifier c;
	enum pkt_class_src src;
	struct pkt_info pi;
	struct frame f;
	unsigned int d;

	pkt_classifier_init(&c);
	for (d = 0; d < PKT_DSCP_VALUES; d++)
		CU_ASSERT_EQUAL(c.dscp_class[d], d >> 3);
	CU_ASSERT_EQUAL(c.default_class, 0);

	/* Not IP: the default class, whatever it is set to. */
	c.default_class = 3;
	f_eth(&f, 0x0806);
	f_fill(&f, 28, 0);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pkt_classify(&c, &pi, &src), 3);
	CU_ASSERT_EQUAL(src, PKT_CLASS_DEFAULT);
	CU_ASSERT_EQUAL(pkt_classify(&c, &pi, NULL), 3);

	/* A runt has nothing better either. */
	CU_ASSERT_EQUAL(parse_exact(f.b, 5, 5, NULL, &pi), PKT_RUNT);
	CU_ASSERT_EQUAL(pkt_classify(&c, &pi, &src), 3);
	CU_ASSERT_EQUAL(src, PKT_CLASS_DEFAULT);

	/* IP uses the map, a tag uses its PCP. */
	f_ipv4_tcp(&f, 0xb8);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pkt_classify(&c, &pi, &src), 5);
	CU_ASSERT_EQUAL(src, PKT_CLASS_DSCP);

	f_tagged(&f, 0x8100, 1 << 13, 0xb8);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pkt_classify(&c, &pi, &src), 1);
	CU_ASSERT_EQUAL(src, PKT_CLASS_PCP);
}

static void
test_classifier_map_valid(void)
{
	struct pkt_classifier c, ref;
	struct pkt_info pi;
	struct frame f;

	pkt_classifier_init(&c);
	CU_ASSERT_EQUAL(pkt_classifier_parse_map(&c, "46=6"), 0);
	CU_ASSERT_EQUAL(c.dscp_class[46], 6);
	CU_ASSERT_EQUAL(c.dscp_class[0], 0);

	CU_ASSERT_EQUAL(pkt_classifier_parse_map(&c, "46=6,0=1"), 0);
	CU_ASSERT_EQUAL(c.dscp_class[46], 6);
	CU_ASSERT_EQUAL(c.dscp_class[0], 1);

	CU_ASSERT_EQUAL(pkt_classifier_parse_map(&c, "63=7,0=0,10=1"), 0);
	CU_ASSERT_EQUAL(c.dscp_class[63], 7);
	CU_ASSERT_EQUAL(c.dscp_class[0], 0);
	CU_ASSERT_EQUAL(c.dscp_class[10], 1);

	/* The last entry for a DSCP wins; nothing else moves. */
	pkt_classifier_init(&c);
	ref = c;
	CU_ASSERT_EQUAL(pkt_classifier_parse_map(&c, "46=2,46=4"), 0);
	CU_ASSERT_EQUAL(c.dscp_class[46], 4);
	ref.dscp_class[46] = 4;
	CU_ASSERT_EQUAL(memcmp(&c, &ref, sizeof(c)), 0);

	/* And the parsed map is what classification uses. */
	f_ipv4_tcp(&f, 46 << 2);
	CU_ASSERT_EQUAL(parse(&f, &pi), PKT_OK);
	CU_ASSERT_EQUAL(pkt_classify(&c, &pi, NULL), 4);
}

static void
test_classifier_map_invalid(void)
{
	static const char *const bad[] = {
		"", "64=1", "1=8", "46=6,", "a=1", "46=6x", " 46=6",
		"46=6 ", "46", "46=", "=6", "46==6", "46=6,,0=1", ",46=6",
		"-1=2", "+4=1", "46=-1", "0x2e=6", "46=6;0=1", "46=6,64=1",
		"1=1,2=9", "99999999999999999999=1", "1=99999999999999999999",
		"4294967342=6", "46=4294967302",
	};
	struct pkt_classifier c, ref;
	unsigned int i;
	int rc;

	/* Start from a non-default map so "unchanged" means something. */
	pkt_classifier_init(&c);
	CU_ASSERT_EQUAL(pkt_classifier_parse_map(&c, "46=6,1=7"), 0);
	c.default_class = 2;
	ref = c;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = pkt_classifier_parse_map(&c, bad[i]);
		if (rc != -EINVAL)
			printf("\n  accepted \"%s\" ", bad[i]);
		CU_ASSERT_EQUAL(rc, -EINVAL);
		CU_ASSERT_EQUAL(memcmp(&c, &ref, sizeof(c)), 0);
	}

	CU_ASSERT_EQUAL(pkt_classifier_parse_map(&c, NULL), -EINVAL);
	CU_ASSERT_EQUAL(memcmp(&c, &ref, sizeof(c)), 0);
}

static void
test_anomaly_names(void)
{
	CU_ASSERT_STRING_EQUAL(pkt_anomaly_name(PKT_OK), "ok");
	CU_ASSERT_STRING_EQUAL(pkt_anomaly_name(PKT_RUNT), "runt");
	CU_ASSERT_STRING_EQUAL(pkt_anomaly_name(PKT_TRUNCATED), "truncated");
	CU_ASSERT_STRING_EQUAL(pkt_anomaly_name(PKT_BAD_HEADER),
			       "bad_header");
	CU_ASSERT_STRING_EQUAL(pkt_anomaly_name(PKT_VLAN_DEPTH),
			       "vlan_depth");
	CU_ASSERT_STRING_EQUAL(pkt_anomaly_name(PKT_EXT_CHAIN), "ext_chain");
	/* Out of range must not crash or return NULL. */
	CU_ASSERT_PTR_NOT_NULL(pkt_anomaly_name(PKT_ANOMALY_MAX));
	CU_ASSERT_PTR_NOT_NULL(pkt_anomaly_name((enum pkt_anomaly)200));
}

/* ---- Robustness --------------------------------------------------------- */

/* A handful of frames that exercise every layer the parser knows. */
static unsigned int
build_corpus(struct frame *fs, unsigned int max)
{
	unsigned int n = 0;
	uint32_t l3;

	if (max < 8)
		return 0;

	f_ipv4_tcp(&fs[n++], 0xb8);
	f_n_tags(&fs[n++], 4);

	f_eth(&fs[n], 0x0800);
	l3 = f_ipv4(&fs[n], 0, 6, 15, 0);
	f_tcp(&fs[n], 1, 2, 15);
	f_ipv4_done(&fs[n++], l3);

	f_ipv4_frag(&fs[n++], 0x2000, 1);

	f_eth(&fs[n], 0x86dd);
	l3 = f_ipv6(&fs[n], 0xb8, 0);
	f_ext(&fs[n], 43, 1);
	f_ext(&fs[n], 51, 0);
	f_u8(&fs[n], 60);
	f_u8(&fs[n], 2);
	f_fill(&fs[n], 14, 0);
	f_ext(&fs[n], 44, 0);
	f_frag6(&fs[n], 6, 0, 1);
	f_tcp(&fs[n], 3, 4, 6);
	f_ipv6_done(&fs[n++], l3);

	f_ipv6_n_ext(&fs[n++], PKT_IPV6_EXT_MAX);

	f_macs(&fs[n]);
	f_tag(&fs[n], 0x9100, 0xffff);
	f_u16(&fs[n], 0x86dd);
	l3 = f_ipv6(&fs[n], 0x03, 17);
	f_udp(&fs[n], 5, 6, 3);
	f_ipv6_done(&fs[n++], l3);

	f_eth(&fs[n], 0x05dc);
	f_fill(&fs[n++], 46, 0xaa);

	return n;
}

static void
test_every_caplen(void)
{
	static struct frame fs[8];
	struct pkt_rx_meta m = { .n_stripped = 1, .tci = { 0x4001, 0 } };
	unsigned int n, i, bad = 0;
	struct pkt_info pi;
	enum pkt_anomaly a;
	uint32_t len;

	n = build_corpus(fs, 8);
	CU_ASSERT_EQUAL_FATAL(n, 8);

	for (i = 0; i < n; i++) {
		/* The whole frame is well formed... */
		CU_ASSERT_EQUAL(parse(&fs[i], &pi), PKT_OK);

		/* ...and every prefix is handled without reading past it. */
		for (len = 0; len <= fs[i].len; len++) {
			a = parse_exact(fs[i].b, len, len, NULL, &pi);
			bad += sane(&pi, a, len) != 0;
			a = parse_exact(fs[i].b, len, fs[i].len, &m, &pi);
			bad += sane(&pi, a, len) != 0;
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* xorshift32: a fixed sequence so a failure can be replayed. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
test_byte_flips(void)
{
	static struct frame fs[8];
	static struct frame f;
	unsigned int n, iter, k, bad = 0, ok = 0;
	uint32_t seed = 0x5eed1234, len, pos;
	struct pkt_info pi;
	enum pkt_anomaly a;

	n = build_corpus(fs, 8);
	CU_ASSERT_EQUAL_FATAL(n, 8);

	for (iter = 0; iter < 20000; iter++) {
		f = fs[iter % n];

		/* Flip 1-4 bytes, mostly within the headers. */
		for (k = rnd(&seed) % 4 + 1; k > 0; k--) {
			pos = rnd(&seed) % (f.len < 128 ? f.len : 128);
			f.b[pos] ^= (uint8_t)(rnd(&seed) | 1);
		}

		/* Sometimes also cut the capture short. */
		len = f.len;
		if (rnd(&seed) % 4 == 0)
			len = rnd(&seed) % (f.len + 1);

		a = parse_exact(f.b, len, f.len, NULL, &pi);
		bad += sane(&pi, a, len) != 0;
		ok += a == PKT_OK;
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* The flips must not be so wild that nothing parses. */
	CU_ASSERT(ok > 1000);
}

/* ---- Real captures ------------------------------------------------------ */

static const char *cap_dir;

/*
 * Called for each record: its index in the file, the parse result and the
 * caller's context.
 */
typedef void (*cap_fn)(unsigned int idx, const struct pkt_info *pi,
		       void *arg);

/*
 * Parse every record of @path as the dataplane would see it from a pcap
 * port: caplen and wirelen both the captured length. Returns the number of
 * records, or -1 if libpcap cannot open the file or it is not Ethernet.
 */
static int
cap_walk(const char *path, cap_fn fn, void *arg, unsigned int *insane)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct pkt_info pi;
	enum pkt_anomaly a;
	unsigned int n = 0;
	pcap_t *p;

	p = pcap_open_offline(path, err);
	if (p == NULL)
		return -1;
	if (pcap_datalink(p) != DLT_EN10MB) {
		pcap_close(p);
		return -1;
	}

	/* Stop at the first error: later records cannot be trusted. */
	while (pcap_next_ex(p, &h, &data) == 1) {
		a = parse_exact(data, h->caplen, h->caplen, NULL, &pi);
		if (sane(&pi, a, h->caplen) != 0)
			(*insane)++;
		if (fn != NULL)
			fn(n, &pi, arg);
		n++;
	}

	pcap_close(p);
	return (int)n;
}

/* Walk one named capture; -1 (after saying so) when it is not there. */
static int
cap_file(const char *name, cap_fn fn, void *arg)
{
	unsigned int insane = 0;
	char path[4096];
	int n;

	snprintf(path, sizeof(path), "%s/%s", cap_dir, name);
	n = cap_walk(path, fn, arg, &insane);
	if (n < 0) {
		printf("\n  %s not readable, skipping ", name);
		return -1;
	}
	CU_ASSERT_EQUAL(insane, 0);
	return n;
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static void
test_cap_all(void)
{
	unsigned int insane = 0, files = 0, records = 0;
	struct dirent *de;
	char path[4096];
	DIR *d;
	int n;

	d = opendir(cap_dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);

	while ((de = readdir(d)) != NULL) {
		if (!has_suffix(de->d_name, ".pcap") &&
		    !has_suffix(de->d_name, ".pcapng"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", cap_dir, de->d_name);
		n = cap_walk(path, NULL, NULL, &insane);
		if (n < 0)
			continue;
		files++;
		records += (unsigned int)n;
	}
	closedir(d);

	printf("\n  %u captures, %u records ", files, records);
	CU_ASSERT_EQUAL(insane, 0);
	CU_ASSERT(files > 0);
}

/* Counts per anomaly and per class, what most capture checks need. */
struct cap_stats {
	unsigned int n;
	unsigned int anomaly[PKT_ANOMALY_MAX];
	unsigned int cls[PKT_CLASSES];
	unsigned int tagged_pcp[8];
	unsigned int untagged;
	unsigned int ecn;
	unsigned int ports;
	struct pkt_info first;
};

static void
cap_count(unsigned int idx, const struct pkt_info *pi, void *arg)
{
	struct cap_stats *s = arg;
	uint8_t cls;

	if (idx == 0)
		s->first = *pi;
	s->n++;
	s->anomaly[pi->anomaly]++;
	cls = classify_default(pi, NULL);
	if (cls < PKT_CLASSES)
		s->cls[cls]++;
	if (pi->has_tag)
		s->tagged_pcp[pi->pcp]++;
	else
		s->untagged++;
	s->ecn += pi->has_dscp && pi->ecn != 0;
	s->ports += pi->has_ports;
}

static int
cap_stats(const char *name, struct cap_stats *s)
{
	memset(s, 0, sizeof(*s));
	return cap_file(name, cap_count, s);
}

/* Every frame: tag VID 0, PCP 5, DEI set (priority tag only). */
static void
cap_vlan0(unsigned int idx, const struct pkt_info *pi, void *arg)
{
	unsigned int *bad = arg;

	(void)idx;
	if (!pi->has_tag || pi->vid != 0 || pi->pcp != 5 || pi->dei != 1 ||
	    classify_default(pi, NULL) != 5 || pi->anomaly != PKT_OK ||
	    !pi->has_ports)
		(*bad)++;
}

static void
test_cap_priority_tags(void)
{
	unsigned int bad = 0;

	/* tcpdump: all 14 frames "vlan 0, p 5, DEI", IPv4 TCP. */
	CU_ASSERT(cap_file("zeek__http-vlan-0.pcap", cap_vlan0, &bad) != 0);
	CU_ASSERT_EQUAL(bad, 0);

	/* Same session with two such tags. */
	bad = 0;
	CU_ASSERT(cap_file("zeek__http-qinq-0.pcap", cap_vlan0, &bad) != 0);
	CU_ASSERT_EQUAL(bad, 0);
}

static void
test_cap_qinq(void)
{
	struct cap_stats s;

	/* tcpdump: 0x88a8 vlan 200 p 0 then 0x8100 vlan 2001, ARP. */
	if (cap_stats("tcpdump__802.1ad_QinQ.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 2);
		CU_ASSERT_EQUAL(s.anomaly[PKT_OK], 2);
		CU_ASSERT_EQUAL(s.first.vid, 200);
		CU_ASSERT_EQUAL(s.first.n_tags, 2);
		CU_ASSERT_EQUAL(s.first.ethertype, 0x0806);
		CU_ASSERT_EQUAL(s.first.l3, PKT_L3_NONE);
	}

	/* tcpdump: 0x8100 vlan 13 then 0x8100 vlan 10, all p 0. */
	if (cap_stats("zeek__q-in-q.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 5);
		CU_ASSERT_EQUAL(s.first.vid, 13);
		CU_ASSERT_EQUAL(s.first.n_tags, 2);
		CU_ASSERT_EQUAL(s.first.has_ports, 1);
		CU_ASSERT_EQUAL(s.first.sport, 47808);
		CU_ASSERT_EQUAL(s.tagged_pcp[0], 5);
	}

	/*
	 * tcpdump: per TCP packet three copies: vlan 10 p 7 over vlan 20
	 * p 5 DEI, vlan 20 p 5 DEI alone, and untagged (TOS 0).
	 */
	if (cap_stats("zeek__vlan-pcp-dei.pcapng", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 9);
		CU_ASSERT_EQUAL(s.anomaly[PKT_OK], 9);
		CU_ASSERT_EQUAL(s.cls[7], 3);
		CU_ASSERT_EQUAL(s.cls[5], 3);
		CU_ASSERT_EQUAL(s.cls[0], 3);
		CU_ASSERT_EQUAL(s.untagged, 3);
		CU_ASSERT_EQUAL(s.ports, 9);
	}
}

static void
test_cap_vlan_counts(void)
{
	/*
	 * From tcpdump -r F '(ether[12:2]=0x8100 or ether[12:2]=0x88a8 or
	 * ether[12:2]=0x9100) and ether[14]>>5=p', counting packets (CDP
	 * frames print several lines each, so wc -l overcounts p 5).
	 */
	static const unsigned int pcp[8] = { 20, 0, 0, 0, 0, 4, 0, 0 };
	struct cap_stats s;
	unsigned int p;

	if (cap_stats("pcapplusplus__VlanPackets.pcap", &s) <= 0)
		return;

	CU_ASSERT_EQUAL(s.n, 26);
	for (p = 0; p < 8; p++)
		CU_ASSERT_EQUAL(s.tagged_pcp[p], pcp[p]);
	/* Two untagged 802.3 CDP frames: not IP, default class. */
	CU_ASSERT_EQUAL(s.untagged, 2);
	CU_ASSERT_EQUAL(s.cls[0], 22);
	CU_ASSERT_EQUAL(s.cls[5], 4);
	CU_ASSERT_EQUAL(s.anomaly[PKT_OK], 26);
}

static void
test_cap_malformed(void)
{
	struct cap_stats s;

	/* Record of 8 bytes (file snap length 1). */
	if (cap_stats("zeek__trunc-hdr.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 1);
		CU_ASSERT_EQUAL(s.anomaly[PKT_RUNT], 1);
	}

	/* IPv4 total length 12336 in a 46-byte record. */
	if (cap_stats("tcpdump__tcp_header_heapoverflow.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 1);
		CU_ASSERT_EQUAL(s.anomaly[PKT_OK], 0);
		CU_ASSERT_EQUAL(s.anomaly[PKT_TRUNCATED], 1);
		CU_ASSERT_EQUAL(s.ports, 0);
	}

	/* Frames 2 and 4 have version 0 ("version error: 0 != 6"). */
	if (cap_stats("tcpdump__ipv6-bad-version.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 4);
		CU_ASSERT_EQUAL(s.anomaly[PKT_BAD_HEADER], 2);
		CU_ASSERT_EQUAL(s.anomaly[PKT_OK], 2);
	}

	/* 48 of 74 bytes captured: IPv6 header cut. */
	if (cap_stats("zeek__ip6-trunc.pcap", &s) > 0)
		CU_ASSERT_EQUAL(s.anomaly[PKT_TRUNCATED], 1);

	/* 20 of 46 bytes captured: IPv4 header cut. */
	if (cap_stats("zeek__ip4-trunc.pcap", &s) > 0)
		CU_ASSERT_EQUAL(s.anomaly[PKT_TRUNCATED], 1);

	/* IHL 4 ("bad-hlen 16"). */
	if (cap_stats("tcpdump__ipv4_invalid_hdr_length.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 1);
		CU_ASSERT_EQUAL(s.anomaly[PKT_BAD_HEADER], 1);
	}

	/*
	 * TCP/UDP headers missing or short (34-38 byte frames, IP length
	 * exact): truncated; the two GRE frames are fine as far as IP goes.
	 */
	if (cap_stats("suricata-verify__decode-too-small.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 8);
		CU_ASSERT_EQUAL(s.anomaly[PKT_TRUNCATED], 6);
		CU_ASSERT_EQUAL(s.anomaly[PKT_OK], 2);
	}

	/* IP length 100, UDP length 5 ("truncated-udplength 5"). */
	if (cap_stats("suricata-verify__udp-len-invalid.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 1);
		CU_ASSERT_EQUAL(s.anomaly[PKT_BAD_HEADER], 1);
		CU_ASSERT_EQUAL(s.first.l4_proto, 17);
	}
}

static void
test_cap_big_tcp(void)
{
	struct cap_stats s;

	/* IPv4 total length 0 on an 80 KB frame: refused (see pkt.c). */
	if (cap_stats("tcpdump__bigtcp-ipv4.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 1);
		CU_ASSERT_EQUAL(s.anomaly[PKT_BAD_HEADER], 1);
	}

	/* tcpdump says "bad-len 0": total length 0 as TSO leaves it. */
	if (cap_stats("tcpdump__ipv4_tcp_http_xml_tso.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 1);
		CU_ASSERT_EQUAL(s.anomaly[PKT_BAD_HEADER], 1);
	}

	/* IPv6 payload length 0 with an HBH jumbo option: refused. */
	if (cap_stats("tcpdump__bigtcp-ipv6-hbh.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 1);
		CU_ASSERT_EQUAL(s.anomaly[PKT_BAD_HEADER], 1);
	}
}

static void
test_cap_ecn_and_ext(void)
{
	struct cap_stats s;

	/* tcpdump: frames 4-6 are ECT(0), ECT(1), ECT(1). */
	if (cap_stats("tcpdump__accecn_handshake.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 6);
		CU_ASSERT_EQUAL(s.ecn, 3);
		CU_ASSERT_EQUAL(s.ports, 6);
	}

	/*
	 * tcpdump shows HBH, then 33 rounds of routing + fragment +
	 * destination options before UDP: about a hundred headers, far past
	 * the limit. The first fragment header is the third one.
	 */
	if (cap_stats("libpcap__ipv6_ext_headers.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 1);
		CU_ASSERT_EQUAL(s.anomaly[PKT_EXT_CHAIN], 1);
		CU_ASSERT_EQUAL(s.first.l3, PKT_L3_IPV6);
		CU_ASSERT_EQUAL(s.first.is_fragment, 1);
		CU_ASSERT_EQUAL(s.first.has_ports, 0);
	}

	/*
	 * A SYN split into 8-byte fragments under a VLAN tag: the first
	 * holds only part of the TCP header. Whole frames, no ports.
	 */
	if (cap_stats("suricata-verify__frag-eth-vlan-ip-tcp-syn.pcap",
		      &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 3);
		CU_ASSERT_EQUAL(s.anomaly[PKT_OK], 3);
		CU_ASSERT_EQUAL(s.first.is_fragment, 1);
		CU_ASSERT_EQUAL(s.first.vid, 6);
		CU_ASSERT_EQUAL(s.ports, 0);
	}

	/* Second frame: destination options of 40 bytes, payload 36. */
	if (cap_stats("zeek__ipv6-mobility-dst-opts.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.n, 3);
		CU_ASSERT_EQUAL(s.anomaly[PKT_BAD_HEADER], 1);
		CU_ASSERT_EQUAL(s.ports, 2);
	}

	/* tcpdump: RH0 then TCP, checksum good. */
	if (cap_stats("zeek__ip6-route0-tcp-good-chksum.pcap", &s) > 0) {
		CU_ASSERT_EQUAL(s.anomaly[PKT_OK], 1);
		CU_ASSERT_EQUAL(s.ports, 1);
	}
}

static void
test_cap_missing(void)
{
	printf("\n  captures not found at %s, skipping ",
	       cap_dir ? cap_dir : "(SLUICE_PCAP_DIR unset)");
	CU_PASS("captures not found, skipping");
}

/* ---- Registration ------------------------------------------------------- */

static const struct test_case l2_cases[] = {
	{ "runt", test_runt },
	{ "ethernet header only", test_eth_only },
	{ "802.3 length field", test_8023_length },
	{ "802.1Q PCP 0..7 beats DSCP", test_vlan_pcp },
	{ "TCI bit masks", test_vlan_tci_bits },
	{ "VID 0 priority tag", test_vlan_priority_tag },
	{ "QinQ outer tag wins", test_vlan_qinq },
	{ "four tags ok, five refused", test_vlan_depth },
	{ "NIC-stripped tags", test_vlan_stripped },
	{ "tag cut short", test_vlan_cut },
	{ NULL, NULL },
};

static const struct test_case ipv4_cases[] = {
	{ "TCP ports", test_ipv4_tcp },
	{ "UDP ports, other protocols", test_ipv4_udp },
	{ "options IHL 6..15", test_ipv4_options },
	{ "IHL < 5, version != 4, short", test_ipv4_bad_ihl_version },
	{ "total length lies", test_ipv4_total_length },
	{ "padding is not payload", test_ipv4_padding },
	{ "caplen < wirelen", test_ipv4_snaplen },
	{ "fragments", test_ipv4_fragments },
	{ "DSCP and ECN", test_ipv4_dscp_ecn },
	{ "TCP data offset", test_tcp_header },
	{ "UDP length", test_udp_length },
	{ NULL, NULL },
};

static const struct test_case ipv6_cases[] = {
	{ "TCP and traffic class bits", test_ipv6_tcp_tc },
	{ "HBH, routing, dest, fragment", test_ipv6_chain },
	{ "AH and other header lengths", test_ipv6_ext_lengths },
	{ "eight headers ok, nine refused", test_ipv6_ext_chain_limit },
	{ "header running off the end", test_ipv6_ext_overrun },
	{ "version, short, payload length", test_ipv6_bad },
	{ "jumbo, no next header, ESP", test_ipv6_jumbo_and_ends },
	{ NULL, NULL },
};

static const struct test_case classifier_cases[] = {
	{ "default map and sources", test_classifier_default },
	{ "custom maps", test_classifier_map_valid },
	{ "invalid maps leave it unchanged", test_classifier_map_invalid },
	{ "anomaly names", test_anomaly_names },
	{ NULL, NULL },
};

static const struct test_case robust_cases[] = {
	{ "every caplen", test_every_caplen },
	{ "seeded byte flips", test_byte_flips },
	{ NULL, NULL },
};

static const struct test_case capture_cases[] = {
	{ "every record of every capture", test_cap_all },
	{ "priority tags (VID 0)", test_cap_priority_tags },
	{ "QinQ outer tag", test_cap_qinq },
	{ "PCP counts match tcpdump", test_cap_vlan_counts },
	{ "malformed frames", test_cap_malformed },
	{ "BIG TCP lengths", test_cap_big_tcp },
	{ "ECN and extension chains", test_cap_ecn_and_ext },
	{ NULL, NULL },
};

static const struct test_case capture_missing[] = {
	{ "real captures (skipped)", test_cap_missing },
	{ NULL, NULL },
};

static int
cap_dir_present(const char *dir)
{
	DIR *d;

	if (dir == NULL || *dir == '\0')
		return 0;
	d = opendir(dir);
	if (d == NULL)
		return 0;
	closedir(d);
	return 1;
}

int
test_register(int argc, char **argv)
{
	const struct test_case *caps;

	(void)argc;
	(void)argv;

	cap_dir = getenv("SLUICE_PCAP_DIR");
	caps = cap_dir_present(cap_dir) ? capture_cases : capture_missing;

	if (test_add_suite("pkt: ethernet and tags", l2_cases, NULL, NULL) ||
	    test_add_suite("pkt: ipv4, tcp, udp", ipv4_cases, NULL, NULL) ||
	    test_add_suite("pkt: ipv6", ipv6_cases, NULL, NULL) ||
	    test_add_suite("pkt: classifier", classifier_cases, NULL, NULL) ||
	    test_add_suite("pkt: robustness", robust_cases, NULL, NULL) ||
	    test_add_suite("pkt: captures", caps, NULL, NULL))
		return 1;

	return 0;
}
