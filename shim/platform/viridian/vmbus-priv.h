/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * State shared by the VMBus client's files: the connection (vmbus-connect.c),
 * host messages and events (vmbus-message.c), GPADLs (vmbus-gpadl.c),
 * channels (vmbus-channel.c) and the one place that allocates memory (vmbus-mem.c, replaced by the unit tests' fake machine).
 *
 * Context: everything here is touched from the boot CPU only, either in a
 * caller's thread of control (vmbus_init, vmbus_open, ...) or from the
 * SINT 2 handler with interrupts off; nothing is reentrant and no lock is
 * needed. A response the client waits for is delivered by the handler into
 * vmbus_conn.wait while the waiter polls.
 */
#ifndef VMBUS_PRIV_H
#define VMBUS_PRIV_H

#include <plat/vmbus.h>
#include "vmbus-ring.h"

#define VMBUS_MAX_CHANNELS      64
/* Bounded waits for the host's answers at boot. */
#define VMBUS_CONTACT_TIMEOUT_NS (2000ULL * 1000 * 1000)
#define VMBUS_TIMEOUT_NS         (5000ULL * 1000 * 1000)
/* First GPADL handle the client hands out (any nonzero unique value works). */
#define VMBUS_FIRST_GPADL        0xe1e10
/* At most this many ranges in one GPA-direct packet. */
#define VMBUS_MAX_GPA_RANGES     32

/* Spin-wait hint while polling the host (arch/x86.h keeps its copy from host builds). */
static inline void vmbus_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

struct vmbus_channel {
    /* From the offer; fixed once stored. */
    struct vmbus_guid type;
    struct vmbus_guid instance;
    uint8_t user_def[VMBUS_USER_DEFINED_BYTES];
    uint16_t mmio_megabytes;
    uint16_t sub_channel_index;
    uint32_t relid;                 /* child_relid, 1 .. VMBUS_MAX_RELID - 1 */
    uint32_t connection_id;         /* HvSignalEvent target */
    uint8_t monitor_id;             /* < VMBUS_MONITOR_IDS when monitored */
    bool monitored;                 /* signal through the monitor page */
    bool dedicated_interrupt;       /* no interrupt-page bit when signalling */

    bool rescinded;                 /* the host withdrew the offer */
    bool dead;                      /* rescinded or a broken ring: -XEN_EIO */
    bool dead_notified;             /* the callback ran once after death */
    bool open;

    /* Ring memory (send ring, then receive ring), kept for a re-open. */
    uint8_t *ring_va;
    paddr_t ring_pa;
    uint32_t ring_pages, send_pages;
    uint32_t ring_gpadl;            /* 0: none */
    struct vmbus_ring tx, rx;
    void (*on_event)(void *arg);
    void *arg;
};

/* A response the client waits for: type and up to two u32 keys at offset 8, 12. */
struct vmbus_wait {
    uint32_t msgtype;               /* 0: nobody waits */
    unsigned int nr_keys;
    uint32_t key[2];
    bool done;
    uint32_t len;
    uint8_t msg[VMBUS_MSG_MAX_BYTES];
};

struct vmbus_conn {
    bool init_done;
    int init_result;
    uint32_t version;               /* negotiated, 0 before */
    uint32_t msg_conn_id;           /* where HvPostMessage sends */
    uint8_t *int_page;              /* pre-Win8 interrupt page */
    paddr_t int_page_pa;
    uint8_t *monitor[2];            /* [0] host -> guest, [1] guest -> host */
    paddr_t monitor_pa[2];
    bool all_offers;
    uint32_t next_gpadl;
    unsigned int nr_channels;
    struct vmbus_channel channels[VMBUS_MAX_CHANNELS];
    struct vmbus_wait wait;
    unsigned int in_callback;       /* > 0 while a channel callback runs */
    /* Diagnostics: host messages the client refused or did not expect. */
    unsigned int bad_messages;
    unsigned int stray_messages;
};
extern struct vmbus_conn vmbus_conn;

/* vmbus-mem.c: zeroed, contiguous pages and their machine address; NULL if none. */
void *vmbus_mem_alloc(uint32_t nr_pages, paddr_t *pa);

/* vmbus-connect.c */
/* Post a channel message to the host (bounded retries while it is busy). 0, -XEN_EIO, -XEN_ETIMEDOUT. */
int vmbus_post(const void *msg, uint32_t len);
/* Arm the waiter for msgtype with nr_keys keys before posting the request. 0 or -XEN_EBUSY. */
int vmbus_wait_arm(uint32_t msgtype, unsigned int nr_keys, uint32_t key0, uint32_t key1);
/* Poll until the armed response arrives: 0 (copied to vmbus_conn.wait.msg) or -XEN_ETIMEDOUT. */
int vmbus_wait_done(uint64_t timeout_ns);

/* vmbus-message.c */
/* Handle one channel message from the host (validated here). */
void vmbus_handle_message(const void *payload, uint32_t len);
/* The SINT 2 handler: messages, then channel events. */
void vmbus_sint_handler(void *arg);

/* vmbus-gpadl.c */
/*
 * Build message k (0: GPADL_HEADER, then GPADL_BODY) describing nr_pfns
 * frames from first_pfn as GPADL gpadl of channel relid into out. Returns
 * the message length, or 0 when message k is past the last one.
 */
uint32_t vmbus_gpadl_msg(void *out, uint32_t relid, uint32_t gpadl, uint64_t first_pfn,
                         uint32_t nr_pfns, unsigned int k);
/* Messages a GPADL of nr_pfns frames takes. */
unsigned int vmbus_gpadl_nr_msgs(uint32_t nr_pfns);

/* vmbus-channel.c */
/* The channel the host names by relid; NULL if none. */
struct vmbus_channel *vmbus_channel_by_relid(uint32_t relid);
/* An event for relid: run its callback (interrupts masked while it drains). */
void vmbus_channel_event(uint32_t relid);
/* Tell the host about new data or room on ch (HvSignalEvent or monitor page). */
void vmbus_channel_signal(struct vmbus_channel *ch);
/* The host rescinded ch. */
void vmbus_channel_rescind(struct vmbus_channel *ch);
/* Run the last callback of dead open channels that have not had it. */
void vmbus_channel_notify_dead(void);

#endif
