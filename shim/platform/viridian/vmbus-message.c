// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's channel messages on SINT 2 and the channel events: offers,
 * rescinds, the end of the offers, responses someone waits for; then the
 * event flags (per relid from Win8 on, the interrupt page before).
 * Every message is copied out of the slot and length-checked before a
 * field is read; unknown, unexpected or malformed ones are counted and
 * dropped (vmbus_conn.bad_messages, stray_messages).
 */
#include "vmbus-priv.h"
#include <plat/hyperv.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>

static uint32_t get_u32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

/* An awaited response: same type, long enough, keys equal. */
static bool wait_matches(const uint8_t *msg, uint32_t len, uint32_t type)
{
    const struct vmbus_wait *w = &vmbus_conn.wait;

    if (!w->msgtype || w->done || w->msgtype != type)
        return false;
    if (len < sizeof(struct vmbus_msg_hdr) + 4 * w->nr_keys)
        return false;
    for (unsigned int i = 0; i < w->nr_keys; i++)
        if (get_u32(msg + 8 + 4 * i) != w->key[i])
            return false;
    return true;
}

static void handle_offer(const struct vmbus_msg_offer_channel *m)
{
    struct vmbus_channel *ch;
    bool monitored = m->monitor_flags & VMBUS_OFFER_MONITOR_ALLOCATED;

    /* The relid indexes the event flags and the interrupt page: it must fit. */
    if (!m->child_relid || m->child_relid >= VMBUS_MAX_RELID ||
        (monitored && m->monitor_id >= VMBUS_MONITOR_IDS)) {
        vmbus_conn.bad_messages++;
        return;
    }
    if (vmbus_channel_by_relid(m->child_relid)) {
        vmbus_conn.bad_messages++;      /* a second offer of a live relid */
        return;
    }
    /*
     * A new slot even for a relid the host rescinded and offers again: a
     * provider may still hold the old channel, which stays dead.
     */
    if (vmbus_conn.nr_channels == VMBUS_MAX_CHANNELS) {
        log_warn("vmbus: more than %u offers; relid %u ignored\n",
                 VMBUS_MAX_CHANNELS, m->child_relid);
        return;
    }
    ch = &vmbus_conn.channels[vmbus_conn.nr_channels++];
    memset(ch, 0, sizeof(*ch));
    memcpy(ch->type.b, m->offer.if_type, sizeof(ch->type.b));
    memcpy(ch->instance.b, m->offer.if_instance, sizeof(ch->instance.b));
    memcpy(ch->user_def, m->offer.user_def, sizeof(ch->user_def));
    ch->mmio_megabytes = m->offer.mmio_megabytes;
    ch->sub_channel_index = m->offer.sub_channel_index;
    ch->relid = m->child_relid;
    ch->monitored = monitored;
    ch->monitor_id = m->monitor_id;
    /* Win7 and later offers carry the signalling fields (the oldest version spoken). */
    ch->dedicated_interrupt = m->interrupt_flags & VMBUS_OFFER_DEDICATED_INTERRUPT;
    ch->connection_id = m->connection_id;
}

static void handle_rescind(const struct vmbus_msg_rescind_offer *m)
{
    struct vmbus_channel *ch = vmbus_channel_by_relid(m->child_relid);

    if (!ch) {
        vmbus_conn.stray_messages++;
        return;
    }
    vmbus_channel_rescind(ch);
}

void vmbus_handle_message(const void *payload, uint32_t len)
{
    /* A private copy: the host may rewrite the slot while it is parsed. */
    union {
        uint8_t b[VMBUS_MSG_MAX_BYTES];
        struct vmbus_msg_hdr hdr;
        struct vmbus_msg_offer_channel offer;
        struct vmbus_msg_rescind_offer rescind;
    } m;
    uint32_t type;

    if (len < sizeof(m.hdr) || len > sizeof(m.b)) {
        vmbus_conn.bad_messages++;
        return;
    }
    memset(&m, 0, sizeof(m));
    memcpy(m.b, payload, len);
    type = m.hdr.msgtype;

    switch (type) {
    case CHANNELMSG_OFFERCHANNEL:
        if (len < sizeof(m.offer))
            goto bad;
        handle_offer(&m.offer);
        return;
    case CHANNELMSG_RESCIND_CHANNELOFFER:
        if (len < sizeof(m.rescind))
            goto bad;
        handle_rescind(&m.rescind);
        return;
    case CHANNELMSG_ALLOFFERS_DELIVERED:
        vmbus_conn.all_offers = true;
        return;
    case CHANNELMSG_VERSION_RESPONSE:
    case CHANNELMSG_OPENCHANNEL_RESULT:
    case CHANNELMSG_GPADL_CREATED:
    case CHANNELMSG_GPADL_TORNDOWN:
        if (!wait_matches(m.b, len, type)) {
            vmbus_conn.stray_messages++;
            return;
        }
        memcpy(vmbus_conn.wait.msg, m.b, sizeof(m.b));  /* zero-filled past len */
        vmbus_conn.wait.len = len;
        vmbus_conn.wait.done = true;
        return;
    default:
        vmbus_conn.stray_messages++;
        return;
    }
bad:
    vmbus_conn.bad_messages++;
}

/* Test-and-clear the relid bits of a flag array; run each channel's event. */
static void scan_flags(volatile uint64_t *flags, unsigned int nr_bits)
{
    for (unsigned int w = 0; w < nr_bits / 64; w++) {
        uint64_t bits;

        if (!READ_ONCE(flags[w]))
            continue;
        /* The host sets bits concurrently: take them atomically. */
        bits = __atomic_exchange_n(&flags[w], 0, __ATOMIC_ACQ_REL);
        while (bits) {
            unsigned int b = (unsigned int)__builtin_ctzll(bits);
            uint32_t relid = w * 64 + b;

            bits &= bits - 1;
            if (relid)              /* relid 0 is the message connection */
                vmbus_channel_event(relid);
        }
    }
}

void vmbus_sint_handler(void *arg)
{
    volatile uint64_t *flags;

    for (;;) {
        struct hv_message_view m = hv_synic_message(VMBUS_MESSAGE_SINT);

        if (!m.type)
            break;
        if (m.type >= HV_MESSAGE_TYPE_HYPERVISOR_BASE || !m.payload ||
            m.len > HV_MESSAGE_PAYLOAD_BYTES)
            vmbus_conn.stray_messages++;
        else
            vmbus_handle_message(m.payload, m.len);
        hv_synic_message_done(VMBUS_MESSAGE_SINT);
    }

    flags = hv_synic_event_flags(VMBUS_MESSAGE_SINT);
    if (vmbus_conn.version >= VMBUS_VERSION_WIN8) {
        /* Win8 and later: the SINT's event flags are indexed by relid. */
        if (flags)
            scan_flags(flags, VMBUS_MAX_RELID);
    } else if (vmbus_conn.version && flags) {
        /* Win7: flag 0 says "look at the interrupt page's receive half". */
        if (__atomic_fetch_and(&flags[0], ~1ULL, __ATOMIC_ACQ_REL) & 1)
            scan_flags((volatile uint64_t *)vmbus_conn.int_page, VMBUS_MAX_RELID);
    }
    vmbus_channel_notify_dead();
}
