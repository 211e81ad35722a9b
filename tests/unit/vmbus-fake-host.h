/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake Hyper-V host for the VMBus client's unit tests (vmbus-fake-host.c):
 * it implements the plat/hyperv.h calls the client makes (HvPostMessage,
 * HvSignalEvent, the SynIC message slot and event flags of SINT 2), a fake
 * machine memory the client's rings and pages come from, a clock, and the
 * host side of the protocol: version negotiation, two offers, GPADLs,
 * open/close, and an echo service on open channels. Its ring code is written
 * separately from the client's, from the protocol, so each checks the other.
 */
#ifndef VMBUS_FAKE_HOST_H
#define VMBUS_FAKE_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include "../../shim/platform/viridian/vmbus-priv.h"

#define FH_MAX_POSTS    512
#define FH_MAX_GPADLS   16
#define FH_RELID_A      5       /* dedicated interrupt, connection id FH_CONN_A */
#define FH_RELID_B      7       /* monitored (monitor id FH_MONITOR_B) */
#define FH_CONN_A       0x2005
#define FH_MONITOR_B    33
#define FH_MSG_CONN_ID  0x4242  /* what a 5.x host tells the client to use */

extern const struct vmbus_guid fh_type_a, fh_type_b;

struct fh_post {
    uint32_t conn_id, type, len;
    uint8_t b[240];
};

struct fh_gpadl {
    bool used, created;
    uint32_t relid, handle, nr_pfns, got;
    uint16_t range_buflen;
    uint32_t byte_count, byte_offset;
    uint64_t pfns[8192];
};

/* The host's end of one open channel. */
struct fh_chan {
    bool open;
    uint32_t relid, gpadl;
    struct vmbus_ring_hdr *g2h_hdr, *h2g_hdr;   /* guest -> host, host -> guest */
    uint8_t *g2h, *h2g;
    uint32_t g2h_size, h2g_size;
    unsigned int echoed, completions;
};

struct fake_host {
    /* Behaviour, set by the test before vmbus_init. */
    bool absent;                /* hv_present() false */
    bool no_synic;              /* Hyper-V without a SynIC */
    bool silent;                /* never answers */
    uint32_t max_version;       /* newest version accepted */
    bool no_conn4;              /* posts to connection 4 fail (pre-5.0 host) */
    bool short_version_response;/* 5.x response without msg_conn_id */
    unsigned int nr_offers;     /* 0..2 of the channels above */
    bool sub_channel_offer;     /* also offer a sub-channel of type A */
    uint32_t gpadl_status;      /* GPADL_CREATED status */
    uint32_t open_status;       /* OPENCHANNEL_RESULT status */
    bool no_echo;               /* leave guest packets in the ring */
    unsigned int busy_posts;    /* this many posts fail with -XEN_EAGAIN first */

    /* What the host saw. */
    uint32_t version;           /* negotiated, 0 before */
    uint64_t int_page_pa;       /* pre-5.0: the client's interrupt page */
    unsigned int bad_trailers;  /* guest packets whose trailer was wrong */
    struct fh_post posts[FH_MAX_POSTS];
    unsigned int nr_posts;
    unsigned int signals;
    uint32_t last_signal_conn;
    uint32_t released_relid;
    struct fh_gpadl gpadls[FH_MAX_GPADLS];
    struct fh_chan chans[8];

    /* The SynIC of SINT 2: a queue of messages, and the event flags. */
    uint8_t queue[64][240];
    uint32_t queue_len[64];
    unsigned int q_head, q_tail;
    uint64_t event_flags[2048 / 64];
    void (*handler)(void *);
    void *handler_arg;

    uint64_t now_ns;
    char log[8192];
};
extern struct fake_host fh;

/* Reset the client's and the host's state (defaults: 5.3 host, two offers). */
void fh_reset(void);
/* Host -> guest message on SINT 2. */
void fh_queue(const void *msg, uint32_t len);
/* Client memory as the host maps it; aborts on an address outside the fake machine. */
void *fh_pa_to_va(uint64_t pa);
/* The host's end of relid (NULL when not open). */
struct fh_chan *fh_chan(uint32_t relid);
/* Host writes one packet to the host -> guest ring of c (0, or -1 when full). */
int fh_ring_put(struct fh_chan *c, uint16_t type, uint64_t trans_id, const void *hdr,
                uint32_t hdr_len, const void *data, uint32_t len);
/* Host takes one packet from the guest -> host ring (raw, descriptor included). */
int fh_ring_get(struct fh_chan *c, void *buf, uint32_t cap, uint32_t *len);
/* Flag relid's event the way the negotiated version does. */
void fh_raise_event(uint32_t relid);
/* Run the echo service once. */
void fh_service(void);
/* Number of posts of a channel message type; and the last one of that type. */
unsigned int fh_count(uint32_t msgtype);
const struct fh_post *fh_last(uint32_t msgtype);
/* vmbus_init with the defaults and two offers, asserting success. */
void fh_connect(void);
/* The fake machine's free pages; 0 makes vmbus_mem_alloc fail. */
void fh_set_mem_limit(uint32_t pages);

#endif
