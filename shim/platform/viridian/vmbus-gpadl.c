// SPDX-License-Identifier: GPL-2.0-only
/*
 * GPADLs (guest physical address descriptor lists): how the client lends
 * the host a buffer (a channel's rings, netvsc's send and receive buffers).
 * The frame list travels in one GPADL_HEADER message (one range, its first
 * 26 frames) and as many GPADL_BODY messages as the rest needs (28 frames
 * each); the host answers GPADL_CREATED once it has them all.
 * GPADL_TEARDOWN takes the buffer back (answered by GPADL_TORNDOWN).
 */
#include "vmbus-priv.h"
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>

unsigned int vmbus_gpadl_nr_msgs(uint32_t nr_pfns)
{
    if (nr_pfns <= VMBUS_GPADL_HEADER_PFNS)
        return 1;
    return 1 + (unsigned int)((nr_pfns - VMBUS_GPADL_HEADER_PFNS + VMBUS_GPADL_BODY_PFNS - 1) /
                              VMBUS_GPADL_BODY_PFNS);
}

uint32_t vmbus_gpadl_msg(void *out, uint32_t relid, uint32_t gpadl, uint64_t first_pfn,
                         uint32_t nr_pfns, unsigned int k)
{
    uint32_t start, count;

    if (!nr_pfns || nr_pfns > VMBUS_GPADL_MAX_PFNS || k >= vmbus_gpadl_nr_msgs(nr_pfns))
        return 0;
    memset(out, 0, VMBUS_MSG_MAX_BYTES);
    if (k == 0) {
        struct vmbus_msg_gpadl_header *h = out;

        count = MIN(nr_pfns, (uint32_t)VMBUS_GPADL_HEADER_PFNS);
        h->hdr.msgtype = CHANNELMSG_GPADL_HEADER;
        h->child_relid = relid;
        h->gpadl = gpadl;
        /* The range with every frame of the GPADL, not just this message's. */
        h->range_buflen = (uint16_t)(sizeof(struct vmbus_gpa_range_hdr) +
                                     nr_pfns * sizeof(uint64_t));
        h->range_count = 1;
        h->range.byte_count = nr_pfns * (uint32_t)PAGE_SIZE;
        h->range.byte_offset = 0;
        for (uint32_t i = 0; i < count; i++)
            h->pfn[i] = first_pfn + i;
        return (uint32_t)(sizeof(*h) + count * sizeof(uint64_t));
    } else {
        struct vmbus_msg_gpadl_body *b = out;

        start = (uint32_t)(VMBUS_GPADL_HEADER_PFNS + (k - 1) * VMBUS_GPADL_BODY_PFNS);
        count = MIN(nr_pfns - start, (uint32_t)VMBUS_GPADL_BODY_PFNS);
        b->hdr.msgtype = CHANNELMSG_GPADL_BODY;
        /* Linux and FreeBSD leave msgnumber 0; the host orders bodies by arrival. */
        b->msgnumber = 0;
        b->gpadl = gpadl;
        for (uint32_t i = 0; i < count; i++)
            b->pfn[i] = first_pfn + start + i;
        return (uint32_t)(sizeof(*b) + count * sizeof(uint64_t));
    }
}

int vmbus_gpadl_create(struct vmbus_channel *ch, paddr_t base, uint32_t nr_pages,
                       uint32_t *handle)
{
    uint64_t msg[VMBUS_MSG_MAX_BYTES / sizeof(uint64_t)];
    struct vmbus_msg_gpadl_created created;
    unsigned int nr_msgs;
    uint32_t gpadl, len;
    int rc;

    if (ch->dead)
        return -XEN_EIO;
    if (!nr_pages || nr_pages > VMBUS_GPADL_MAX_PFNS || !IS_ALIGNED(base, PAGE_SIZE))
        return -XEN_EINVAL;
    gpadl = vmbus_conn.next_gpadl++;
    if (!vmbus_conn.next_gpadl)
        vmbus_conn.next_gpadl = VMBUS_FIRST_GPADL;

    rc = vmbus_wait_arm(CHANNELMSG_GPADL_CREATED, 2, ch->relid, gpadl);
    if (rc)
        return rc;
    nr_msgs = vmbus_gpadl_nr_msgs(nr_pages);
    for (unsigned int k = 0; k < nr_msgs; k++) {
        len = vmbus_gpadl_msg(msg, ch->relid, gpadl, base >> PAGE_SHIFT, nr_pages, k);
        rc = vmbus_post(msg, len);
        if (rc) {
            vmbus_conn.wait.msgtype = 0;
            return rc;
        }
    }
    rc = vmbus_wait_done(VMBUS_TIMEOUT_NS);
    if (rc) {
        log_warn("vmbus: relid %u: no answer to GPADL %#x\n", ch->relid, gpadl);
        return rc;
    }
    if (vmbus_conn.wait.len < sizeof(created))
        return -XEN_EIO;
    memcpy(&created, vmbus_conn.wait.msg, sizeof(created));
    if (created.creation_status) {
        log_warn("vmbus: relid %u: host refused GPADL %#x (status %#x)\n",
                 ch->relid, gpadl, created.creation_status);
        return -XEN_EIO;
    }
    *handle = gpadl;
    return 0;
}

int vmbus_gpadl_teardown(struct vmbus_channel *ch, uint32_t handle)
{
    struct vmbus_msg_gpadl_teardown msg = {
        .hdr.msgtype = CHANNELMSG_GPADL_TEARDOWN,
        .child_relid = ch->relid,
        .gpadl = handle,
    };
    int rc;

    /* A rescinded channel's GPADLs went with it: the host answers nothing. */
    if (ch->rescinded)
        return -XEN_EIO;
    rc = vmbus_wait_arm(CHANNELMSG_GPADL_TORNDOWN, 1, handle, 0);
    if (rc)
        return rc;
    rc = vmbus_post(&msg, sizeof(msg));
    if (rc) {
        vmbus_conn.wait.msgtype = 0;
        return rc;
    }
    rc = vmbus_wait_done(VMBUS_TIMEOUT_NS);
    if (rc)
        log_warn("vmbus: relid %u: no answer to teardown of GPADL %#x\n", ch->relid, handle);
    return rc;
}
