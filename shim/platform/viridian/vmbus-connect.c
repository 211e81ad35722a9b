// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMBus connection: version negotiation, the offers, and the requests the
 * client waits for (the host's messages are dispatched by vmbus-message.c).
 *
 * Boot log lines (one each, for tests/e2e's Viridian run to match):
 *   "(xenshim) vmbus: version <major>.<minor>"   e.g. "vmbus: version 5.3"
 *   "(xenshim) vmbus: <n> offers"                 e.g. "vmbus: 2 offers"
 * and on failure "(xenshim) vmbus: no connection (<reason>)".
 *
 * Design: the host answers requests with messages on SINT 2. At boot the
 * client polls the SynIC (hv_synic_poll) with a bounded timeout while the
 * SINT handler copies the awaited response into vmbus_conn.wait. One
 * request is outstanding at a time.
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

int vmbus_wait_arm(uint32_t msgtype, unsigned int nr_keys, uint32_t key0, uint32_t key1)
{
    struct vmbus_wait *w = &vmbus_conn.wait;

    /*
     * One request at a time, and none from a channel callback: waiting polls
     * the SynIC, which would run callbacks (that one too) from inside it.
     */
    if (w->msgtype || vmbus_conn.in_callback)
        return -XEN_EBUSY;
    w->msgtype = msgtype;
    w->nr_keys = nr_keys;
    w->key[0] = key0;
    w->key[1] = key1;
    w->done = false;
    w->len = 0;
    return 0;
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

    rc = vmbus_wait_arm(CHANNELMSG_VERSION_RESPONSE, 0, 0, 0);
    if (rc)
        return rc;
    rc = vmbus_post(&msg, sizeof(msg));
    if (rc) {
        vmbus_conn.wait.msgtype = 0;
        /* e.g. a pre-5.0 host has no connection 4: try the next version */
        return rc == -XEN_EIO ? -XEN_EACCES : rc;
    }
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

    if (!hv_present())
        return -XEN_ENODEV;
    if (!hv_has_synic()) {
        log_info("vmbus: no connection (the partition has no SynIC)\n");
        return -XEN_ENODEV;
    }
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
