/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NVSP, the network VSP protocol of Hyper-V's synthetic NIC (netvsc):
 * version negotiation, NDIS configuration and version, the receive and
 * send buffers (GPADLs) and RNDIS messages carried over the channel. Facts
 * from Linux's hyperv_net.h and the BSD hn/hvn drivers; our own code.
 * Requests are padded to NVSP_MSG_BYTES: hosts ignore shorter ones.
 */
#ifndef VIRIDIAN_NVSP_H
#define VIRIDIAN_NVSP_H

#include <shim/types.h>

#define NVSP_MSG_INIT                   1
#define NVSP_MSG_INIT_COMPLETE          2
#define NVSP_MSG1_SEND_NDIS_VER         100
#define NVSP_MSG1_SEND_RECV_BUF         101
#define NVSP_MSG1_SEND_RECV_BUF_COMPLETE 102
#define NVSP_MSG1_REVOKE_RECV_BUF       103
#define NVSP_MSG1_SEND_SEND_BUF         104
#define NVSP_MSG1_SEND_SEND_BUF_COMPLETE 105
#define NVSP_MSG1_REVOKE_SEND_BUF       106
#define NVSP_MSG1_SEND_RNDIS_PKT        107
#define NVSP_MSG1_SEND_RNDIS_PKT_COMPLETE 108
#define NVSP_MSG2_SEND_NDIS_CONFIG      125

#define NVSP_STAT_SUCCESS               1

#define NVSP_VERSION_1                  0x00002
#define NVSP_VERSION_2                  0x30002
#define NVSP_VERSION_4                  0x40000
#define NVSP_VERSION_5                  0x50000
#define NVSP_VERSION_6                  0x60000
#define NVSP_VERSION_61                 0x60001

#define NVSP_MSG_BYTES                  32
#define NVSP_RECV_BUF_ID                0xcafe
#define NVSP_SEND_BUF_ID                0
#define NVSP_INVALID_SECTION            0xffffffffu
#define NVSP_RNDIS_DATA                 0       /* channel type of RNDIS_PKT */
#define NVSP_RNDIS_CONTROL              1
#define NVSP_NDIS_CONFIG_VLAN           BIT(3)  /* ieee8021q capability */

struct nvsp_init {
    uint32_t type, min_ver, max_ver;
    uint8_t pad[20];
} __packed;

struct nvsp_init_complete {
    uint32_t type, negotiated_ver, max_mdl_chain_len, status;
} __packed;

struct nvsp_ndis_config {
    uint32_t type, mtu, reserved;
    uint64_t caps;
    uint8_t pad[12];
} __packed;

struct nvsp_ndis_ver {
    uint32_t type, major, minor;
    uint8_t pad[20];
} __packed;

/* SEND_RECV_BUF and SEND_SEND_BUF. */
struct nvsp_buf {
    uint32_t type, gpadl;
    uint16_t id;
    uint8_t pad[22];
} __packed;

struct nvsp_recv_section {
    uint32_t offset, sub_alloc_size, nr_sub_allocs, end_offset;
} __packed;

struct nvsp_recv_buf_complete {
    uint32_t type, status, nr_sections;
    struct nvsp_recv_section section;       /* the first; netvsc wants exactly one */
} __packed;

struct nvsp_send_buf_complete {
    uint32_t type, status, section_size;
} __packed;

struct nvsp_rndis_pkt {
    uint32_t type, channel_type, section_index, section_size;
    uint8_t pad[16];
} __packed;

struct nvsp_rndis_pkt_complete {
    uint32_t type, status;
    uint8_t pad[24];
} __packed;

/* The header of a transfer-page packet (vmbus_recv_hdr's hdr). */
struct nvsp_xfer_hdr {
    uint16_t set_id;
    uint8_t sender_owns_set, reserved;
    uint32_t nr_ranges;
} __packed;

struct nvsp_xfer_range {
    uint32_t len, offset;
} __packed;

_Static_assert(sizeof(struct nvsp_init) == NVSP_MSG_BYTES, "NVSP init");
_Static_assert(sizeof(struct nvsp_ndis_config) == NVSP_MSG_BYTES, "NVSP NDIS config");
_Static_assert(offsetof(struct nvsp_ndis_config, caps) == 12, "NVSP NDIS config");
_Static_assert(sizeof(struct nvsp_ndis_ver) == NVSP_MSG_BYTES, "NVSP NDIS version");
_Static_assert(sizeof(struct nvsp_buf) == NVSP_MSG_BYTES, "NVSP send/recv buffer");
_Static_assert(offsetof(struct nvsp_buf, id) == 8, "NVSP send/recv buffer");
_Static_assert(sizeof(struct nvsp_rndis_pkt) == NVSP_MSG_BYTES, "NVSP RNDIS packet");
_Static_assert(sizeof(struct nvsp_rndis_pkt_complete) == NVSP_MSG_BYTES, "NVSP completion");
_Static_assert(sizeof(struct nvsp_recv_buf_complete) == 28, "NVSP recv buf complete");
_Static_assert(sizeof(struct nvsp_init_complete) == 16, "NVSP init complete");
_Static_assert(sizeof(struct nvsp_xfer_hdr) == 8, "VMBus transfer page header");

#endif
