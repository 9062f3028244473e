/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "fc.h"

const uint8_t fc_dst_mac[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x01 };

static void
fc_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t
fc_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Header shared by both kinds; the rest stays zero (padding). */
static uint8_t *
fc_header(uint8_t *buf, const uint8_t src_mac[6], uint16_t opcode)
{
	memset(buf, 0, FC_FRAME_LEN);
	memcpy(buf, fc_dst_mac, 6);
	memcpy(buf + 6, src_mac, 6);
	fc_put16(buf + 12, FC_ETHERTYPE);
	fc_put16(buf + 14, opcode);
	return buf + 16;
}

unsigned int
fc_build_pause(uint8_t *buf, const uint8_t src_mac[6], uint16_t quanta)
{
	uint8_t *p = fc_header(buf, src_mac, FC_OP_PAUSE);

	fc_put16(p, quanta);
	return FC_FRAME_LEN;
}

unsigned int
fc_build_pfc(uint8_t *buf, const uint8_t src_mac[6], uint8_t enable,
	     const uint16_t quanta[FC_CLASSES])
{
	uint8_t *p = fc_header(buf, src_mac, FC_OP_PFC);
	unsigned int i;

	fc_put16(p, enable);
	for (i = 0; i < FC_CLASSES; i++)
		fc_put16(p + 2 + 2 * i, fc_vec_test(enable, i) ? quanta[i] : 0);
	return FC_FRAME_LEN;
}

enum fc_kind
fc_parse(const uint8_t *buf, uint32_t len, struct fc_frame *f)
{
	unsigned int i;

	memset(f, 0, sizeof(*f));
	if (len < 14 || fc_get16(buf + 12) != FC_ETHERTYPE)
		return FC_NOT_MAC_CONTROL;

	/* opcode and times sit inside the 60 bytes: check once, up front */
	if (len < FC_FRAME_LEN)
		return f->kind = FC_RUNT;

	f->opcode = fc_get16(buf + 14);
	if (f->opcode == FC_OP_PAUSE) {
		f->enable = 0xff;
		for (i = 0; i < FC_CLASSES; i++)
			f->quanta[i] = fc_get16(buf + 16);
		return f->kind = FC_PAUSE;
	}

	if (f->opcode != FC_OP_PFC)
		return f->kind = FC_UNKNOWN_OPCODE;

	/* the vector is 16 bits on the wire; priorities use the low 8 */
	f->enable = (uint8_t)fc_get16(buf + 16);
	for (i = 0; i < FC_CLASSES; i++)
		if (fc_vec_test(f->enable, i))
			f->quanta[i] = fc_get16(buf + 18 + 2 * i);
	return f->kind = FC_PFC;
}

uint64_t
fc_quanta_to_ns(uint32_t quanta, uint32_t mbps)
{
	/* bits / (Mb/s) = microseconds; times 1000 for ns */
	return (uint64_t)quanta * FC_QUANTA_BITS * 1000 / fc_speed_mbps(mbps);
}

uint16_t
fc_ns_to_quanta(uint64_t ns, uint32_t mbps)
{
	uint64_t per = (uint64_t)FC_QUANTA_BITS * 1000;
	uint64_t q = (ns * fc_speed_mbps(mbps) + per - 1) / per;

	return q > FC_QUANTA_MAX ? FC_QUANTA_MAX : (uint16_t)q;
}
