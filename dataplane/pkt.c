/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame parser and priority classifier (see pkt.h for the contract).
 *
 * One function per layer. Each is handed the whole buffer, how much of it
 * was captured and where its header starts, and checks every read against
 * that before making it. Loops have a fixed upper bound so the same logic
 * can be mirrored by an XDP program, where the verifier demands one.
 *
 * Two kinds of "does not fit", kept apart on purpose:
 *  - a header, or a length it claims, runs past the captured bytes (or, for
 *    the IP lengths, past the frame on the wire): PKT_TRUNCATED, the frame
 *    lost bytes;
 *  - a header is impossible in itself, or contradicts the IP header around
 *    it (a TCP header longer than the datagram, a UDP length larger than
 *    the IP payload): PKT_BAD_HEADER, the sender built it wrong. The IP
 *    length was already checked against the wire, so a header that fits the
 *    capture but not the datagram cannot be blamed on truncation.
 * Capture bounds are checked first: with wirelen == caplen a header running
 * off the end of the frame is reported as truncated. One exception: a first
 * fragment that ends inside its TCP/UDP header is fine (the rest is in the
 * next fragment); it just has no ports.
 *
 * Decisions on lengths that mean "look elsewhere for the real size":
 *  - IPv4 total length 0 (TSO / BIG TCP frames seen before segmentation) is
 *    PKT_BAD_HEADER: such frames never travel on a wire and the length
 *    field is all we could check the datagram against.
 *  - IPv6 payload length 0 with a Hop-by-Hop header (a jumbogram) is
 *    PKT_BAD_HEADER too: the Jumbo Payload option is not looked for, and the
 *    HBH header does not fit in a zero-byte payload. Payload length 0 with
 *    next header 59 (nothing follows) is a valid, empty packet.
 *
 * What is reported on an anomaly: everything established before it. The
 * tags, then l3/l3_off as soon as the ethertype names IP, dscp/ecn once the
 * version and IHL are sane, l4_proto and is_fragment once the IP header and
 * its length are, l4_off once the TCP/UDP header is located. Ports only
 * come from a TCP/UDP header that passed every check.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "pkt.h"

#define PKT_TPID_8021Q  0x8100
#define PKT_TPID_8021AD 0x88a8
#define PKT_TPID_QINQ   0x9100
#define PKT_VLAN_HLEN   4
#define PKT_ETYPE_IPV4  0x0800
#define PKT_ETYPE_IPV6  0x86dd

#define PKT_IPV4_HLEN     20
#define PKT_IPV4_MF       0x2000
#define PKT_IPV4_OFF_MASK 0x1fff
#define PKT_IPV6_HLEN     40
#define PKT_IPV6_FRAG_HLEN 8
#define PKT_TCP_HLEN      20
#define PKT_UDP_HLEN      8

/* Internal only: a first fragment ends before its upper-layer header. */
#define PKT_L4_ELSEWHERE  PKT_ANOMALY_MAX

/* Protocol numbers, spelled out so no libc network header is needed. */
#define PKT_PROTO_HOPOPTS  0
#define PKT_PROTO_TCP      6
#define PKT_PROTO_UDP      17
#define PKT_PROTO_ROUTING  43
#define PKT_PROTO_FRAGMENT 44
#define PKT_PROTO_ESP      50
#define PKT_PROTO_AH       51
#define PKT_PROTO_NONE     59
#define PKT_PROTO_DSTOPTS  60
#define PKT_PROTO_MOBILITY 135
#define PKT_PROTO_HIP      139
#define PKT_PROTO_SHIM6    140

/*
 * The IP datagram being walked: where its upper layers may start and end.
 * @end is l3_off + the length the IP header claims, never past the wire
 * length but possibly past @caplen.
 */
struct pkt_ip_span {
	uint32_t off;
	uint32_t end;
	uint8_t first; /* holds the start of the upper layer (offset 0) */
};

static inline uint16_t
pkt_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

/* Are @need bytes at @off inside the first @len? Never overflows. */
static inline int
pkt_fits(uint32_t len, uint32_t off, uint32_t need)
{
	return off <= len && need <= len - off;
}

static enum pkt_anomaly
pkt_fail(struct pkt_info *pi, enum pkt_anomaly a)
{
	pi->anomaly = (uint8_t)a;
	return a;
}

static int
pkt_is_tpid(uint16_t etype)
{
	return etype == PKT_TPID_8021Q || etype == PKT_TPID_8021AD ||
	       etype == PKT_TPID_QINQ;
}

/* Record one tag; only the first one seen (the outermost) is kept. */
static void
pkt_add_tag(struct pkt_info *pi, uint16_t tci)
{
	if (!pi->has_tag) {
		pi->has_tag = 1;
		pi->vid = tci & 0x0fff;
		pi->pcp = (uint8_t)(tci >> 13);
		pi->dei = (tci >> 12) & 1;
	}
	pi->n_tags++;
}

/*
 * Tags the NIC stripped were outside everything left in the frame, so they
 * come first. The struct has room for two: a larger count is clamped
 * rather than trusted to index past the array.
 */
static void
pkt_stripped_tags(const struct pkt_rx_meta *meta, struct pkt_info *pi)
{
	unsigned int n, i;

	if (meta == NULL)
		return;

	n = meta->n_stripped;
	if (n > 2)
		n = 2;

	for (i = 0; i < n; i++)
		pkt_add_tag(pi, meta->tci[i]);
}

/*
 * Ethernet header and in-frame tags. On success *@off is where the L3
 * header starts and pi->ethertype is set. The ethertype is only recorded
 * once the tag walk ends, so a frame cut inside its tags reports none.
 */
static enum pkt_anomaly
pkt_eth(const uint8_t *data, uint32_t caplen, uint32_t *off,
	struct pkt_info *pi)
{
	uint16_t etype;
	unsigned int i;

	if (caplen < PKT_ETH_HLEN)
		return pkt_fail(pi, PKT_RUNT);

	etype = pkt_be16(data + 12);
	*off = PKT_ETH_HLEN;

	/* One extra round so a tag beyond the limit is seen and refused. */
	for (i = 0; i <= PKT_VLAN_MAX_DEPTH && pkt_is_tpid(etype); i++) {
		if (pi->n_tags >= PKT_VLAN_MAX_DEPTH)
			return pkt_fail(pi, PKT_VLAN_DEPTH);

		if (!pkt_fits(caplen, *off, PKT_VLAN_HLEN))
			return pkt_fail(pi, PKT_TRUNCATED);

		pkt_add_tag(pi, pkt_be16(data + *off));
		etype = pkt_be16(data + *off + 2);
		*off += PKT_VLAN_HLEN;
	}

	pi->ethertype = etype;
	return PKT_OK;
}

static void
pkt_set_tos(struct pkt_info *pi, uint8_t tos)
{
	pi->has_dscp = 1;
	pi->dscp = tos >> 2;
	pi->ecn = tos & 3;
}

/*
 * Is there room for @need bytes of upper-layer header at ip->off? A first
 * fragment may end inside that header, its rest travelling in the next
 * fragment: nothing is wrong with the frame, the ports are just not here
 * (PKT_L4_ELSEWHERE). Otherwise the capture is checked first, then the
 * datagram.
 */
static enum pkt_anomaly
pkt_l4_room(uint32_t caplen, const struct pkt_ip_span *ip, uint32_t need,
	    int fragment)
{
	if (fragment && !pkt_fits(ip->end, ip->off, need))
		return PKT_L4_ELSEWHERE;
	if (!pkt_fits(caplen, ip->off, need))
		return PKT_TRUNCATED;
	if (!pkt_fits(ip->end, ip->off, need))
		return PKT_BAD_HEADER;
	return PKT_OK;
}

static enum pkt_anomaly
pkt_tcp(const uint8_t *data, uint32_t caplen, const struct pkt_ip_span *ip,
	int fragment)
{
	enum pkt_anomaly a;
	uint32_t hlen;

	a = pkt_l4_room(caplen, ip, PKT_TCP_HLEN, fragment);
	if (a != PKT_OK)
		return a;

	hlen = (uint32_t)(data[ip->off + 12] >> 4) * 4;
	if (hlen < PKT_TCP_HLEN)
		return PKT_BAD_HEADER;

	return pkt_l4_room(caplen, ip, hlen, fragment);
}

/*
 * The UDP length must cover its own header and stay inside the IP payload.
 * A shorter UDP length than the payload is accepted (the rest is trailer,
 * as a receiving stack would trim it). In a first fragment the UDP length
 * describes the whole reassembled datagram, so it may exceed this payload.
 */
static enum pkt_anomaly
pkt_udp(const uint8_t *data, uint32_t caplen, const struct pkt_ip_span *ip,
	int fragment)
{
	enum pkt_anomaly a;
	uint32_t ulen;

	a = pkt_l4_room(caplen, ip, PKT_UDP_HLEN, fragment);
	if (a != PKT_OK)
		return a;

	ulen = pkt_be16(data + ip->off + 4);
	if (ulen < PKT_UDP_HLEN)
		return PKT_BAD_HEADER;
	if (!fragment && !pkt_fits(ip->end, ip->off, ulen))
		return PKT_BAD_HEADER;

	return PKT_OK;
}

/*
 * Upper layer of an IP datagram. pi->l4_proto is already set. Ports are
 * only reported from a header that passed every check, so a consumer never
 * keys a flow on bytes that may belong to something else.
 */
static enum pkt_anomaly
pkt_l4(const uint8_t *data, uint32_t caplen, const struct pkt_ip_span *ip,
       struct pkt_info *pi)
{
	enum pkt_anomaly a;

	if (!ip->first)
		return PKT_OK;

	if (pi->l4_proto == PKT_PROTO_TCP)
		a = pkt_tcp(data, caplen, ip, pi->is_fragment);
	else if (pi->l4_proto == PKT_PROTO_UDP)
		a = pkt_udp(data, caplen, ip, pi->is_fragment);
	else
		return PKT_OK;

	/* The offset is known even if the header turned out bad. */
	pi->l4_off = (uint16_t)ip->off;
	if (a == PKT_L4_ELSEWHERE)
		return PKT_OK;
	if (a != PKT_OK)
		return pkt_fail(pi, a);

	pi->has_ports = 1;
	pi->sport = pkt_be16(data + ip->off);
	pi->dport = pkt_be16(data + ip->off + 2);
	return PKT_OK;
}

/*
 * IPv4 header. The TOS byte is trusted (has_dscp) as soon as version and
 * IHL are sane, even if a length check fails afterwards: the first four
 * bits proving this is IPv4 are what make byte 1 a TOS byte at all.
 */
static enum pkt_anomaly
pkt_ipv4(const uint8_t *data, uint32_t caplen, uint32_t wirelen,
	 uint32_t off, struct pkt_info *pi)
{
	const uint8_t *h = data + off;
	struct pkt_ip_span ip;
	uint32_t hlen, tot_len;
	uint16_t frag;

	pi->l3 = PKT_L3_IPV4;
	pi->l3_off = (uint16_t)off;

	if (!pkt_fits(caplen, off, PKT_IPV4_HLEN))
		return pkt_fail(pi, PKT_TRUNCATED);
	if ((h[0] >> 4) != 4 || (h[0] & 0x0f) < 5)
		return pkt_fail(pi, PKT_BAD_HEADER);

	pkt_set_tos(pi, h[1]);

	hlen = (uint32_t)(h[0] & 0x0f) * 4;
	if (!pkt_fits(caplen, off, hlen))
		return pkt_fail(pi, PKT_TRUNCATED);

	/* Also catches total length 0: see the note at the top. */
	tot_len = pkt_be16(h + 2);
	if (tot_len < hlen)
		return pkt_fail(pi, PKT_BAD_HEADER);
	if (!pkt_fits(wirelen, off, tot_len))
		return pkt_fail(pi, PKT_TRUNCATED);

	frag = pkt_be16(h + 6);
	pi->l4_proto = h[9];
	pi->is_fragment = (frag & (PKT_IPV4_MF | PKT_IPV4_OFF_MASK)) != 0;

	ip.off = off + hlen;
	ip.end = off + tot_len;
	ip.first = (frag & PKT_IPV4_OFF_MASK) == 0;
	return pkt_l4(data, caplen, &ip, pi);
}

/* Length of a generic extension header from its second byte, 0 if none. */
static uint32_t
pkt_ipv6_ext_len(uint8_t nh, uint8_t len)
{
	switch (nh) {
	case PKT_PROTO_HOPOPTS:
	case PKT_PROTO_ROUTING:
	case PKT_PROTO_DSTOPTS:
	case PKT_PROTO_MOBILITY:
	case PKT_PROTO_HIP:
	case PKT_PROTO_SHIM6:
		return ((uint32_t)len + 1) * 8;
	case PKT_PROTO_AH:
		return ((uint32_t)len + 2) * 4;
	case PKT_PROTO_FRAGMENT:
		return PKT_IPV6_FRAG_HLEN;
	default:
		return 0;
	}
}

/*
 * Step over one extension header of type @nh at ip->off: check it fits,
 * note fragments, and move ip->off and @nh to the next header.
 */
static enum pkt_anomaly
pkt_ipv6_ext_one(const uint8_t *data, uint32_t caplen,
		 struct pkt_ip_span *ip, uint8_t *nh, struct pkt_info *pi)
{
	const uint8_t *h = data + ip->off;
	uint32_t len;

	/* Every extension header starts with next header and a length. */
	if (!pkt_fits(caplen, ip->off, 2))
		return pkt_fail(pi, PKT_TRUNCATED);

	len = pkt_ipv6_ext_len(*nh, h[1]);
	if (!pkt_fits(caplen, ip->off, len))
		return pkt_fail(pi, PKT_TRUNCATED);
	if (!pkt_fits(ip->end, ip->off, len))
		return pkt_fail(pi, PKT_BAD_HEADER);

	/* Any fragment header, even an atomic one, marks a fragment. */
	if (*nh == PKT_PROTO_FRAGMENT) {
		pi->is_fragment = 1;
		if ((pkt_be16(h + 2) >> 3) != 0)
			ip->first = 0;
	}

	*nh = h[0];
	ip->off += len;
	return PKT_OK;
}

/*
 * Walk the extension header chain. It stops at the first header that is
 * not a known extension (the upper layer, ESP, no-next-header or something
 * unknown) and at a non-first fragment, whose next header is the start of
 * data we do not have. Hop-by-Hop is only legal straight after the IPv6
 * header; anywhere else the chain is malformed.
 */
static enum pkt_anomaly
pkt_ipv6_ext(const uint8_t *data, uint32_t caplen, struct pkt_ip_span *ip,
	     uint8_t *nh, struct pkt_info *pi)
{
	enum pkt_anomaly a;
	unsigned int i;

	for (i = 0; i < PKT_IPV6_EXT_MAX; i++) {
		if (!ip->first || pkt_ipv6_ext_len(*nh, 0) == 0)
			return PKT_OK;

		if (*nh == PKT_PROTO_HOPOPTS && i != 0)
			return pkt_fail(pi, PKT_BAD_HEADER);

		a = pkt_ipv6_ext_one(data, caplen, ip, nh, pi);
		if (a != PKT_OK)
			return a;
	}

	/* The limit is reached: fine only if the chain ends right here. */
	if (ip->first && pkt_ipv6_ext_len(*nh, 0) != 0)
		return pkt_fail(pi, PKT_EXT_CHAIN);
	return PKT_OK;
}

static enum pkt_anomaly
pkt_ipv6(const uint8_t *data, uint32_t caplen, uint32_t wirelen,
	 uint32_t off, struct pkt_info *pi)
{
	const uint8_t *h = data + off;
	struct pkt_ip_span ip;
	enum pkt_anomaly a;
	uint32_t plen;
	uint8_t nh;

	pi->l3 = PKT_L3_IPV6;
	pi->l3_off = (uint16_t)off;

	if (!pkt_fits(caplen, off, PKT_IPV6_HLEN))
		return pkt_fail(pi, PKT_TRUNCATED);
	if ((h[0] >> 4) != 6)
		return pkt_fail(pi, PKT_BAD_HEADER);

	/* Traffic class straddles bytes 0 and 1. */
	pkt_set_tos(pi, (uint8_t)(((h[0] & 0x0f) << 4) | (h[1] >> 4)));

	plen = pkt_be16(h + 4);
	if (!pkt_fits(wirelen, off + PKT_IPV6_HLEN, plen))
		return pkt_fail(pi, PKT_TRUNCATED);

	ip.off = off + PKT_IPV6_HLEN;
	ip.end = ip.off + plen;
	ip.first = 1;
	nh = h[6];

	a = pkt_ipv6_ext(data, caplen, &ip, &nh, pi);
	if (a != PKT_OK)
		return a;

	pi->l4_proto = nh;
	return pkt_l4(data, caplen, &ip, pi);
}

enum pkt_anomaly
pkt_parse(const uint8_t *data, uint32_t caplen, uint32_t wirelen,
	  const struct pkt_rx_meta *meta, struct pkt_info *pi)
{
	enum pkt_anomaly a;
	uint32_t off = 0;

	memset(pi, 0, sizeof(*pi));

	if (data == NULL)
		caplen = 0;
	/* The bytes in hand exist whatever the caller says the wire held. */
	if (wirelen < caplen)
		wirelen = caplen;

	/* Stripped tags are known without reading the frame: keep them. */
	pkt_stripped_tags(meta, pi);

	a = pkt_eth(data, caplen, &off, pi);
	if (a != PKT_OK)
		return a;

	switch (pi->ethertype) {
	case PKT_ETYPE_IPV4:
		return pkt_ipv4(data, caplen, wirelen, off, pi);
	case PKT_ETYPE_IPV6:
		return pkt_ipv6(data, caplen, wirelen, off, pi);
	default:
		/* 802.3 lengths (below 0x0600) land here too: not IP. */
		return PKT_OK;
	}
}

uint8_t
pkt_classify(const struct pkt_classifier *c, const struct pkt_info *pi,
	     enum pkt_class_src *src)
{
	enum pkt_class_src s;
	uint8_t cls;

	/* The L2 priority is what the link honours, so it wins over DSCP. */
	if (pi->has_tag) {
		s = PKT_CLASS_PCP;
		cls = pi->pcp;
	} else if (pi->has_dscp) {
		s = PKT_CLASS_DSCP;
		cls = c->dscp_class[pi->dscp & (PKT_DSCP_VALUES - 1)];
	} else {
		s = PKT_CLASS_DEFAULT;
		cls = c->default_class;
	}

	if (src != NULL)
		*src = s;
	return cls;
}

void
pkt_classifier_init(struct pkt_classifier *c)
{
	unsigned int d;

	/* Class selector: the top three DSCP bits, as in RFC 2474. */
	for (d = 0; d < PKT_DSCP_VALUES; d++)
		c->dscp_class[d] = (uint8_t)(d >> 3);
	c->default_class = 0;
}

/*
 * A decimal number of at most @max, digits only: no sign, no space, no
 * base prefix. Advances *@p past it. Stops accumulating once above @max,
 * so a long run of digits cannot overflow.
 */
static int
pkt_parse_num(const char **p, unsigned int max, unsigned int *out)
{
	const char *s = *p;
	unsigned int v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;

	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > max)
			return -EINVAL;
	}

	*p = s;
	*out = v;
	return 0;
}

/* One "DSCP=CLASS" entry into @map; *@p is left on what follows it. */
static int
pkt_parse_entry(const char **p, uint8_t *map)
{
	unsigned int dscp, cls;

	if (pkt_parse_num(p, PKT_DSCP_VALUES - 1, &dscp) != 0)
		return -EINVAL;
	if (**p != '=')
		return -EINVAL;
	(*p)++;
	if (pkt_parse_num(p, PKT_CLASSES - 1, &cls) != 0)
		return -EINVAL;

	map[dscp] = (uint8_t)cls;
	return 0;
}

int
pkt_classifier_parse_map(struct pkt_classifier *c, const char *text)
{
	struct pkt_classifier tmp;
	const char *p = text;

	if (c == NULL || text == NULL || *text == '\0')
		return -EINVAL;

	/* Work on a copy so a bad entry late in the list changes nothing. */
	tmp = *c;
	for (;;) {
		if (pkt_parse_entry(&p, tmp.dscp_class) != 0)
			return -EINVAL;
		if (*p == '\0')
			break;
		/* A separator must be followed by another entry. */
		if (*p != ',')
			return -EINVAL;
		p++;
	}

	*c = tmp;
	return 0;
}

const char *
pkt_anomaly_name(enum pkt_anomaly a)
{
	static const char *const names[PKT_ANOMALY_MAX] = {
		[PKT_OK] = "ok",
		[PKT_RUNT] = "runt",
		[PKT_TRUNCATED] = "truncated",
		[PKT_BAD_HEADER] = "bad_header",
		[PKT_VLAN_DEPTH] = "vlan_depth",
		[PKT_EXT_CHAIN] = "ext_chain",
	};

	if ((unsigned int)a >= PKT_ANOMALY_MAX)
		return "unknown";
	return names[a];
}
