/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pure parts of the virtio-net driver (virtio-net-buf.c): the
 * virtio_net_hdr (virtio 1.1, 5.1.6), checks of a transmit request, the
 * descriptor layout of a transmit, software checksums over fragments, and
 * the receive-buffer ring. No device access, so tests/unit/test-virtio-net.c
 * runs all of it on the host against a simulated device.
 */
#ifndef PC_VIRTIO_NET_BUF_H
#define PC_VIRTIO_NET_BUF_H

#include <plat/net.h>
#include <plat/virtqueue.h>

/* With VIRTIO_F_VERSION_1 the header always has num_buffers: 12 bytes. */
struct virtio_net_hdr {
    uint8_t flags;
    uint8_t gso_type;
    uint16_t hdr_len;
    uint16_t gso_size;
    uint16_t csum_start;
    uint16_t csum_offset;
    uint16_t num_buffers;
};
#define VNET_HDR_LEN                12
_Static_assert(sizeof(struct virtio_net_hdr) == VNET_HDR_LEN, "virtio 1.1, 5.1.6");

#define VNET_HDR_F_NEEDS_CSUM       1
#define VNET_HDR_F_DATA_VALID       2
#define VNET_HDR_GSO_NONE           0
#define VNET_HDR_GSO_TCPV4          1
#define VNET_HDR_GSO_TCPV6          4

#define VNET_VLAN_HLEN              4
#define VNET_TCP_CSUM_OFFSET        16  /* of th->check in struct tcphdr */

/*
 * Reads the memory at a machine address (the shim's direct map; the host
 * tests pass host pointers as addresses). Only called for addresses inside
 * fragments vnet_tx_check accepted.
 */
typedef const void *(*vnet_map_fn)(paddr_t addr);

/*
 * Check req against in (see the -XEN_* list of plat_net_tx). Returns 0 with
 * *total (frame bytes) set, or a negative errno.
 */
int vnet_tx_check(const struct plat_net_info *in, const struct plat_net_tx_req *req,
                  uint32_t *total);

/* Copy [off, off + len) of the frame into dst; -XEN_EINVAL past its end. */
int vnet_frags_read(const struct plat_net_frag *f, unsigned int n, uint32_t off,
                    void *dst, uint32_t len, vnet_map_fn map);

/*
 * The Internet checksum (RFC 1071) of [start, end of frame), complemented,
 * as the two bytes to store (big-endian value); 0 becomes 0xffff as Linux's
 * skb_checksum_help does.
 */
uint16_t vnet_frags_csum(const struct plat_net_frag *f, unsigned int n, uint32_t start,
                         vnet_map_fn map);

/*
 * The header for a checked request. hw_csum: the device completes the
 * checksum (else the caller does it in software and the header asks for
 * nothing). hdr_len: for GSO, the headers' length; vnet_gso_hdr_len gives it
 * when the request leaves it 0.
 */
void vnet_hdr_tx(struct virtio_net_hdr *h, const struct plat_net_offload *o, bool hw_csum,
                 uint16_t hdr_len);
/* csum_start + the TCP header length read from the frame; 0 if malformed. */
uint16_t vnet_gso_hdr_len(const struct plat_net_frag *f, unsigned int n, uint32_t total,
                          const struct plat_net_offload *o, vnet_map_fn map);

/*
 * Descriptors for the frame's fragments, with the two bytes at splice_off
 * taken from splice_addr instead (splice_off UINT32_MAX: none). Returns how
 * many of out[max] were used, or -XEN_EINVAL when they do not fit.
 */
int vnet_tx_layout(const struct plat_net_frag *f, unsigned int n, uint32_t splice_off,
                   paddr_t splice_addr, struct virtq_buf *out, unsigned int max);

/*
 * Check a received header; frame_len is what the device wrote after it.
 * guest_csum: VIRTIO_NET_F_GUEST_CSUM was negotiated. Returns 0 with *m
 * set, or -XEN_EINVAL for a header the driver did not allow (GSO, more than
 * one buffer, a checksum field outside the frame): the frame is dropped.
 */
int vnet_rx_parse(const struct virtio_net_hdr *h, uint32_t frame_len, bool guest_csum,
                  struct plat_net_rx_meta *m);

/*
 * Receive buffers: nbufs buffers of buf_size bytes (header + frame) at
 * va/pa, each either FREE (owned by the driver, to be posted), POSTED (the
 * device may write it) or LENT (a frame in it is being delivered).
 */
enum vnet_rxbuf_state { VNET_RXBUF_FREE, VNET_RXBUF_POSTED, VNET_RXBUF_LENT };

struct vnet_rxq {
    struct virtq *vq;
    uint8_t *va;
    paddr_t pa;
    uint32_t buf_size;
    uint16_t nbufs;                 /* <= vq->size */
    uint16_t posted;                /* buffers in POSTED state */
    uint8_t state[VIRTQ_MAX_SIZE];  /* enum vnet_rxbuf_state */
};

/* All buffers FREE. Returns 0, or -XEN_EINVAL for nbufs 0 or above vq->size. */
int vnet_rxq_init(struct vnet_rxq *q, struct virtq *vq, uint8_t *va, paddr_t pa,
                  uint32_t buf_size, unsigned int nbufs);

/* Add every FREE buffer to the avail ring; returns how many (caller publishes). */
unsigned int vnet_rxq_refill(struct vnet_rxq *q);

/*
 * Take the next received frame. Returns
 *  1 with *buf LENT and *frame, *len, *m describing the frame in it;
 *  0 when the device has returned nothing more;
 *  -XEN_EINVAL / -XEN_EMSGSIZE: a frame the device filled wrongly (header
 *     short or refused, longer than the buffer): its buffer is FREE again;
 *  -XEN_EIO: the device broke the ring (see virtq_get).
 */
int vnet_rxq_take(struct vnet_rxq *q, bool guest_csum, unsigned int *buf,
                  const uint8_t **frame, uint32_t *len, struct plat_net_rx_meta *m);

/* A LENT buffer goes back to FREE (the next refill posts it). */
void vnet_rxq_recycle(struct vnet_rxq *q, unsigned int buf);

#endif
