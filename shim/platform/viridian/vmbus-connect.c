// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMBus connection: version negotiation, the channel offers and the
 * dispatch of the host's channel messages arriving on SINT 2.
 *
 * Boot log lines (one each, for tests/e2e's Viridian run to match):
 *   "(xenshim) vmbus: version <major>.<minor>"   e.g. "vmbus: version 5.3"
 *   "(xenshim) vmbus: <n> offers"                 e.g. "vmbus: 2 offers"
 * and on failure "(xenshim) vmbus: no connection (<reason>)".
 *
 * Design: the host answers requests with messages on SINT 2. At boot the
 * client polls the SynIC (hv_synic_poll) with a bounded timeout; the SINT
 * handler copies an awaited response into vmbus_conn.wait and handles
 * offers and rescinds on the spot. Every message is length-checked before
 * a field is read; unknown or malformed ones are counted and dropped.
 */
#include "vmbus-priv.h"
#include <plat/hyperv.h>
#include <plat/platform.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>

struct vmbus_conn vmbus_conn;

/* Newest first, as Linux's drivers/hv/connection.c tries them, down to Win7. */
static const uint32_t vmbus_versions[] = {
    VMBUS_VERSION_WIN10_V5_3, VMBUS_VERSION_WIN10_V5_2, VMBUS_VERSION_WIN10_V5_1,
    VMBUS_VERSION_WIN10_V5, VMBUS_VERSION_WIN10_V4_1, VMBUS_VERSION_WIN10,
    VMBUS_VERSION_WIN8_1, VMBUS_VERSION_WIN8, VMBUS_VERSION_WIN7,
};

uint32_t vmbus_version(void)
{
    return vmbus_conn.version;
}

int vmbus_post(const void *msg, uint32_t len)
{
    uint64_t deadline = plat_now_ns() + VMBUS_TIMEOUT_NS;
    int rc;

    /* The host's message buffers may be full for a moment (-XEN_EAGAIN). */
    while ((rc = hv_post_message(vmbus_conn.msg_conn_id, VMBUS_HV_MESSAGE_TYPE,
                                 msg, len)) == -XEN_EAGAIN) {
        if (plat_now_ns() > deadline)
            return -XEN_ETIMEDOUT;
        vmbus_relax();
    }
    return rc ? -XEN_EIO : 0;
}

void vmbus_wait_arm(uint32_t msgtype, unsigned int nr_keys, uint32_t key0, uint32_t key1)
{
    struct vmbus_wait *w = &vmbus_conn.wait;

    w->msgtype = msgtype;
    w->nr_keys = nr_keys;
    w->key[0] = key0;
    w->key[1] = key1;
    w->done = false;
    w->len = 0;
}

int vmbus_wait_done(uint64_t timeout_ns)
{
    uint64_t deadline = plat_now_ns() + timeout_ns;

    while (!vmbus_conn.wait.done) {
        hv_synic_poll();
        if (vmbus_conn.wait.done)
            break;
        if (plat_now_ns() > deadline) {
            vmbus_conn.wait.msgtype = 0;
            return -XEN_ETIMEDOUT;
        }
        vmbus_relax();
    }
    vmbus_conn.wait.msgtype = 0;
    return 0;
}

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

/* Offer one version. 0: accepted; -XEN_EACCES: refused; other errors as is. */
static int negotiate(uint32_t version)
{
    struct vmbus_msg_initiate_contact msg;
    struct vmbus_msg_version_response resp;
    int rc;

    memset(&msg, 0, sizeof(msg));
    msg.hdr.msgtype = CHANNELMSG_INITIATE_CONTACT;
    msg.version_requested = version;
    msg.target_vcpu = 0;            /* the boot CPU's VP index */
    if (version >= VMBUS_VERSION_WIN10_V5) {
        msg.msg_sint = VMBUS_MESSAGE_SINT;
        vmbus_conn.msg_conn_id = VMBUS_MESSAGE_CONNECTION_ID_4;
    } else {
        msg.interrupt_page = vmbus_conn.int_page_pa;
        vmbus_conn.msg_conn_id = VMBUS_MESSAGE_CONNECTION_ID;
    }
    msg.monitor_page1 = vmbus_conn.monitor_pa[0];
    msg.monitor_page2 = vmbus_conn.monitor_pa[1];

    vmbus_wait_arm(CHANNELMSG_VERSION_RESPONSE, 0, 0, 0);
    rc = vmbus_post(&msg, sizeof(msg));
    if (rc == -XEN_EIO)
        return -XEN_EACCES;     /* e.g. a pre-5.0 host has no connection 4 */
    if (rc)
        return rc;
    rc = vmbus_wait_done(VMBUS_CONTACT_TIMEOUT_NS);
    if (rc)
        return rc;
    if (vmbus_conn.wait.len < VMBUS_VERSION_RESPONSE_MIN_BYTES)
        return -XEN_EIO;
    memcpy(&resp, vmbus_conn.wait.msg, sizeof(resp));
    if (!resp.version_supported)
        return -XEN_EACCES;
    if (version >= VMBUS_VERSION_WIN10_V5) {
        /* 5.0+: later messages go where the host says. */
        if (vmbus_conn.wait.len < sizeof(resp))
            return -XEN_EIO;
        vmbus_conn.msg_conn_id = resp.msg_conn_id;
    }
    return 0;
}

static int connect_newest_first(void)
{
    int rc = -XEN_EACCES;

    for (unsigned int i = 0; i < ARRAY_SIZE(vmbus_versions); i++) {
        rc = negotiate(vmbus_versions[i]);
        if (!rc) {
            vmbus_conn.version = vmbus_versions[i];
            return 0;
        }
        /* A silent host will not answer an older version either. */
        if (rc == -XEN_ETIMEDOUT)
            return rc;
    }
    return rc;
}

static int request_offers(void)
{
    struct vmbus_msg_hdr msg = { .msgtype = CHANNELMSG_REQUESTOFFERS };
    uint64_t deadline;
    int rc;

    rc = vmbus_post(&msg, sizeof(msg));
    if (rc)
        return rc;
    deadline = plat_now_ns() + VMBUS_TIMEOUT_NS;
    while (!vmbus_conn.all_offers) {
        hv_synic_poll();
        if (!vmbus_conn.all_offers && plat_now_ns() > deadline)
            return -XEN_ETIMEDOUT;
        vmbus_relax();
    }
    return 0;
}

static unsigned int live_offers(void)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < vmbus_conn.nr_channels; i++)
        n += !vmbus_conn.channels[i].rescinded;
    return n;
}

static int init_once(void)
{
    int rc;

    if (!hv_present() || !hv_has_synic())
        return -XEN_ENODEV;
    vmbus_conn.next_gpadl = VMBUS_FIRST_GPADL;
    vmbus_conn.int_page = vmbus_mem_alloc(1, &vmbus_conn.int_page_pa);
    vmbus_conn.monitor[0] = vmbus_mem_alloc(1, &vmbus_conn.monitor_pa[0]);
    vmbus_conn.monitor[1] = vmbus_mem_alloc(1, &vmbus_conn.monitor_pa[1]);
    if (!vmbus_conn.int_page || !vmbus_conn.monitor[0] || !vmbus_conn.monitor[1])
        return -XEN_ENOMEM;
    hv_synic_set_handler(VMBUS_MESSAGE_SINT, vmbus_sint_handler, NULL);

    rc = connect_newest_first();
    if (rc == -XEN_EACCES) {
        log_info("vmbus: no connection (the host refused every version)\n");
        return -XEN_ENODEV;
    }
    if (rc) {
        log_info("vmbus: no connection (%s)\n",
                 rc == -XEN_ETIMEDOUT ? "no answer" : "protocol error");
        return rc == -XEN_ETIMEDOUT ? rc : -XEN_ENODEV;
    }
    log_info("vmbus: version %u.%u\n", vmbus_conn.version >> 16,
             vmbus_conn.version & 0xffff);

    rc = request_offers();
    if (rc) {
        log_info("vmbus: no connection (offers: %s)\n",
                 rc == -XEN_ETIMEDOUT ? "no answer" : "post failed");
        return rc == -XEN_ETIMEDOUT ? rc : -XEN_ENODEV;
    }
    log_info("vmbus: %u offers\n", live_offers());
    return 0;
}

int vmbus_init(void)
{
    if (!vmbus_conn.init_done) {
        vmbus_conn.init_done = true;
        vmbus_conn.init_result = init_once();
        if (vmbus_conn.init_result)
            vmbus_conn.version = 0;
    }
    return vmbus_conn.init_result;
}

struct vmbus_channel *vmbus_find(const struct vmbus_guid *type, unsigned int nth)
{
    if (vmbus_conn.init_result || !vmbus_conn.version)
        return NULL;
    for (unsigned int i = 0; i < vmbus_conn.nr_channels; i++) {
        struct vmbus_channel *ch = &vmbus_conn.channels[i];

        if (ch->rescinded || ch->sub_channel_index ||
            memcmp(ch->type.b, type->b, sizeof(type->b)))
            continue;
        if (!nth--)
            return ch;
    }
    return NULL;
}

const struct vmbus_guid *vmbus_instance(const struct vmbus_channel *ch)
{
    return &ch->instance;
}

const uint8_t *vmbus_user_defined(const struct vmbus_channel *ch)
{
    return ch->user_def;
}

uint16_t vmbus_mmio_megabytes(const struct vmbus_channel *ch)
{
    return ch->mmio_megabytes;
}
