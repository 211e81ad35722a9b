// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Viridian network provider (plat/net.h) on Hyper-V's synthetic NIC
 * (netvsc). Bring-up per offer: NVSP version (newest first), NDIS config
 * and version, the receive buffer and the send buffer as GPADLs with the
 * host's section layout, then RNDIS: INITIALIZE, the MAC (permanent, else
 * current address), the maximum frame size, the packet filter (directed,
 * multicast, broadcast) and the link state. The data path is in
 * netvsc-io.c.
 *
 * Offloads: none are asked of the host yet (no OID_TCP_OFFLOAD_PARAMETERS),
 * so transmit checksums are computed in software on the send-buffer copy
 * and there is no TSO; a received frame carries PLAT_NET_RX_CSUM_VALID only
 * when the host volunteers a checksum PPI that says so.
 */
#include <plat/provider.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>
#include "netvsc-priv.h"
#include "vdev.h"

/* Class of the synthetic NIC {f8615163-df3e-46c5-913f-f2d2f965ed0e}. */
static const struct vmbus_guid nvs_class = { {
    0x63, 0x51, 0x61, 0xf8, 0x3e, 0xdf, 0xc5, 0x46,
    0x91, 0x3f, 0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e } };

static const uint32_t nvsp_versions[] = {
    NVSP_VERSION_61, NVSP_VERSION_6, NVSP_VERSION_5, NVSP_VERSION_4, NVSP_VERSION_2,
    NVSP_VERSION_1,
};

static int negotiate(struct nvs_nic *n)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(nvsp_versions); i++) {
        struct nvsp_init m = { .type = NVSP_MSG_INIT, .min_ver = nvsp_versions[i],
                               .max_ver = nvsp_versions[i] };
        struct nvsp_init_complete c;
        int rc = nvs_sync(n, &m, sizeof(m));

        if (rc)
            return rc;
        memcpy(&c, n->sync_reply, sizeof(c));
        if (n->sync_len < sizeof(c) || c.type != NVSP_MSG_INIT_COMPLETE)
            return -XEN_EIO;
        if (c.status == NVSP_STAT_SUCCESS) {
            n->nvsp_ver = nvsp_versions[i];
            return 0;
        }
    }
    return -XEN_EOPNOTSUPP;
}

/* NDIS config (NVSP 2 and later) and version: announcements, no reply. */
static int announce_ndis(struct nvs_nic *n)
{
    struct nvsp_ndis_config cfg = { .type = NVSP_MSG2_SEND_NDIS_CONFIG,
                                    .mtu = NVS_MTU_MAX + PLAT_NET_ETH_HLEN,
                                    .caps = NVSP_NDIS_CONFIG_VLAN };
    /* NDIS 6.30 from NVSP 5 on, 6.1 before, as Linux announces. */
    struct nvsp_ndis_ver ver = { .type = NVSP_MSG1_SEND_NDIS_VER, .major = 6,
                                 .minor = n->nvsp_ver >= NVSP_VERSION_5 ? 30 : 1 };
    int rc = 0;

    if (n->nvsp_ver >= NVSP_VERSION_2)
        rc = vmbus_send(n->ch, &cfg, sizeof(cfg), NVS_TID_SYNC, false);
    return rc ? rc : vmbus_send(n->ch, &ver, sizeof(ver), NVS_TID_SYNC, false);
}

static int setup_buffers(struct nvs_nic *n)
{
    struct nvsp_buf m = { .type = NVSP_MSG1_SEND_RECV_BUF, .id = NVSP_RECV_BUF_ID };
    struct nvsp_recv_buf_complete rc_msg;
    struct nvsp_send_buf_complete sc_msg;
    uint32_t rx_bytes = NVS_RECV_PAGES * PAGE_SIZE, tx_bytes = NVS_SEND_PAGES * PAGE_SIZE;
    int rc;

    n->rxbuf = vdev_dma_alloc(NVS_RECV_PAGES, &n->rxbuf_pa);
    rc = vmbus_gpadl_create(n->ch, n->rxbuf_pa, NVS_RECV_PAGES, &n->rx_gpadl);
    if (rc)
        return rc;
    m.gpadl = n->rx_gpadl;
    rc = nvs_sync(n, &m, sizeof(m));
    if (rc)
        return rc;
    memcpy(&rc_msg, n->sync_reply, sizeof(rc_msg));
    /* One section from offset 0 that ends inside the buffer, as Linux requires. */
    if (n->sync_len < sizeof(rc_msg) || rc_msg.type != NVSP_MSG1_SEND_RECV_BUF_COMPLETE ||
        rc_msg.status != NVSP_STAT_SUCCESS || rc_msg.nr_sections != 1 ||
        rc_msg.section.offset || !rc_msg.section.end_offset ||
        rc_msg.section.end_offset > rx_bytes)
        return -XEN_EIO;
    n->rx_end = rc_msg.section.end_offset;

    n->txbuf = vdev_dma_alloc(NVS_SEND_PAGES, &n->txbuf_pa);
    rc = vmbus_gpadl_create(n->ch, n->txbuf_pa, NVS_SEND_PAGES, &n->tx_gpadl);
    if (rc)
        return rc;
    m = (struct nvsp_buf){ .type = NVSP_MSG1_SEND_SEND_BUF, .gpadl = n->tx_gpadl,
                           .id = NVSP_SEND_BUF_ID };
    rc = nvs_sync(n, &m, sizeof(m));
    if (rc)
        return rc;
    memcpy(&sc_msg, n->sync_reply, sizeof(sc_msg));
    if (n->sync_len < sizeof(sc_msg) || sc_msg.type != NVSP_MSG1_SEND_SEND_BUF_COMPLETE ||
        sc_msg.status != NVSP_STAT_SUCCESS ||
        sc_msg.section_size < sizeof(struct rndis_packet) + NVS_MAX_FRAME ||
        sc_msg.section_size > tx_bytes)
        return -XEN_EIO;
    n->section_bytes = sc_msg.section_size;
    n->nr_sections = MIN(tx_bytes / sc_msg.section_size, (uint32_t)NVS_MAX_SECTIONS);
    nvs_slots_init(n);
    return 0;
}

/* QUERY oid; 0 with the value's bytes at n->ctrl_buf + ctrl_rx.info_off. */
static int query(struct nvs_nic *n, uint32_t oid, uint32_t min_len)
{
    struct rndis_oid_req q;
    uint32_t id = ++n->ctrl_next_id;
    int rc = nvs_rndis_request(n, &q, rndis_build_query(&q, id, oid), id);

    if (rc)
        return rc;
    if (n->ctrl_rx.type != RNDIS_MSG_QUERY_C || n->ctrl_rx.status != RNDIS_STATUS_SUCCESS ||
        n->ctrl_rx.info_len < min_len)
        return -XEN_EIO;
    return 0;
}

static int rndis_bringup(struct nvs_nic *n)
{
    struct rndis_init_req init;
    uint8_t set[sizeof(struct rndis_oid_req) + 4];
    uint32_t id = ++n->ctrl_next_id, v;
    int rc = nvs_rndis_request(n, &init, rndis_build_init(&init, id), id);

    if (rc)
        return rc;
    if (n->ctrl_rx.type != RNDIS_MSG_INIT_C || n->ctrl_rx.status != RNDIS_STATUS_SUCCESS)
        return -XEN_EIO;
    if (query(n, RNDIS_OID_802_3_PERMANENT_ADDRESS, PLAT_NET_ETH_ALEN) &&
        query(n, RNDIS_OID_802_3_CURRENT_ADDRESS, PLAT_NET_ETH_ALEN))
        return -XEN_EIO;
    memcpy(n->info.mac, n->ctrl_buf + n->ctrl_rx.info_off, PLAT_NET_ETH_ALEN);
    n->info.mtu = NVS_MTU_MAX;
    if (!query(n, RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE, 4)) {
        memcpy(&v, n->ctrl_buf + n->ctrl_rx.info_off, 4);
        n->info.mtu = (uint16_t)MIN(MAX(v, (uint32_t)NVS_MTU_MIN), (uint32_t)NVS_MTU_MAX);
    }
    n->link_up = true;
    if (!query(n, RNDIS_OID_GEN_MEDIA_CONNECT_STATUS, 4)) {
        memcpy(&v, n->ctrl_buf + n->ctrl_rx.info_off, 4);
        n->link_up = v == 0;        /* NdisMediaStateConnected */
    }
    id = ++n->ctrl_next_id;
    rc = nvs_rndis_request(n, set, rndis_build_set_u32(set, id, RNDIS_OID_GEN_CURRENT_PACKET_FILTER,
                                                       RNDIS_PACKET_TYPE_DIRECTED |
                                                       RNDIS_PACKET_TYPE_MULTICAST |
                                                       RNDIS_PACKET_TYPE_BROADCAST), id);
    if (rc)
        return rc;
    return n->ctrl_rx.type == RNDIS_MSG_SET_C && n->ctrl_rx.status == RNDIS_STATUS_SUCCESS ?
           0 : -XEN_EIO;
}

static int nic_init(struct nvs_nic *n, struct vmbus_channel *ch, unsigned int index)
{
    int rc;

    memset(n, 0, sizeof(*n));
    n->ch = ch;
    n->index = index;
    n->info.max_frags = PLAT_NET_MAX_FRAGS;
    rc = vmbus_open(ch, NVS_RING_BYTES, NVS_RING_BYTES, nvs_on_event, n);
    if (rc)
        return rc;
    rc = negotiate(n);
    if (!rc)
        rc = announce_ndis(n);
    if (!rc)
        rc = setup_buffers(n);
    if (!rc)
        rc = rndis_bringup(n);
    if (rc) {
        /* Closing takes the host off both buffers; they stay allocated (boot only). */
        vmbus_close(ch);
    }
    return rc;
}

static unsigned int nvs_count(void *ctx)
{
    return nvs_nr_nics;
}

static const struct plat_net_info *nvs_info(void *ctx, unsigned int idx)
{
    return idx < nvs_nr_nics ? &nvs_nics[idx].info : NULL;
}

static const struct plat_net_provider nvs_provider = {
    .name = "netvsc",
    .count = nvs_count,
    .info = nvs_info,
    .tx = nvs_tx,
    .set_rx = nvs_set_rx,
    .poll = nvs_poll,
};

unsigned int netvsc_probe(void)
{
    for (unsigned int i = 0; nvs_nr_nics < NVS_MAX_NICS; i++) {
        struct vmbus_channel *ch = vmbus_find(&nvs_class, i);
        struct nvs_nic *n = &nvs_nics[nvs_nr_nics];
        int rc;

        if (!ch)
            break;
        rc = nic_init(n, ch, nvs_nr_nics);
        if (rc) {
            log_warn("netvsc: offer %u: bring-up failed (%d); NIC unused\n", i, rc);
            continue;
        }
        log_info("netvsc %u: nvsp %#x, mac %02x:%02x:%02x:%02x:%02x:%02x, mtu %u, %u send "
                 "sections of %u bytes, link %s\n", n->index, n->nvsp_ver, n->info.mac[0],
                 n->info.mac[1], n->info.mac[2], n->info.mac[3], n->info.mac[4],
                 n->info.mac[5], n->info.mtu, n->nr_sections, n->section_bytes,
                 n->link_up ? "up" : "down");
        nvs_nr_nics++;
    }
    if (nvs_nr_nics && plat_net_register(&nvs_provider, NULL)) {
        log_warn("netvsc: network provider table full; %u NICs unused\n", nvs_nr_nics);
        return 0;
    }
    return nvs_nr_nics;
}
