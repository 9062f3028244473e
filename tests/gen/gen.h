/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen internals shared by its modules. gen_main.c describes the
 * tool as a whole; each module says what it owns.
 *
 * Pure C parts (no DPDK types, so they could be unit tested as they are):
 * gen_mix.c (weighted lists), gen_pause.c (PAUSE/PFC timers), gen_seq.c
 * (sequence window), gen_hist.c (latency histogram), gen_report.c (one
 * printer for the text report and the JSON). The rest drives DPDK:
 * gen_port.c, gen_tx.c (generator), gen_sink.c, gen_emit.c.
 */
#ifndef SLUICE_GEN_H
#define SLUICE_GEN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "fc.h"

/* ---------------------------------------------------------------- limits */

#define GEN_CLASSES FC_CLASSES
#define GEN_BURST_DEFAULT 32
#define GEN_BURST_MAX 256
#define GEN_SIZE_DEFAULT 64
#define GEN_SIZE_MIN 60            /* bytes without FCS, as DPDK sees them */
#define GEN_SIZE_MAX 9000
#define GEN_WIRE_OVERHEAD 24       /* FCS 4 + preamble 8 + IFG 12 */
#define GEN_MIX_MAX 16             /* entries of --size-mix / --classes */
#define GEN_WEIGHT_MAX 1000
#define GEN_COUNT_MAX (1ull << 48) /* sequence numbers fit 48 bits */
#define GEN_LINGER_MS_DEFAULT 500
#define GEN_LINK_WAIT_MS_DEFAULT 10000
#define GEN_EMIT_MAX 64
#define GEN_EMIT_GAP_US_DEFAULT 1000
#define GEN_EMIT_DELAY_MS_DEFAULT 100
#define GEN_RATE_PPS_MAX 1000000000ull

/* ------------------------------------------------------- wire header */

/*
 * The first 24 bytes of every generated UDP payload, all fields in network
 * byte order: magic, class, sequence number, TSC at transmit.
 */
#define GEN_MAGIC 0x534c4753u      /* "SLGS" */
#define GEN_HDR_LEN 24
#define GEN_UDP_SPORT 49152        /* plus the class */
#define GEN_UDP_DPORT 9            /* discard */

struct gen_hdr {
	uint32_t magic;
	uint32_t cls;
	uint64_t seq;
	uint64_t tsc;
} __attribute__((packed));

/* ------------------------------------------------------------ options */

enum gen_mode {
	GEN_MODE_GEN = 0,
	GEN_MODE_SINK,
	GEN_MODE_EMIT,
};

enum gen_mark {
	GEN_MARK_PCP = 0,
	GEN_MARK_DSCP,
	GEN_MARK_BOTH,
};

/* A weighted list: "64:7,594:4,1518:1" or "0,5". */
struct gen_mix {
	unsigned int n;
	uint32_t value[GEN_MIX_MAX];
	uint32_t weight[GEN_MIX_MAX];
};

/* One frame of --emit-pause / --emit-pfc. */
struct gen_emit_frame {
	bool pfc;
	uint8_t enable;
	uint16_t quanta[GEN_CLASSES];
};

struct gen_opts {
	enum gen_mode mode;
	uint16_t tx_port;
	uint16_t rx_port;
	unsigned int burst;
	uint64_t rate_pps;          /* 0: from rate_pct */
	double rate_pct;            /* 0: from rate_pps */
	struct gen_mix sizes;
	struct gen_mix classes;
	uint64_t count;             /* 0: no limit */
	double duration_s;          /* 0: no limit */
	enum gen_mark mark;
	bool honor_pause;
	unsigned int linger_ms;
	unsigned int link_wait_ms;
	unsigned int idle_exit_ms;  /* sink */
	uint64_t expect;            /* sink: 0 unless --expect */
	const char *stats_json;
	struct gen_emit_frame emit[GEN_EMIT_MAX];
	unsigned int n_emit;
	unsigned int emit_gap_us;
	unsigned int emit_delay_ms;
};

/*
 * Parse sluice-gen's options (argv[0] is the program name). Prints
 * "Error: ..." to stderr and returns -EINVAL on a bad one; returns 1 when
 * --help was asked for (usage printed), else 0.
 */
int gen_opts_parse(struct gen_opts *o, int argc, char **argv);
void gen_opts_usage(FILE *f, const char *prog);

/* ---------------------------------------------------- weighted lists */

/*
 * Parse "V[:W][,V[:W]...]" with V in [min, max], W in 1..GEN_WEIGHT_MAX
 * (default 1), no V twice. Returns 0, or -EINVAL with the reason in @err.
 */
int gen_mix_parse(const char *text, uint32_t min, uint32_t max,
		  struct gen_mix *m, char *err, size_t errlen);

/*
 * Expand @m into @out (sum of weights entries, at most @cap) in smooth
 * weighted round-robin order, so the mix holds over any short window too.
 * Returns the length, or -E2BIG when the weights add up to more than @cap.
 */
int gen_mix_schedule(const struct gen_mix *m, uint32_t *out, unsigned int cap);

/* ------------------------------------------------------- pause timers */

/*
 * The MAC's pause state, in TSC cycles. link_until is the 802.3x PAUSE
 * timer, cls_until[] the 802.1Qbb ones; a class may send when now is past
 * both. Time spent paused is accounted lazily, up to acct_at.
 */
struct gen_pause {
	uint64_t hz;
	uint32_t speed_mbps;        /* 0: FC_FALLBACK_SPEED_MBPS */
	uint64_t link_until;
	uint64_t cls_until[GEN_CLASSES];
	uint64_t acct_at;
	uint64_t paused_any;        /* cycles some class was paused */
	uint64_t paused_cls[GEN_CLASSES];
};

void gen_pause_init(struct gen_pause *p, uint64_t hz, uint32_t speed_mbps,
		    uint64_t now);
void gen_pause_account(struct gen_pause *p, uint64_t now);
void gen_pause_apply(struct gen_pause *p, const struct fc_frame *f,
		     uint64_t now);
bool gen_fc_is_xon(const struct fc_frame *f);

static inline bool
gen_pause_link(const struct gen_pause *p, uint64_t now)
{
	return now < p->link_until;
}

static inline bool
gen_pause_class(const struct gen_pause *p, unsigned int cls, uint64_t now)
{
	return now < p->link_until || now < p->cls_until[cls];
}

/* --------------------------------------------------- sequence window */

#define GEN_SEQ_WINDOW_DEFAULT (1ull << 24)  /* 2 MiB of bitmap */
#define GEN_SEQ_WINDOW_MAX (1ull << 28)      /* 32 MiB */

struct gen_seq {
	uint64_t *bits;             /* bit (seq & mask) of seqs in window */
	uint64_t size;              /* bits, a power of two */
	uint64_t base;              /* lowest seq still in the window */
	uint64_t highest;
	bool seen_any;
	uint64_t lost_slid;         /* never seen, slid out of the window */
	uint64_t duplicated;
	uint64_t reordered;
	uint64_t too_old;           /* below the window: cannot be judged */
};

int gen_seq_init(struct gen_seq *s, uint64_t expect);
void gen_seq_free(struct gen_seq *s);
void gen_seq_see(struct gen_seq *s, uint64_t seq);
uint64_t gen_seq_lost(const struct gen_seq *s, uint64_t expect);

/* ------------------------------------------------- latency histogram */

#define GEN_HIST_SUB_BITS 4
#define GEN_HIST_SUB (1u << GEN_HIST_SUB_BITS)
#define GEN_HIST_BUCKETS (GEN_HIST_SUB * (64 - GEN_HIST_SUB_BITS + 1))

struct gen_hist {
	uint64_t n;
	uint64_t max;
	uint64_t b[GEN_HIST_BUCKETS];
};

void gen_hist_add(struct gen_hist *h, uint64_t v);
uint64_t gen_hist_pct(const struct gen_hist *h, double pct);

/* ------------------------------------------------------------ report */

enum gen_field_type {
	GEN_F_U64 = 0,
	GEN_F_F64,
	GEN_F_STR,
	GEN_F_BOOL,
	GEN_F_ARR,
	GEN_F_OPEN,
	GEN_F_CLOSE,
};

struct gen_field {
	const char *key;
	uint8_t type;
	unsigned int n;             /* GEN_F_ARR */
	union {
		uint64_t u;
		double d;
		const char *s;
		uint64_t arr[GEN_CLASSES];
	} v;
};

#define GEN_REPORT_MAX 64

/* What a run reports: one list, printed as text or as JSON. */
struct gen_report {
	const char *title;
	unsigned int n;
	struct gen_field f[GEN_REPORT_MAX];
};

void gen_report_u64(struct gen_report *r, const char *key, uint64_t v);
void gen_report_f64(struct gen_report *r, const char *key, double v);
void gen_report_str(struct gen_report *r, const char *key, const char *v);
void gen_report_bool(struct gen_report *r, const char *key, bool v);
void gen_report_arr(struct gen_report *r, const char *key, const uint64_t *v,
		    unsigned int n);
void gen_report_open(struct gen_report *r, const char *key);
void gen_report_close(struct gen_report *r);
void gen_report_text(FILE *f, const struct gen_report *r);
int gen_report_write_json(const char *path, const struct gen_report *r);

/* ------------------------------------------------------ the DPDK side */

struct rte_mempool;

struct gen_app {
	struct gen_opts opts;
	uint16_t port;
	uint8_t mac[6];
	uint32_t speed_mbps;        /* 0 when the port reports none */
	uint32_t memif_bsize;       /* net_memif buffer size; 0: not memif */
	bool started;
	uint64_t hz;
	struct rte_mempool *pool;
};

extern volatile sig_atomic_t gen_signalled;
extern int gen_logtype;

#define GEN_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, gen_logtype, "sluice-gen: " __VA_ARGS__)

/* Pick the port and read what the checks need; then start it. */
int gen_port_pick(struct gen_app *app);
int gen_port_start(struct gen_app *app);
bool gen_port_wait_link(struct gen_app *app, unsigned int ms);
void gen_port_report(const struct gen_app *app, struct gen_report *r);
void gen_port_settle(uint16_t port);
void gen_port_close(struct gen_app *app);

int gen_tx_check(const struct gen_app *app);
int gen_tx_run(struct gen_app *app, struct gen_report *r);
int gen_sink_run(struct gen_app *app, struct gen_report *r);
int gen_emit_run(struct gen_app *app, struct gen_report *r);

/* Drain the port's RX and free what came, for the linger phases. */
uint64_t gen_rx_discard(const struct gen_app *app);

static inline uint64_t
gen_ms_to_cyc(const struct gen_app *app, uint64_t ms)
{
	return ms * app->hz / 1000;
}

#endif /* SLUICE_GEN_H */
