/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one port a run uses (--tx-port, or --rx-port for the sink): its
 * mbuf pool, one RX and one TX queue, start, link and counters.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>
#include <rte_kvargs.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "gen.h"

#define GEN_POOL_SIZE 8191      /* descriptors, bursts and cache, with room */
#define GEN_MBUF_CACHE 256
#define GEN_RX_DESC 1024
#define GEN_TX_DESC 1024
#define GEN_LINK_POLL_MS 10
#define GEN_MEMIF_BSIZE_DEFAULT 2048  /* net_memif's own default */

/* net_memif's buffer size (its bsize= devarg), or 0 for other drivers. */
static uint32_t
gen_port_memif_bsize(const struct rte_eth_dev_info *info)
{
	const struct rte_devargs *da = rte_dev_devargs(info->device);
	uint32_t bsize = GEN_MEMIF_BSIZE_DEFAULT;
	struct rte_kvargs *kv;
	const char *v;

	if (strcmp(info->driver_name, "net_memif") != 0)
		return 0;
	if (da == NULL || da->args == NULL)
		return bsize;

	kv = rte_kvargs_parse(da->args, NULL);
	v = kv ? rte_kvargs_get(kv, "bsize") : NULL;
	if (v != NULL && strtoul(v, NULL, 0) > 0)
		bsize = (uint32_t)strtoul(v, NULL, 0);
	rte_kvargs_free(kv);
	return bsize;
}

int
gen_port_pick(struct gen_app *app)
{
	const struct gen_opts *o = &app->opts;
	uint16_t avail = rte_eth_dev_count_avail();
	bool sink = o->mode == GEN_MODE_SINK;
	struct rte_eth_dev_info info;
	int rc;

	app->hz = rte_get_tsc_hz();
	if (avail == 0) {
		GEN_LOG(ERR, "no ports: give one with --vdev, e.g. --vdev "
			"net_memif0,role=client,socket=/tmp/gen.sock\n");
		return -ENODEV;
	}

	app->port = sink ? o->rx_port : o->tx_port;
	if (!rte_eth_dev_is_valid_port(app->port)) {
		GEN_LOG(ERR, "--%s %u: no such port (%u available)\n",
			sink ? "rx-port" : "tx-port", app->port, avail);
		return -ENODEV;
	}

	rc = rte_eth_dev_info_get(app->port, &info);
	if (rc < 0) {
		GEN_LOG(ERR, "port %u: info: %s\n", app->port, strerror(-rc));
		return rc;
	}
	app->memif_bsize = gen_port_memif_bsize(&info);
	return 0;
}

/* Generated frames are built whole in one mbuf: room for the largest. */
static uint32_t
gen_port_data_room(const struct gen_app *app)
{
	const struct gen_mix *m = &app->opts.sizes;
	uint32_t max = RTE_MBUF_DEFAULT_DATAROOM;
	unsigned int i;

	if (app->opts.mode != GEN_MODE_GEN)
		return RTE_MBUF_DEFAULT_BUF_SIZE;
	for (i = 0; i < m->n; i++)
		if (m->value[i] > max)
			max = m->value[i];
	return RTE_PKTMBUF_HEADROOM + max;
}

static int
gen_pool_create(struct gen_app *app)
{
	app->pool = rte_pktmbuf_pool_create("gen_mbufs", GEN_POOL_SIZE,
					    GEN_MBUF_CACHE, 0,
					    (uint16_t)gen_port_data_room(app),
					    rte_socket_id());
	if (app->pool == NULL) {
		GEN_LOG(ERR, "mempool of %u mbufs: %s (hugepages short?)\n",
			GEN_POOL_SIZE, rte_strerror(rte_errno));
		return -rte_errno;
	}
	return 0;
}

/* Jumbo frames where the port allows them; RX may chain mbufs for them. */
static void
gen_port_conf(const struct rte_eth_dev_info *info, struct rte_eth_conf *conf)
{
	uint32_t mtu = GEN_SIZE_MAX;

	memset(conf, 0, sizeof(*conf));
	if (mtu > info->max_mtu)
		mtu = info->max_mtu;
	if (mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN > info->max_rx_pktlen)
		mtu = info->max_rx_pktlen - RTE_ETHER_HDR_LEN -
		      RTE_ETHER_CRC_LEN;
	conf->rxmode.mtu = mtu < RTE_ETHER_MIN_MTU ? RTE_ETHER_MIN_MTU : mtu;
	if (info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER)
		conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
}

/*
 * XXX: one RX and one TX queue, polled by one lcore: enough for vdevs,
 * but a NIC spreading RX over several queues would hide frames from us.
 */
static int
gen_port_queues(struct gen_app *app)
{
	uint16_t nb_rxd = GEN_RX_DESC, nb_txd = GEN_TX_DESC;
	int sock = rte_eth_dev_socket_id(app->port);
	int rc;

	rc = rte_eth_dev_adjust_nb_rx_tx_desc(app->port, &nb_rxd, &nb_txd);
	if (rc < 0) {
		GEN_LOG(ERR, "port %u: descriptors: %s\n", app->port,
			strerror(-rc));
		return rc;
	}

	rc = rte_eth_rx_queue_setup(app->port, 0, nb_rxd, sock, NULL,
				    app->pool);
	if (rc < 0) {
		GEN_LOG(ERR, "port %u: rx queue 0 setup: %s\n", app->port,
			strerror(-rc));
		return rc;
	}

	rc = rte_eth_tx_queue_setup(app->port, 0, nb_txd, sock, NULL);
	if (rc < 0)
		GEN_LOG(ERR, "port %u: tx queue 0 setup: %s\n", app->port,
			strerror(-rc));
	return rc;
}

static int
gen_port_setup(struct gen_app *app)
{
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac;
	struct rte_eth_conf conf;
	int rc;

	rc = rte_eth_dev_info_get(app->port, &info);
	if (rc < 0) {
		GEN_LOG(ERR, "port %u: info: %s\n", app->port, strerror(-rc));
		return rc;
	}

	gen_port_conf(&info, &conf);
	rc = rte_eth_dev_configure(app->port, 1, 1, &conf);
	if (rc < 0) {
		GEN_LOG(ERR, "port %u: configure: %s\n", app->port,
			strerror(-rc));
		return rc;
	}

	rc = gen_port_queues(app);
	if (rc < 0)
		return rc;

	rc = rte_eth_dev_start(app->port);
	if (rc < 0) {
		GEN_LOG(ERR, "port %u: start: %s%s\n", app->port, strerror(-rc),
			app->memif_bsize ? " (a net_memif client needs its "
			"server running first)" : "");
		return rc;
	}
	app->started = true;

	/* the sink takes frames for any MAC; vdevs may answer -ENOTSUP */
	rte_eth_promiscuous_enable(app->port);
	rte_eth_macaddr_get(app->port, &mac);
	memcpy(app->mac, mac.addr_bytes, sizeof(app->mac));
	GEN_LOG(INFO, "port %u (%s): started, MTU %u\n", app->port,
		info.driver_name, conf.rxmode.mtu);
	return 0;
}

int
gen_port_start(struct gen_app *app)
{
	int rc;

	rc = gen_pool_create(app);
	if (rc < 0)
		return rc;

	return gen_port_setup(app);
}

/* Up within @ms (or a signal came first)? Reads the speed either way. */
bool
gen_port_wait_link(struct gen_app *app, unsigned int ms)
{
	struct rte_eth_link link;
	unsigned int waited = 0;

	for (;;) {
		memset(&link, 0, sizeof(link));
		rte_eth_link_get_nowait(app->port, &link);
		if (link.link_status == RTE_ETH_LINK_UP || waited >= ms ||
		    gen_signalled)
			break;
		rte_delay_us_sleep(GEN_LINK_POLL_MS * 1000);
		waited += GEN_LINK_POLL_MS;
	}

	app->speed_mbps = link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN ? 0 :
			  link.link_speed;
	return link.link_status == RTE_ETH_LINK_UP;
}

void
gen_port_report(const struct gen_app *app, struct gen_report *r)
{
	struct rte_eth_stats st;

	memset(&st, 0, sizeof(st));
	rte_eth_stats_get(app->port, &st);
	gen_report_open(r, "port");
	gen_report_u64(r, "id", app->port);
	gen_report_u64(r, "ipackets", st.ipackets);
	gen_report_u64(r, "opackets", st.opackets);
	gen_report_u64(r, "imissed", st.imissed);
	gen_report_u64(r, "ierrors", st.ierrors);
	gen_report_u64(r, "oerrors", st.oerrors);
	gen_report_u64(r, "rx_nombuf", st.rx_nombuf);
	gen_report_close(r);
}

/*
 * XXX: closing a net_memif port while its connection handshake is still
 * under way can crash DPDK 22.11's interrupt thread. Checks that may fail
 * run before the port starts, so only a signal during --link-wait-ms can
 * still close it that early.
 */
void
gen_port_close(struct gen_app *app)
{
	if (app->pool == NULL)
		return;
	if (app->started) {
		rte_eth_dev_stop(app->port);
		gen_port_settle(app->port);
	}
	rte_eth_dev_close(app->port);

	/*
	 * XXX: the pool is left to the EAL's cleanup: net_memif's interrupt
	 * thread may still touch the queues of a port it is disconnecting,
	 * and freeing under it is one way DPDK 22.11's memif crashes at exit.
	 */
	app->pool = NULL;
}

/*
 * Give a stopped port's driver time to see its link go down (net_memif
 * tears its connection down from its interrupt thread) before the port
 * is closed under it. Bounded: 200 ms at the most.
 */
void
gen_port_settle(uint16_t port)
{
	struct rte_eth_link link;
	int i;

	for (i = 0; i < 200; i++) {
		if (rte_eth_link_get_nowait(port, &link) != 0 ||
		    link.link_status == RTE_ETH_LINK_DOWN)
			return;
		rte_delay_ms(1);
	}
}

uint64_t
gen_rx_discard(const struct gen_app *app)
{
	struct rte_mbuf *pkts[GEN_BURST_MAX];
	uint16_t n;

	n = rte_eth_rx_burst(app->port, 0, pkts, GEN_BURST_MAX);
	rte_pktmbuf_free_bulk(pkts, n);
	return n;
}
