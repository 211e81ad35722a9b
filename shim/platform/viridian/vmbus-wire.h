/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMBus wire formats: the channel-management messages carried in SynIC
 * message payloads (at most 240 bytes), the ring-buffer header page and the
 * packet descriptors of the channel rings. Layouts follow the VMBus
 * protocol as Linux's include/linux/hyperv.h describes it; every size and
 * offset the client depends on is pinned below, so a wrong field breaks the
 * build instead of a host conversation. Little-endian, packed.
 */
#ifndef VMBUS_WIRE_H
#define VMBUS_WIRE_H

#include <shim/types.h>

/* Protocol versions, major << 16 | minor (newest first in vmbus-connect.c). */
#define VMBUS_VERSION(maj, min)   ((uint32_t)(maj) << 16 | (uint32_t)(min))
#define VMBUS_VERSION_WIN7        VMBUS_VERSION(1, 1)   /* Windows 7, WS2008 R2 */
#define VMBUS_VERSION_WIN8        VMBUS_VERSION(2, 4)   /* Windows 8, WS2012 */
#define VMBUS_VERSION_WIN8_1      VMBUS_VERSION(3, 0)   /* Windows 8.1, WS2012 R2 */
#define VMBUS_VERSION_WIN10       VMBUS_VERSION(4, 0)
#define VMBUS_VERSION_WIN10_V4_1  VMBUS_VERSION(4, 1)   /* Windows 10 RS3 */
#define VMBUS_VERSION_WIN10_V5    VMBUS_VERSION(5, 0)
#define VMBUS_VERSION_WIN10_V5_1  VMBUS_VERSION(5, 1)   /* Windows 10 RS4 */
#define VMBUS_VERSION_WIN10_V5_2  VMBUS_VERSION(5, 2)   /* WS2019 */
#define VMBUS_VERSION_WIN10_V5_3  VMBUS_VERSION(5, 3)   /* WS2022 */

/*
 * Connection ids and the SINT. INITIATE_CONTACT goes to connection 4 from
 * protocol 5.0 on and later messages to the id the host returns in
 * VERSION_RESPONSE; older hosts use connection 1 throughout. Channels
 * signalled without an offered connection id use the event connection 2.
 */
#define VMBUS_MESSAGE_CONNECTION_ID     1
#define VMBUS_MESSAGE_CONNECTION_ID_4   4
#define VMBUS_EVENT_CONNECTION_ID       2
#define VMBUS_MESSAGE_SINT              2
/* HvPostMessage message type of every VMBus channel message. */
#define VMBUS_HV_MESSAGE_TYPE           1
/* SynIC message types >= this are the hypervisor's own (timers, ...). */
#define HV_MESSAGE_TYPE_HYPERVISOR_BASE 0x80000000u

/* Channel-management message types (the header's msgtype). */
enum vmbus_msgtype {
    CHANNELMSG_OFFERCHANNEL         = 1,
    CHANNELMSG_RESCIND_CHANNELOFFER = 2,
    CHANNELMSG_REQUESTOFFERS        = 3,
    CHANNELMSG_ALLOFFERS_DELIVERED  = 4,
    CHANNELMSG_OPENCHANNEL          = 5,
    CHANNELMSG_OPENCHANNEL_RESULT   = 6,
    CHANNELMSG_CLOSECHANNEL         = 7,
    CHANNELMSG_GPADL_HEADER         = 8,
    CHANNELMSG_GPADL_BODY           = 9,
    CHANNELMSG_GPADL_CREATED        = 10,
    CHANNELMSG_GPADL_TEARDOWN       = 11,
    CHANNELMSG_GPADL_TORNDOWN       = 12,
    CHANNELMSG_RELID_RELEASED       = 13,
    CHANNELMSG_INITIATE_CONTACT     = 14,
    CHANNELMSG_VERSION_RESPONSE     = 15,
    CHANNELMSG_UNLOAD               = 16,
    CHANNELMSG_UNLOAD_RESPONSE      = 17,
};

#define VMBUS_MSG_MAX_BYTES 240     /* a SynIC message payload */

struct vmbus_msg_hdr {
    uint32_t msgtype;
    uint32_t padding;
} __packed;

struct vmbus_msg_initiate_contact {
    struct vmbus_msg_hdr hdr;
    uint32_t version_requested;
    uint32_t target_vcpu;           /* VP the host sends its messages to */
    union {
        uint64_t interrupt_page;    /* before 5.0: the shared interrupt page */
        struct {
            uint8_t msg_sint;       /* 5.0 and later: the SINT for messages */
            uint8_t msg_vtl;
            uint8_t reserved[6];
        } __packed;
    } __packed;
    uint64_t monitor_page1;         /* host -> guest monitor page */
    uint64_t monitor_page2;         /* guest -> host monitor page */
} __packed;

struct vmbus_msg_version_response {
    struct vmbus_msg_hdr hdr;
    uint8_t version_supported;
    uint8_t connection_state;
    uint16_t padding;
    uint32_t msg_conn_id;           /* 5.0 and later: connection id for messages */
} __packed;
/* Hosts before 5.0 may end the message after version_supported. */
#define VMBUS_VERSION_RESPONSE_MIN_BYTES 9

#define VMBUS_OFFER_FLAG_NAMED_PIPE 0x10

struct vmbus_offer {
    uint8_t if_type[16];
    uint8_t if_instance[16];
    uint64_t reserved1;
    uint64_t reserved2;
    uint16_t chn_flags;
    uint16_t mmio_megabytes;
    uint8_t user_def[120];
    uint16_t sub_channel_index;     /* 0: a primary channel */
    uint16_t reserved3;
} __packed;

struct vmbus_msg_offer_channel {
    struct vmbus_msg_hdr hdr;
    struct vmbus_offer offer;
    uint32_t child_relid;
    uint8_t monitor_id;
    uint8_t monitor_flags;          /* bit 0: monitor_allocated */
    uint16_t interrupt_flags;       /* bit 0: is_dedicated_interrupt */
    uint32_t connection_id;         /* for HvSignalEvent */
} __packed;
#define VMBUS_OFFER_MONITOR_ALLOCATED   0x1
#define VMBUS_OFFER_DEDICATED_INTERRUPT 0x1

struct vmbus_msg_rescind_offer {
    struct vmbus_msg_hdr hdr;
    uint32_t child_relid;
} __packed;

struct vmbus_msg_open_channel {
    struct vmbus_msg_hdr hdr;
    uint32_t child_relid;
    uint32_t openid;
    uint32_t ring_gpadl;
    uint32_t target_vp;
    uint32_t downstream_ring_page_offset;   /* host -> guest ring, in pages */
    uint8_t user_data[120];
} __packed;

struct vmbus_msg_open_result {
    struct vmbus_msg_hdr hdr;
    uint32_t child_relid;
    uint32_t openid;
    uint32_t status;                /* 0: opened */
} __packed;

struct vmbus_msg_close_channel {
    struct vmbus_msg_hdr hdr;
    uint32_t child_relid;
} __packed;

struct vmbus_msg_relid_released {
    struct vmbus_msg_hdr hdr;
    uint32_t child_relid;
} __packed;

/* One GPA range: byte_count bytes from byte_offset into the first frame. */
struct vmbus_gpa_range_hdr {
    uint32_t byte_count;
    uint32_t byte_offset;
    /* uint64_t pfn[] follows */
} __packed;

struct vmbus_msg_gpadl_header {
    struct vmbus_msg_hdr hdr;
    uint32_t child_relid;
    uint32_t gpadl;
    uint16_t range_buflen;          /* bytes of every range with all its pfns */
    uint16_t range_count;
    struct vmbus_gpa_range_hdr range;
    uint64_t pfn[];                 /* the first VMBUS_GPADL_HEADER_PFNS */
} __packed;

struct vmbus_msg_gpadl_body {
    struct vmbus_msg_hdr hdr;
    uint32_t msgnumber;
    uint32_t gpadl;
    uint64_t pfn[];                 /* up to VMBUS_GPADL_BODY_PFNS more */
} __packed;

/* PFNs that fit in one message of each kind (26 and 28). */
#define VMBUS_GPADL_HEADER_PFNS \
    ((VMBUS_MSG_MAX_BYTES - sizeof(struct vmbus_msg_gpadl_header)) / sizeof(uint64_t))
#define VMBUS_GPADL_BODY_PFNS \
    ((VMBUS_MSG_MAX_BYTES - sizeof(struct vmbus_msg_gpadl_body)) / sizeof(uint64_t))
/* range_buflen is 16 bits: the most frames one single-range GPADL can hold. */
#define VMBUS_GPADL_MAX_PFNS \
    ((UINT16_MAX - sizeof(struct vmbus_gpa_range_hdr)) / sizeof(uint64_t))

struct vmbus_msg_gpadl_created {
    struct vmbus_msg_hdr hdr;
    uint32_t child_relid;
    uint32_t gpadl;
    uint32_t creation_status;       /* 0: created */
} __packed;

struct vmbus_msg_gpadl_teardown {
    struct vmbus_msg_hdr hdr;
    uint32_t child_relid;
    uint32_t gpadl;
} __packed;

struct vmbus_msg_gpadl_torndown {
    struct vmbus_msg_hdr hdr;
    uint32_t gpadl;
} __packed;

/*
 * Monitor page: the guest -> host page has four trigger groups of 32
 * channels; setting bit (monitor_id % 32) of group (monitor_id / 32)'s
 * pending word signals a monitored channel without a hypercall.
 */
#define VMBUS_MONITOR_GROUPS            4
#define VMBUS_MONITOR_IDS               (VMBUS_MONITOR_GROUPS * 32)
#define VMBUS_MONITOR_PENDING_OFFSET(g) (8 + 8 * (g))

/*
 * Before protocol 2.4 (Win8) the host flags channels through the shared
 * interrupt page instead of per-relid SynIC event flags: the first half is
 * host -> guest, the second half guest -> host, one bit per child_relid.
 */
#define VMBUS_INT_PAGE_SEND_OFFSET      (PAGE_SIZE / 2)
/* Relids the client can signal and be signalled with (SynIC event flags). */
#define VMBUS_MAX_RELID                 2048

/* ---- Channel ring buffers --------------------------------------------- */

/*
 * Each ring is one header page followed by the data area. The producer owns
 * write_index, the consumer read_index; both are byte offsets into the data
 * area, multiples of 8. feature_bits bit 0: this side honours
 * pending_send_sz (it sets it when it waits for room, and signals the other
 * side when a read frees that much).
 */
struct vmbus_ring_hdr {
    uint32_t write_index;
    uint32_t read_index;
    uint32_t interrupt_mask;        /* set by the consumer: do not signal me */
    uint32_t pending_send_sz;       /* set by a blocked producer */
    uint32_t reserved1[12];
    uint32_t feature_bits;
} __packed;
#define VMBUS_RING_FEAT_PENDING_SEND_SZ 0x1
#define VMBUS_RING_DATA_OFFSET          PAGE_SIZE

struct vmbus_pkt_desc {
    uint16_t type;
    uint16_t offset8;               /* payload start, in 8-byte units */
    uint16_t len8;                  /* packet length without trailer, 8-byte units */
    uint16_t flags;
    uint64_t trans_id;
} __packed;
#define VMBUS_PKT_FLAG_COMPLETION_REQUESTED 0x1
/* Every packet is followed by a 64-bit word: its start offset << 32. */
#define VMBUS_PKT_TRAILER_BYTES         8
/* Packets are at most 0xffff * 8 bytes (len8 is 16 bits). */
#define VMBUS_PKT_MAX_BYTES             (0xffffu * 8)

/* GPA-direct packet header before its ranges (then the data, at offset8). */
struct vmbus_pkt_gpa_direct {
    struct vmbus_pkt_desc d;
    uint32_t reserved;
    uint32_t range_count;
    /* struct vmbus_gpa_range_hdr + pfns, per range */
} __packed;

/* ---- Layout pins -------------------------------------------------------- */
#define VMBUS_PIN(t, f, off) _Static_assert(offsetof(struct t, f) == (off), #t "." #f)
#define VMBUS_SIZE(t, n)     _Static_assert(sizeof(struct t) == (n), "sizeof " #t)

VMBUS_SIZE(vmbus_msg_hdr, 8);
VMBUS_SIZE(vmbus_msg_initiate_contact, 40);
VMBUS_PIN(vmbus_msg_initiate_contact, version_requested, 8);
VMBUS_PIN(vmbus_msg_initiate_contact, target_vcpu, 12);
VMBUS_PIN(vmbus_msg_initiate_contact, interrupt_page, 16);
VMBUS_PIN(vmbus_msg_initiate_contact, msg_sint, 16);
VMBUS_PIN(vmbus_msg_initiate_contact, monitor_page1, 24);
VMBUS_PIN(vmbus_msg_initiate_contact, monitor_page2, 32);
VMBUS_SIZE(vmbus_msg_version_response, 16);
VMBUS_PIN(vmbus_msg_version_response, version_supported, 8);
VMBUS_PIN(vmbus_msg_version_response, msg_conn_id, 12);
VMBUS_SIZE(vmbus_offer, 176);
VMBUS_PIN(vmbus_offer, if_instance, 16);
VMBUS_PIN(vmbus_offer, chn_flags, 48);
VMBUS_PIN(vmbus_offer, mmio_megabytes, 50);
VMBUS_PIN(vmbus_offer, user_def, 52);
VMBUS_PIN(vmbus_offer, sub_channel_index, 172);
VMBUS_SIZE(vmbus_msg_offer_channel, 196);
VMBUS_PIN(vmbus_msg_offer_channel, offer, 8);
VMBUS_PIN(vmbus_msg_offer_channel, child_relid, 184);
VMBUS_PIN(vmbus_msg_offer_channel, monitor_id, 188);
VMBUS_PIN(vmbus_msg_offer_channel, monitor_flags, 189);
VMBUS_PIN(vmbus_msg_offer_channel, interrupt_flags, 190);
VMBUS_PIN(vmbus_msg_offer_channel, connection_id, 192);
VMBUS_SIZE(vmbus_msg_rescind_offer, 12);
VMBUS_SIZE(vmbus_msg_open_channel, 148);
VMBUS_PIN(vmbus_msg_open_channel, child_relid, 8);
VMBUS_PIN(vmbus_msg_open_channel, openid, 12);
VMBUS_PIN(vmbus_msg_open_channel, ring_gpadl, 16);
VMBUS_PIN(vmbus_msg_open_channel, target_vp, 20);
VMBUS_PIN(vmbus_msg_open_channel, downstream_ring_page_offset, 24);
VMBUS_PIN(vmbus_msg_open_channel, user_data, 28);
VMBUS_SIZE(vmbus_msg_open_result, 20);
VMBUS_PIN(vmbus_msg_open_result, status, 16);
VMBUS_SIZE(vmbus_msg_close_channel, 12);
VMBUS_SIZE(vmbus_msg_relid_released, 12);
VMBUS_SIZE(vmbus_gpa_range_hdr, 8);
VMBUS_SIZE(vmbus_msg_gpadl_header, 28);
VMBUS_PIN(vmbus_msg_gpadl_header, child_relid, 8);
VMBUS_PIN(vmbus_msg_gpadl_header, gpadl, 12);
VMBUS_PIN(vmbus_msg_gpadl_header, range_buflen, 16);
VMBUS_PIN(vmbus_msg_gpadl_header, range_count, 18);
VMBUS_PIN(vmbus_msg_gpadl_header, range, 20);
VMBUS_PIN(vmbus_msg_gpadl_header, pfn, 28);
VMBUS_SIZE(vmbus_msg_gpadl_body, 16);
VMBUS_PIN(vmbus_msg_gpadl_body, msgnumber, 8);
VMBUS_PIN(vmbus_msg_gpadl_body, gpadl, 12);
VMBUS_PIN(vmbus_msg_gpadl_body, pfn, 16);
_Static_assert(VMBUS_GPADL_HEADER_PFNS == 26, "pfns per GPADL header");
_Static_assert(VMBUS_GPADL_BODY_PFNS == 28, "pfns per GPADL body");
VMBUS_SIZE(vmbus_msg_gpadl_created, 20);
VMBUS_PIN(vmbus_msg_gpadl_created, creation_status, 16);
VMBUS_SIZE(vmbus_msg_gpadl_teardown, 16);
VMBUS_SIZE(vmbus_msg_gpadl_torndown, 12);
VMBUS_SIZE(vmbus_ring_hdr, 68);
VMBUS_PIN(vmbus_ring_hdr, read_index, 4);
VMBUS_PIN(vmbus_ring_hdr, interrupt_mask, 8);
VMBUS_PIN(vmbus_ring_hdr, pending_send_sz, 12);
VMBUS_PIN(vmbus_ring_hdr, feature_bits, 64);
VMBUS_SIZE(vmbus_pkt_desc, 16);
VMBUS_PIN(vmbus_pkt_desc, offset8, 2);
VMBUS_PIN(vmbus_pkt_desc, len8, 4);
VMBUS_PIN(vmbus_pkt_desc, flags, 6);
VMBUS_PIN(vmbus_pkt_desc, trans_id, 8);
VMBUS_SIZE(vmbus_pkt_gpa_direct, 24);
VMBUS_PIN(vmbus_pkt_gpa_direct, range_count, 20);

#endif
