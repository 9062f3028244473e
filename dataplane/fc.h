/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MAC control frames for flow control: 802.3x PAUSE and 802.1Qbb PFC.
 * Plain C over byte buffers, shared by the dataplane, the generator and
 * the tests.
 *
 * Both are 60-byte frames (64 on the wire with the FCS, which the NIC adds
 * and strips) sent to 01:80:c2:00:00:01 with ethertype 0x8808. PAUSE
 * (opcode 0x0001) carries one 16-bit time for the whole link; PFC (opcode
 * 0x0101) carries a class-enable vector and eight 16-bit times, one per
 * priority, read only where the enable bit is set. Times count quanta of
 * 512 bit times, so their length depends on the link speed; time 0 means
 * "resume now" (XON).
 */
#ifndef SLUICE_FC_H
#define SLUICE_FC_H

#include <stdint.h>

#define FC_FRAME_LEN 60          /* without FCS; shorter ones are runts */
#define FC_ETHERTYPE 0x8808
#define FC_OP_PAUSE 0x0001
#define FC_OP_PFC 0x0101
#define FC_CLASSES 8
#define FC_QUANTA_BITS 512
#define FC_QUANTA_MAX 0xffff

/*
 * Link speed assumed when a port reports none (down, or a virtual port
 * that has no notion of one): 10 Gb/s, the speed most vdevs claim. At that
 * speed one quanta is 51.2 ns and the longest pause 3.36 ms.
 */
#define FC_FALLBACK_SPEED_MBPS 10000

enum fc_kind {
	FC_NOT_MAC_CONTROL = 0, /* another ethertype: not ours to judge */
	FC_PAUSE,
	FC_PFC,
	FC_RUNT,                /* MAC control, shorter than 60 bytes */
	FC_UNKNOWN_OPCODE,      /* MAC control, neither PAUSE nor PFC */
};

struct fc_frame {
	uint8_t kind;           /* enum fc_kind */
	uint8_t enable;         /* PFC: class-enable vector; PAUSE: 0xff */
	uint16_t opcode;
	uint16_t quanta[FC_CLASSES]; /* PAUSE: all eight hold its one time */
};

/* Destination of every PAUSE and PFC frame. */
extern const uint8_t fc_dst_mac[6];

/*
 * Write a 60-byte PAUSE frame from @src_mac with @quanta (0 is XON) into
 * @buf, which must hold FC_FRAME_LEN bytes. Returns FC_FRAME_LEN.
 */
unsigned int fc_build_pause(uint8_t *buf, const uint8_t src_mac[6],
			    uint16_t quanta);

/*
 * Write a 60-byte PFC frame: classes whose bit is set in @enable get
 * quanta[i] (0 is XON for that class); the others get time 0 and are not
 * enabled. Returns FC_FRAME_LEN.
 */
unsigned int fc_build_pfc(uint8_t *buf, const uint8_t src_mac[6],
			  uint8_t enable, const uint16_t quanta[FC_CLASSES]);

/*
 * Look at a received frame of @len bytes. Returns the kind, and fills @f
 * for FC_PAUSE and FC_PFC. Times of PFC classes not enabled read as 0 and
 * are never taken from the frame.
 */
enum fc_kind fc_parse(const uint8_t *buf, uint32_t len, struct fc_frame *f);

/* Link speed to use for conversions: @mbps, or the fallback when 0. */
static inline uint32_t
fc_speed_mbps(uint32_t mbps)
{
	return mbps ? mbps : FC_FALLBACK_SPEED_MBPS;
}

/* Nanoseconds that @quanta last on a link of @mbps (0: fallback). */
uint64_t fc_quanta_to_ns(uint32_t quanta, uint32_t mbps);

/* Quanta covering at least @ns, capped at FC_QUANTA_MAX (0 stays 0). */
uint16_t fc_ns_to_quanta(uint64_t ns, uint32_t mbps);

/* Class-enable vector helpers: bit i is priority i. */
static inline uint8_t
fc_vec_set(uint8_t vec, unsigned int cls)
{
	return (uint8_t)(vec | (1u << (cls & 7)));
}

static inline uint8_t
fc_vec_clear(uint8_t vec, unsigned int cls)
{
	return (uint8_t)(vec & ~(1u << (cls & 7)));
}

static inline int
fc_vec_test(uint8_t vec, unsigned int cls)
{
	return (vec >> (cls & 7)) & 1;
}

#endif /* SLUICE_FC_H */
