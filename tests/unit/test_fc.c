/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PAUSE and PFC frame codec (dataplane/fc.c):
 * - PAUSE and PFC built byte for byte: destination, ethertype, opcode,
 *   times, padding to 60 bytes
 * - parse of what was built, for several class-enable vectors
 * - runts (59 bytes and less) and unknown opcodes refused, other
 *   ethertypes left alone
 * - PFC times of classes not enabled never read from the frame
 * - XON: PAUSE time 0, PFC with every enabled class at 0
 * - quanta and time at 100M, 10G, 100G and an unknown speed (fallback)
 * - class-enable vector bit operations with several bits set and cleared
 */
#include <string.h>

#include "cunit_main.h"
#include "fc.h"

static const uint8_t src[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x07 };

static void
test_pause_bytes(void)
{
	uint8_t buf[FC_FRAME_LEN + 4];
	static const uint8_t head[] = {
		0x01, 0x80, 0xc2, 0x00, 0x00, 0x01,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x07,
		0x88, 0x08, 0x00, 0x01, 0x12, 0x34,
	};
	unsigned int i;

	memset(buf, 0xee, sizeof(buf));
	CU_ASSERT_EQUAL(fc_build_pause(buf, src, 0x1234), 60);
	CU_ASSERT_EQUAL(memcmp(buf, head, sizeof(head)), 0);
	for (i = sizeof(head); i < FC_FRAME_LEN; i++)
		CU_ASSERT_EQUAL(buf[i], 0);
	CU_ASSERT_EQUAL(buf[FC_FRAME_LEN], 0xee); /* nothing written past */
}

static void
test_pfc_bytes(void)
{
	uint16_t q[FC_CLASSES] = { 1, 2, 3, 4, 5, 6, 7, 0xffff };
	uint8_t buf[FC_FRAME_LEN];

	CU_ASSERT_EQUAL(fc_build_pfc(buf, src, 0x81, q), 60);
	CU_ASSERT_EQUAL(buf[14], 0x01);
	CU_ASSERT_EQUAL(buf[15], 0x01);
	CU_ASSERT_EQUAL(buf[16], 0x00);
	CU_ASSERT_EQUAL(buf[17], 0x81);
	CU_ASSERT_EQUAL(buf[18], 0x00); /* class 0: 1 */
	CU_ASSERT_EQUAL(buf[19], 0x01);
	CU_ASSERT_EQUAL(buf[20], 0x00); /* class 1 not enabled: 0 */
	CU_ASSERT_EQUAL(buf[21], 0x00);
	CU_ASSERT_EQUAL(buf[32], 0xff); /* class 7: 0xffff */
	CU_ASSERT_EQUAL(buf[33], 0xff);
}

static void
test_round_trip(void)
{
	static const uint8_t vectors[] = { 0x00, 0x01, 0x80, 0x55, 0xaa, 0xff };
	uint16_t q[FC_CLASSES] = { 10, 20, 30, 40, 50, 60, 70, 80 };
	uint8_t buf[FC_FRAME_LEN];
	struct fc_frame f;
	unsigned int v, i;

	fc_build_pause(buf, src, 777);
	CU_ASSERT_EQUAL(fc_parse(buf, sizeof(buf), &f), FC_PAUSE);
	CU_ASSERT_EQUAL(f.enable, 0xff);
	for (i = 0; i < FC_CLASSES; i++)
		CU_ASSERT_EQUAL(f.quanta[i], 777);

	for (v = 0; v < sizeof(vectors); v++) {
		fc_build_pfc(buf, src, vectors[v], q);
		CU_ASSERT_EQUAL(fc_parse(buf, sizeof(buf), &f), FC_PFC);
		CU_ASSERT_EQUAL(f.enable, vectors[v]);
		for (i = 0; i < FC_CLASSES; i++)
			CU_ASSERT_EQUAL(f.quanta[i],
					fc_vec_test(vectors[v], i) ? q[i] : 0);
	}
}

static void
test_refused(void)
{
	uint8_t buf[FC_FRAME_LEN];
	struct fc_frame f;

	fc_build_pause(buf, src, 5);
	CU_ASSERT_EQUAL(fc_parse(buf, 59, &f), FC_RUNT);
	CU_ASSERT_EQUAL(fc_parse(buf, 14, &f), FC_RUNT);
	CU_ASSERT_EQUAL(fc_parse(buf, 13, &f), FC_NOT_MAC_CONTROL);

	buf[15] = 0x02; /* opcode 0x0002 (GATE, EPON): not ours to act on */
	CU_ASSERT_EQUAL(fc_parse(buf, sizeof(buf), &f), FC_UNKNOWN_OPCODE);
	CU_ASSERT_EQUAL(f.quanta[0], 0);

	buf[12] = 0x08;
	buf[13] = 0x00;
	CU_ASSERT_EQUAL(fc_parse(buf, sizeof(buf), &f), FC_NOT_MAC_CONTROL);
}

/* Times behind a clear enable bit must never be taken from the frame. */
static void
test_pfc_disabled_times(void)
{
	uint16_t q[FC_CLASSES] = { 0 };
	uint8_t buf[FC_FRAME_LEN];
	struct fc_frame f;
	unsigned int i;

	fc_build_pfc(buf, src, 0x04, q);
	for (i = 18; i < 34; i++)
		buf[i] = 0xff;  /* garbage in every time slot */
	buf[22] = 0;
	buf[23] = 9;    /* class 2: 9 */

	CU_ASSERT_EQUAL(fc_parse(buf, sizeof(buf), &f), FC_PFC);
	for (i = 0; i < FC_CLASSES; i++)
		CU_ASSERT_EQUAL(f.quanta[i], i == 2 ? 9 : 0);
}

static void
test_xon(void)
{
	uint16_t q[FC_CLASSES] = { 0 };
	uint8_t buf[FC_FRAME_LEN];
	struct fc_frame f;
	unsigned int i;

	fc_build_pause(buf, src, 0);
	CU_ASSERT_EQUAL(fc_parse(buf, sizeof(buf), &f), FC_PAUSE);
	CU_ASSERT_EQUAL(f.quanta[0], 0);

	fc_build_pfc(buf, src, 0x30, q);
	CU_ASSERT_EQUAL(fc_parse(buf, sizeof(buf), &f), FC_PFC);
	CU_ASSERT_EQUAL(f.enable, 0x30);
	for (i = 0; i < FC_CLASSES; i++)
		CU_ASSERT_EQUAL(f.quanta[i], 0);
}

static void
test_quanta(void)
{
	/* 512 bits: 5120 ns at 100 Mb/s, 51.2 ns at 10G, 5.12 ns at 100G */
	CU_ASSERT_EQUAL(fc_quanta_to_ns(1, 100), 5120);
	CU_ASSERT_EQUAL(fc_quanta_to_ns(10, 10000), 512);
	CU_ASSERT_EQUAL(fc_quanta_to_ns(100, 100000), 512);
	CU_ASSERT_EQUAL(fc_quanta_to_ns(0xffff, 10000), 3355392);
	CU_ASSERT_EQUAL(fc_quanta_to_ns(10, 0), fc_quanta_to_ns(10, 10000));

	CU_ASSERT_EQUAL(fc_ns_to_quanta(0, 10000), 0);
	CU_ASSERT_EQUAL(fc_ns_to_quanta(512, 10000), 10);
	CU_ASSERT_EQUAL(fc_ns_to_quanta(513, 10000), 11); /* rounds up */
	CU_ASSERT_EQUAL(fc_ns_to_quanta(1000000, 10000), 19532);
	CU_ASSERT_EQUAL(fc_ns_to_quanta(1000000, 100), 196);
	CU_ASSERT_EQUAL(fc_ns_to_quanta(10000000, 10000), 0xffff); /* capped */
	CU_ASSERT_EQUAL(fc_ns_to_quanta(512, 0), 10);
}

static void
test_vector_bits(void)
{
	uint8_t v = 0;

	v = fc_vec_set(v, 0);
	v = fc_vec_set(v, 3);
	v = fc_vec_set(v, 7);
	CU_ASSERT_EQUAL(v, 0x89);
	v = fc_vec_set(v, 3); /* idempotent */
	CU_ASSERT_EQUAL(v, 0x89);
	v = fc_vec_clear(v, 3);
	CU_ASSERT_EQUAL(v, 0x81);
	v = fc_vec_clear(v, 5); /* clearing a clear bit changes nothing */
	CU_ASSERT_EQUAL(v, 0x81);
	CU_ASSERT_TRUE(fc_vec_test(v, 0));
	CU_ASSERT_FALSE(fc_vec_test(v, 3));
	CU_ASSERT_TRUE(fc_vec_test(v, 7));
	v = fc_vec_clear(fc_vec_clear(v, 0), 7);
	CU_ASSERT_EQUAL(v, 0);
}

int
test_register(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "pause bytes", test_pause_bytes },
		{ "pfc bytes", test_pfc_bytes },
		{ "round trip", test_round_trip },
		{ "runts and unknown opcodes", test_refused },
		{ "pfc times not enabled", test_pfc_disabled_times },
		{ "xon", test_xon },
		{ "quanta and time", test_quanta },
		{ "enable vector bits", test_vector_bits },
		{ NULL, NULL },
	};

	(void)argc;
	(void)argv;
	return test_add_suite("fc", cases, NULL, NULL);
}
