/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Remote NDIS as Hyper-V's netvsc carries it over NVSP (facts from
 * Microsoft's RNDIS specification and the drivers of Linux and the BSDs;
 * the code is our own). rndis.c builds the messages the guest sends and
 * parses what the host puts in the receive buffer; it is pure, so the unit
 * tests and the libFuzzer harness (tests/fuzz/fuzz-rndis.c) run it on the
 * host.
 *
 * Every message starts with type and length; offsets inside a message
 * count from the field after those two (byte 8), and every one of them is
 * checked against the message and the bytes the host gave us. The receive
 * buffer is shared with the host: each field is read exactly once.
 */
#ifndef VIRIDIAN_RNDIS_H
#define VIRIDIAN_RNDIS_H

#include <plat/net.h>

#define RNDIS_MSG_PACKET            0x00000001
#define RNDIS_MSG_INIT              0x00000002
#define RNDIS_MSG_HALT              0x00000003
#define RNDIS_MSG_QUERY             0x00000004
#define RNDIS_MSG_SET               0x00000005
#define RNDIS_MSG_RESET             0x00000006
#define RNDIS_MSG_INDICATE          0x00000007
#define RNDIS_MSG_KEEPALIVE         0x00000008
#define RNDIS_MSG_COMPLETION        0x80000000  /* | request type */
#define RNDIS_MSG_INIT_C            (RNDIS_MSG_COMPLETION | RNDIS_MSG_INIT)
#define RNDIS_MSG_QUERY_C           (RNDIS_MSG_COMPLETION | RNDIS_MSG_QUERY)
#define RNDIS_MSG_SET_C             (RNDIS_MSG_COMPLETION | RNDIS_MSG_SET)

#define RNDIS_STATUS_SUCCESS        0x00000000
#define RNDIS_STATUS_MEDIA_CONNECT  0x4001000b
#define RNDIS_STATUS_MEDIA_DISCONNECT 0x4001000c

#define RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE    0x00010106
#define RNDIS_OID_GEN_CURRENT_PACKET_FILTER 0x0001010e
#define RNDIS_OID_GEN_MEDIA_CONNECT_STATUS  0x00010114
#define RNDIS_OID_802_3_PERMANENT_ADDRESS   0x01010101
#define RNDIS_OID_802_3_CURRENT_ADDRESS     0x01010102

#define RNDIS_PACKET_TYPE_DIRECTED  0x00000001
#define RNDIS_PACKET_TYPE_MULTICAST 0x00000002
#define RNDIS_PACKET_TYPE_BROADCAST 0x00000008

#define RNDIS_HDR_BYTES             8       /* type, length */

struct rndis_init_req {
    uint32_t type, len;
    uint32_t req_id, major, minor, max_xfer;
} __packed;

struct rndis_init_cmplt {
    uint32_t type, len;
    uint32_t req_id, status, major, minor, dev_flags, medium;
    uint32_t max_pkts_per_msg, max_xfer, pkt_align, af_list_off, af_list_size;
} __packed;

/* QUERY and SET share a layout; SET's value follows at info_off. */
struct rndis_oid_req {
    uint32_t type, len;
    uint32_t req_id, oid, info_len, info_off, vc_handle;
} __packed;

struct rndis_query_cmplt {
    uint32_t type, len;
    uint32_t req_id, status, info_len, info_off;
} __packed;

struct rndis_set_cmplt {
    uint32_t type, len;
    uint32_t req_id, status;
} __packed;

struct rndis_indicate {
    uint32_t type, len;
    uint32_t status, buf_len, buf_off;
} __packed;

struct rndis_packet {
    uint32_t type, len;
    uint32_t data_off, data_len;
    uint32_t oob_off, oob_len, nr_oob;
    uint32_t ppi_off, ppi_len;
    uint32_t vc_handle, reserved;
} __packed;

/* Per-packet information: an element of the PPI area. */
struct rndis_ppi {
    uint32_t size;                  /* of the element, header included */
    uint32_t type;                  /* bit 31: internal */
    uint32_t off;                   /* of the value, from the element */
} __packed;

#define RNDIS_PPI_TCPIP_CSUM        0
#define RNDIS_PPI_IEEE_8021Q        6
#define RNDIS_PPI_MAX               32      /* elements walked per packet */

/* Receive side of NDIS_TCP_IP_CHECKSUM_PACKET_INFO. */
#define RNDIS_RXCSUM_TCP_FAILED     BIT(0)
#define RNDIS_RXCSUM_UDP_FAILED     BIT(1)
#define RNDIS_RXCSUM_IP_FAILED      BIT(2)
#define RNDIS_RXCSUM_TCP_OK         BIT(3)
#define RNDIS_RXCSUM_UDP_OK         BIT(4)
#define RNDIS_RXCSUM_IP_OK          BIT(5)

_Static_assert(sizeof(struct rndis_init_req) == 24, "RNDIS INITIALIZE");
_Static_assert(sizeof(struct rndis_init_cmplt) == 52, "RNDIS INITIALIZE completion");
_Static_assert(sizeof(struct rndis_oid_req) == 28, "RNDIS QUERY/SET");
_Static_assert(sizeof(struct rndis_query_cmplt) == 24, "RNDIS QUERY completion");
_Static_assert(sizeof(struct rndis_set_cmplt) == 16, "RNDIS SET completion");
_Static_assert(sizeof(struct rndis_indicate) == 20, "RNDIS INDICATE_STATUS");
_Static_assert(sizeof(struct rndis_packet) == 44, "RNDIS PACKET");
_Static_assert(sizeof(struct rndis_ppi) == 12, "RNDIS per-packet info");

/* Builders: the message into buf (room for it checked by the caller's types). */
uint32_t rndis_build_init(struct rndis_init_req *m, uint32_t req_id);
/* QUERY with no input buffer; SET with a 4-byte value. Return the length. */
uint32_t rndis_build_query(struct rndis_oid_req *m, uint32_t req_id, uint32_t oid);
uint32_t rndis_build_set_u32(void *buf, uint32_t req_id, uint32_t oid, uint32_t value);
/* The PACKET header of a frame of data_len bytes right after it; 44. */
uint32_t rndis_build_packet(struct rndis_packet *m, uint32_t data_len);

/* What one message from the host is. */
struct rndis_rx {
    uint32_t type;                  /* RNDIS_MSG_* */
    /* PACKET: the frame and its metadata. */
    uint32_t data_off, data_len;    /* of the frame, from the message start */
    struct plat_net_rx_meta meta;
    /* completions: */
    uint32_t req_id, status;
    uint32_t info_off, info_len;    /* QUERY_C value / INDICATE buffer, from message start */
};

/*
 * Parse the message at msg, len bytes (the transfer-page range): 0 with
 * *rx filled, or -XEN_EINVAL when the message is malformed (too short for
 * its type, length or an offset beyond len, a PPI overrunning its area) or
 * a PACKET whose frame is shorter than an Ethernet header or longer than
 * max_frame; the caller drops it.
 */
int rndis_parse(const uint8_t *msg, uint32_t len, uint32_t max_frame, struct rndis_rx *rx);

#endif
