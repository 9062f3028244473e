/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port set-up: pick the ingress and egress ports, size and check the mbuf
 * pool, configure one RX and one TX queue per port, start them. Frames the
 * port already holds when forwarding starts are kept: nothing is flushed.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf_dyn.h>

#include "dp.h"

static int
dp_port_pick(struct dp_app *app)
{
	uint16_t avail = rte_eth_dev_count_avail();
	const struct dp_opts *o = &app->opts;
	int rx, tx;

	if (avail == 0) {
		DP_LOG(ERR, "no ports: the EAL made none (a --vdev that failed "
		       "says why above, e.g. a tx_pcap it cannot write); name "
		       "one with --vdev, or bind a NIC to DPDK "
		       "(dpdk-devbind.py) and allow it with -a\n");
		return -ENODEV;
	}

	rx = o->rx_port >= 0 ? o->rx_port : 0;
	tx = o->tx_port >= 0 ? o->tx_port : (avail > 1 ? 1 : 0);
	if (!rte_eth_dev_is_valid_port(rx)) {
		DP_LOG(ERR, "--rx-port %d: no such port (%u available)\n", rx,
		       avail);
		return -ENODEV;
	}
	if (!rte_eth_dev_is_valid_port(tx)) {
		DP_LOG(ERR, "--tx-port %d: no such port (%u available)\n", tx,
		       avail);
		return -ENODEV;
	}

	app->rx_port = rx;
	app->tx_port = tx;
	app->n_ports_used = rx == tx ? 1 : 2;
	return 0;
}

static int
dp_pool_create(struct dp_app *app)
{
	const struct dp_opts *o = &app->opts;
	struct pool_need need = {
		.rx_desc = o->rx_desc,
		.rx_queues = app->n_ports_used,
		.tx_desc = o->tx_desc,
		.tx_queues = app->n_ports_used,
		.ring_entries = (uint64_t)o->ring_size * (o->stages + 1),
		.lcores = rte_lcore_count(),
		.cache = DP_MBUF_CACHE,
		.burst = o->burst,
		.held_bursts = 2,
	};

	pool_required(&need, &app->pool_need);
	app->pool_size = o->pool_size ? o->pool_size :
			 pool_default_size(&app->pool_need);
	if (app->pool_size < app->pool_need.required) {
		DP_LOG(ERR, "--pool-size %" PRIu64 " is below the %" PRIu64
		       " mbufs the pipeline can hold at once (descriptors %"
		       PRIu64 " + rings %" PRIu64 " + lcore caches %" PRIu64
		       " + bursts in flight %" PRIu64 "); an undersized pool "
		       "shows up as rx_nombuf drops\n", app->pool_size,
		       app->pool_need.required, app->pool_need.descriptors,
		       app->pool_need.rings, app->pool_need.caches,
		       app->pool_need.bursts);
		return -EINVAL;
	}

	app->pool = rte_pktmbuf_pool_create("sluice_mbufs", app->pool_size,
					    DP_MBUF_CACHE, 0,
					    RTE_MBUF_DEFAULT_BUF_SIZE,
					    rte_socket_id());
	if (app->pool == NULL) {
		DP_LOG(ERR, "mempool of %" PRIu64 " mbufs (for %u rings of "
		       "%u): %s; reserve more hugepages, lower --ring-size, or "
		       "with --no-huge raise -m\n", app->pool_size,
		       app->opts.stages + 1, app->opts.ring_size,
		       rte_strerror(rte_errno));
		return -rte_errno;
	}

	return 0;
}

static int
dp_meta_register(struct dp_app *app)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "sluice_meta",
		.size = sizeof(uint8_t),
		.align = __alignof__(uint8_t),
	};

	app->meta_off = rte_mbuf_dynfield_register(&desc);
	if (app->meta_off < 0) {
		DP_LOG(ERR, "mbuf dynfield: %s\n", rte_strerror(rte_errno));
		return -rte_errno;
	}
	return 0;
}

/* Frame size, scatter and multi-segment TX for frames past the data room. */
static void
dp_port_conf(struct dp_app *app, uint16_t port,
	     const struct rte_eth_dev_info *info, struct rte_eth_conf *conf)
{
	uint32_t room = RTE_MBUF_DEFAULT_BUF_SIZE - RTE_PKTMBUF_HEADROOM;
	uint32_t mtu = app->opts.max_frame - RTE_ETHER_HDR_LEN;

	memset(conf, 0, sizeof(*conf));
	if (mtu > info->max_mtu) {
		DP_LOG(WARNING, "port %u: MTU %u is above the port's limit "
		       "%u; the port drops longer frames itself\n", port, mtu,
		       info->max_mtu);
		mtu = info->max_mtu;
	}
	if (mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN > info->max_rx_pktlen)
		mtu = info->max_rx_pktlen - RTE_ETHER_HDR_LEN -
		      RTE_ETHER_CRC_LEN;
	conf->rxmode.mtu = mtu < RTE_ETHER_MIN_MTU ? RTE_ETHER_MIN_MTU : mtu;

	if (app->opts.max_frame <= room)
		return;
	if (info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER)
		conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	if (info->tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
		conf->txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
}

static int
dp_port_setup(struct dp_app *app, uint16_t port)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	uint16_t nb_rxd = app->opts.rx_desc, nb_txd = app->opts.tx_desc;
	uint16_t q, nb_txq = 1;
	int rc;

	rc = rte_eth_dev_info_get(port, &info);
	if (rc < 0) {
		DP_LOG(ERR, "port %u: info: %s\n", port, strerror(-rc));
		return rc;
	}

	/* one port both ways: data and PAUSE/PFC need a queue each */
	if (app->rx_port == app->tx_port &&
	    (app->opts.fc_mode == DP_FC_PAUSE ||
	     app->opts.fc_mode == DP_FC_PFC))
		nb_txq = 2;
	if (info.max_tx_queues < nb_txq) {
		DP_LOG(ERR, "port %u (%s): --fc-mode %s on a single port needs "
		       "a second TX queue for control frames, the port has "
		       "%u\n", port, info.driver_name,
		       dp_fc_mode_name(app->opts.fc_mode), info.max_tx_queues);
		return -ENOTSUP;
	}

	dp_port_conf(app, port, &info, &conf);
	rc = rte_eth_dev_configure(port, 1, nb_txq, &conf);
	if (rc < 0) {
		DP_LOG(ERR, "port %u: configure: %s\n", port, strerror(-rc));
		return rc;
	}

	rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (rc < 0) {
		DP_LOG(ERR, "port %u: descriptors: %s\n", port, strerror(-rc));
		return rc;
	}

	rc = rte_eth_rx_queue_setup(port, 0, nb_rxd, rte_eth_dev_socket_id(port),
				    NULL, app->pool);
	if (rc < 0) {
		DP_LOG(ERR, "port %u: rx queue 0 setup: %s\n", port,
		       strerror(-rc));
		return rc;
	}

	for (q = 0; q < nb_txq; q++) {
		rc = rte_eth_tx_queue_setup(port, q, nb_txd,
					    rte_eth_dev_socket_id(port), NULL);
		if (rc < 0) {
			DP_LOG(ERR, "port %u: tx queue %u setup: %s\n", port,
			       q, strerror(-rc));
			return rc;
		}
	}

	rc = rte_eth_dev_start(port);
	if (rc < 0) {
		DP_LOG(ERR, "port %u: start: %s\n", port, strerror(-rc));
		return rc;
	}

	/* vdevs without the notion answer -ENOTSUP: nothing to do then */
	rte_eth_promiscuous_enable(port);
	DP_LOG(INFO, "port %u (%s): started, %u rx / %u tx descriptors\n",
	       port, info.driver_name, nb_rxd, nb_txd);
	return 0;
}

int
dp_ports_init(struct dp_app *app)
{
	int rc;

	rc = dp_port_pick(app);
	if (rc < 0)
		return rc;

	rc = dp_meta_register(app);
	if (rc < 0)
		return rc;

	rc = dp_pool_create(app);
	if (rc < 0)
		return rc;

	rc = dp_port_setup(app, app->rx_port);
	if (rc < 0 || app->tx_port == app->rx_port)
		return rc;

	return dp_port_setup(app, app->tx_port);
}

/* Stopping and closing also flushes what net_pcap still buffers. */
void
dp_ports_close(struct dp_app *app)
{
	uint16_t ports[2] = { app->rx_port, app->tx_port };
	struct rte_eth_link link;
	unsigned int i;
	int ms;

	for (i = 0; i < app->n_ports_used; i++) {
		rte_eth_dev_stop(ports[i]);

		/*
		 * Let the driver see its link go down before closing under
		 * it: net_memif tears its connection down from its interrupt
		 * thread. At most 200 ms.
		 */
		for (ms = 0; ms < 200; ms++) {
			if (rte_eth_link_get_nowait(ports[i], &link) != 0 ||
			    link.link_status == RTE_ETH_LINK_DOWN)
				break;
			rte_delay_ms(1);
		}
		rte_eth_dev_close(ports[i]);
	}
}

void
dp_ports_read(const struct dp_app *app, struct stats_snapshot *s)
{
	uint16_t ports[2] = { app->rx_port, app->tx_port };
	struct rte_eth_stats st;
	unsigned int i;

	s->n_ports = app->n_ports_used;
	for (i = 0; i < app->n_ports_used; i++) {
		struct stats_port *p = &s->ports[i];

		memset(p, 0, sizeof(*p));
		p->port_id = ports[i];
		p->role = app->n_ports_used == 1 ? "ingress+egress" :
			  i == 0 ? "ingress" : "egress";
		if (rte_eth_stats_get(ports[i], &st) != 0)
			continue;

		p->ipackets = st.ipackets;
		p->opackets = st.opackets;
		p->nic[ACCT_NIC_IMISSED] = st.imissed;
		p->nic[ACCT_NIC_RX_NOMBUF] = st.rx_nombuf;
		p->nic[ACCT_NIC_IERRORS] = st.ierrors;
	}
}

static const char *
dp_fc_hw_mode_name(enum rte_eth_fc_mode m)
{
	switch (m) {
	case RTE_ETH_FC_NONE:
		return "none";
	case RTE_ETH_FC_RX_PAUSE:
		return "rx_pause";
	case RTE_ETH_FC_TX_PAUSE:
		return "tx_pause";
	default:
		return "full";
	}
}

/* Link speed in Mb/s, 0 when the port does not know it. */
static uint32_t
dp_port_speed(uint16_t port)
{
	struct rte_eth_link link;

	if (rte_eth_link_get_nowait(port, &link) != 0 ||
	    link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN)
		return 0;
	return link.link_speed;
}

/*
 * --hw-pfc: PFC on the listed priorities instead of link-level pause.
 * XXX: DPDK 22.11 has no call to read a port's PFC back, so what the NIC
 * accepted is known only from the set call's answer, not from a read.
 */
static int
dp_ports_pfc_hw(struct dp_app *app, const struct rte_eth_fc_conf *base)
{
	uint16_t port = app->rx_port;
	struct rte_eth_pfc_conf pfc;
	unsigned int p;
	int rc;

	for (p = 0; p < FC_CLASSES; p++) {
		if (!fc_vec_test(app->opts.hw_pfc, p))
			continue;

		memset(&pfc, 0, sizeof(pfc));
		pfc.fc = *base;
		pfc.fc.mode = RTE_ETH_FC_FULL;
		pfc.fc.pause_time = fc_ns_to_quanta(
			(uint64_t)app->opts.pause_time_us * 1000,
			dp_port_speed(port));
		pfc.priority = (uint8_t)p;
		rc = rte_eth_dev_priority_flow_ctrl_set(port, &pfc);
		if (rc < 0) {
			DP_LOG(ERR, "port %u: PFC on priority %u: %s\n", port,
			       p, rc == -ENOTSUP ? "the driver has none" :
			       strerror(-rc));
			return rc;
		}
		DP_LOG(INFO, "port %u: NIC PFC on priority %u, %u quanta "
		       "(accepted; DPDK cannot read it back)\n", port, p,
		       pfc.fc.pause_time);
	}
	return 0;
}

/*
 * --fc-mode hw: ask the ingress NIC to send PAUSE itself when its RX
 * buffer fills (and to honour PAUSE it receives), then read back what it
 * really accepted. The buffer thresholds stay the driver's own.
 */
int
dp_ports_flow_ctrl_hw(struct dp_app *app)
{
	uint16_t port = app->rx_port;
	struct rte_eth_fc_conf fc;
	int rc;

	memset(&fc, 0, sizeof(fc));
	rc = rte_eth_dev_flow_ctrl_get(port, &fc);
	if (app->opts.hw_pfc) /* a NIC may have PFC without 802.3x */
		return dp_ports_pfc_hw(app, &fc);
	if (rc == -ENOTSUP) {
		DP_LOG(ERR, "port %u: the driver has no flow control to set; "
		       "--fc-mode hw needs a NIC that has (pause and pfc "
		       "send frames from sluice itself)\n", port);
		return rc;
	}
	if (rc < 0) {
		DP_LOG(ERR, "port %u: flow control get: %s\n", port,
		       strerror(-rc));
		return rc;
	}

	fc.mode = RTE_ETH_FC_FULL;
	fc.pause_time = fc_ns_to_quanta((uint64_t)app->opts.pause_time_us *
					1000, dp_port_speed(port));
	fc.send_xon = 1;
	rc = rte_eth_dev_flow_ctrl_set(port, &fc);
	if (rc < 0) {
		DP_LOG(ERR, "port %u: flow control set (full, %u quanta): %s\n",
		       port, fc.pause_time, strerror(-rc));
		return rc;
	}

	memset(&fc, 0, sizeof(fc));
	rc = rte_eth_dev_flow_ctrl_get(port, &fc);
	if (rc < 0) {
		DP_LOG(ERR, "port %u: flow control read-back: %s\n", port,
		       strerror(-rc));
		return rc;
	}
	DP_LOG(INFO, "port %u: NIC flow control now %s, pause time %u "
	       "quanta, xon %s, autoneg %s, water %u/%u\n", port,
	       dp_fc_hw_mode_name(fc.mode), fc.pause_time,
	       fc.send_xon ? "on" : "off", fc.autoneg ? "on" : "off",
	       fc.high_water, fc.low_water);
	if (fc.mode != RTE_ETH_FC_FULL)
		DP_LOG(WARNING, "port %u: the NIC kept flow control %s instead "
		       "of full\n", port, dp_fc_hw_mode_name(fc.mode));
	return 0;
}
