// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the event-channel code (shim/evtchn.c,
 * hypercalls/evtchn.c) driven as a guest drives it, by every sub-op with
 * raw 32-bit ports, vCPUs and VIRQs, interleaved with the guest's own
 * writes to the 2-level bitmaps (mask, pending, selector, upcall flag) and
 * with the shim's internal senders (VIRQs, backend ports). Arguments go
 * through guest memory (guest-memory-stub.c behind shim/guest-access.c),
 * sometimes unmapped. ASan watches the host shared_info; after every
 * operation the harness checks (Xen's rules, common/event_channel.c,
 * common/event_2l.c):
 *  - every return value is 0, a port, or one of the errors the ABI allows;
 *  - port 0 stays reserved and is never made pending;
 *  - allocation hands out the lowest free port;
 *  - the VIRQ table and the VIRQ ports agree both ways;
 *  - a pending bit newly set by an operation belongs to an allocated port,
 *    and, when that port is unmasked and its selector bit was clear, the
 *    selector bit and evtchn_upcall_pending are now set (2-level delivery);
 *    a masked port raises neither.
 * Input: a sequence of (op, args) records read with fuzz-input.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <shim/evtchn.h>
#include <shim/hypercall.h>
#include <shim/lib.h>
#include "fuzz-input.h"
#include "guest-memory-stub.h"

#define CHECK(c) do { if (!(c)) { \
    fprintf(stderr, "invariant violated: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
    abort(); } } while (0)

#define WORD_BITS 64u
#define ARG       gm_va(0)

struct percpu host_test_percpu;
struct domain the_domain;
static struct shared_info sinfo;
static unsigned int notifies;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

void backend_notify(struct domain *d, enum evtchn_backend backend, unsigned int instance)
{
    CHECK(d == &the_domain && backend != EVTCHN_BACKEND_NONE);
    notifies++;
}

static void reset(void)
{
    struct vcpu *v = &the_domain.vcpus[0];

    memset(&the_domain, 0, sizeof(the_domain));
    memset(&sinfo, 0, sizeof(sinfo));
    the_domain.domid = 3;
    the_domain.nr_vcpus = 1;
    the_domain.shared_info = &sinfo;
    v->domain = &the_domain;
    v->kernel_mode = true;
    v->vcpu_info = &sinfo.vcpu_info[0];
    host_test_percpu.self = &host_test_percpu;
    host_test_percpu.curr_vcpu = v;
    gm_reset();
}

/* A port: usually a small one (where the action is), sometimes hostile. */
static uint32_t pick_port(struct fin *in)
{
    static const uint32_t odd[] = { 0, NR_EVTCHN_PORTS - 1, NR_EVTCHN_PORTS,
                                    NR_EVTCHN_PORTS + 1, 0x10000, 0x7fffffff, 0xffffffff };
    uint8_t b = fin_u8(in);

    if (b >= 0xf0)
        return odd[b % ARRAY_SIZE(odd)];
    if (b >= 0xe0)
        return fin_u32(in);
    return b % 80u;
}

static int lowest_free(void)
{
    for (evtchn_port_t p = 1; p < NR_EVTCHN_PORTS; p++)
        if (the_domain.evtchn[p].state == ECS_FREE)
            return (int)p;
    return -XEN_ENOSPC;
}

/* event_channel_op(cmd, arg) with the struct in guest memory (maybe unmapped). */
static long op(unsigned int cmd, void *arg, size_t size, bool unmapped)
{
    const uint64_t a[HYPERCALL_MAX_ARGS] = { cmd, ARG };
    long rc;

    gm_protect(ARG, PAGE_SIZE, unmapped ? GM_NONE : GM_RW);
    if (!unmapped)
        memcpy(gm_ptr(ARG), arg, size);
    rc = do_event_channel_op(a);
    if (!unmapped)
        memcpy(arg, gm_ptr(ARG), size);
    gm_protect(ARG, PAGE_SIZE, GM_RW);
    return rc;
}

static bool rc_allowed(long rc)
{
    return rc == 0 || rc == -XEN_EINVAL || rc == -XEN_ENOENT || rc == -XEN_EEXIST ||
           rc == -XEN_ENOSPC || rc == -XEN_EPERM || rc == -XEN_ESRCH ||
           rc == -XEN_EFAULT || rc == -XEN_ENOSYS;
}

static void check_tables(void)
{
    const struct vcpu *v = &the_domain.vcpus[0];

    CHECK(the_domain.evtchn[0].state == ECS_FREE);
    CHECK(!(sinfo.evtchn_pending[0] & 1));
    for (unsigned int virq = 0; virq < NR_VIRQS; virq++) {
        unsigned int p = v->virq_to_port[virq];

        if (p) {
            CHECK(p < NR_EVTCHN_PORTS);
            CHECK(the_domain.evtchn[p].state == ECS_VIRQ);
            CHECK(the_domain.evtchn[p].virq == virq);
        }
    }
    for (evtchn_port_t p = 1; p < NR_EVTCHN_PORTS; p++) {
        const struct evtchn *c = &the_domain.evtchn[p];

        CHECK(c->state == ECS_FREE || c->state == ECS_UNBOUND || c->state == ECS_INTERDOMAIN ||
              c->state == ECS_VIRQ || c->state == ECS_IPI);
        CHECK(c->notify_vcpu < the_domain.nr_vcpus);
        if (c->state == ECS_VIRQ)
            CHECK(c->virq < NR_VIRQS && v->virq_to_port[c->virq] == p);
    }
}

/* Bits the operation set that were clear before: 2-level delivery rules. */
static void check_delivery(const struct shared_info *before)
{
    const struct vcpu_info *vb = &before->vcpu_info[0], *va = &sinfo.vcpu_info[0];

    for (unsigned int w = 0; w < NR_EVTCHN_PORTS / WORD_BITS; w++) {
        xen_ulong_t fresh = sinfo.evtchn_pending[w] & ~before->evtchn_pending[w];

        while (fresh) {
            unsigned int b = (unsigned int)__builtin_ctzll(fresh);
            evtchn_port_t p = w * WORD_BITS + b;
            bool masked = (sinfo.evtchn_mask[w] >> b) & 1;

            fresh &= fresh - 1;
            CHECK(the_domain.evtchn[p].state != ECS_FREE);
            if (!masked && !((vb->evtchn_pending_sel >> w) & 1)) {
                CHECK((va->evtchn_pending_sel >> w) & 1);
                CHECK(va->evtchn_upcall_pending);
            }
        }
    }
    /* Raised only for a word with an unmasked pending port. */
    for (unsigned int w = 0; w < NR_EVTCHN_PORTS / WORD_BITS; w++)
        if (((va->evtchn_pending_sel & ~vb->evtchn_pending_sel) >> w) & 1)
            CHECK(sinfo.evtchn_pending[w] & ~sinfo.evtchn_mask[w]);
}

/* The guest's own writes to its shared bitmaps. */
static void guest_write(struct fin *in)
{
    uint32_t p = pick_port(in) % NR_EVTCHN_PORTS;
    xen_ulong_t bit = (xen_ulong_t)1 << (p % WORD_BITS);
    struct vcpu_info *vi = &sinfo.vcpu_info[0];

    switch (fin_u8(in) % 5) {
    case 0:
        sinfo.evtchn_mask[p / WORD_BITS] |= bit;
        break;
    case 1:
        sinfo.evtchn_mask[p / WORD_BITS] &= ~bit;
        break;
    case 2:
        sinfo.evtchn_pending[p / WORD_BITS] &= ~bit;
        break;
    case 3:     /* the upcall's first steps */
        vi->evtchn_upcall_pending = 0;
        vi->evtchn_pending_sel = 0;
        break;
    default:    /* garbage in the shared words (the guest owns them) */
        vi->evtchn_pending_sel = fin_u64(in);
        sinfo.evtchn_mask[fin_u8(in) % (NR_EVTCHN_PORTS / WORD_BITS)] = fin_u64(in);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct shared_info before;
    struct fin in = { data, size };
    unsigned int steps = 0;

    reset();
    while (fin_more(&in) && steps++ < 512) {
        uint8_t code = fin_u8(&in);
        bool unmapped = (code & 0x80) && (code & 0x40);
        union {
            struct evtchn_bind_virq bind_virq;
            struct evtchn_bind_ipi bind_ipi;
            struct evtchn_alloc_unbound alloc_unbound;
            struct evtchn_send send;
            struct evtchn_close close;
            struct evtchn_unmask unmask;
            struct evtchn_status status;
            struct evtchn_bind_vcpu bind_vcpu;
        } u;
        int want_port = lowest_free();
        long rc = 0;

        memcpy(&before, &sinfo, sizeof(before));
        memset(&u, 0, sizeof(u));
        switch (code % 11) {
        case 0:
            u.bind_virq.virq = fin_u8(&in) >= 0xf0 ? fin_u32(&in) : fin_u8(&in) % (NR_VIRQS + 2);
            u.bind_virq.vcpu = fin_u8(&in) % 3;
            rc = op(EVTCHNOP_bind_virq, &u, sizeof(u.bind_virq), unmapped);
            if (!rc)
                CHECK((int)u.bind_virq.port == want_port);
            break;
        case 1:
            u.bind_ipi.vcpu = fin_u8(&in) % 3;
            rc = op(EVTCHNOP_bind_ipi, &u, sizeof(u.bind_ipi), unmapped);
            if (!rc)
                CHECK((int)u.bind_ipi.port == want_port);
            break;
        case 2:
            u.alloc_unbound.dom = (domid_t[]){ DOMID_SELF, 3, 7, 0 }[fin_u8(&in) % 4];
            rc = op(EVTCHNOP_alloc_unbound, &u, sizeof(u.alloc_unbound), unmapped);
            if (!rc)
                CHECK((int)u.alloc_unbound.port == want_port);
            break;
        case 3:
            u.send.port = pick_port(&in);
            rc = op(EVTCHNOP_send, &u, sizeof(u.send), unmapped);
            break;
        case 4:
            u.close.port = pick_port(&in);
            rc = op(EVTCHNOP_close, &u, sizeof(u.close), unmapped);
            if (!rc)
                CHECK(the_domain.evtchn[u.close.port].state == ECS_FREE);
            break;
        case 5:
            u.unmask.port = pick_port(&in);
            rc = op(EVTCHNOP_unmask, &u, sizeof(u.unmask), unmapped);
            if (!rc)
                CHECK(!((sinfo.evtchn_mask[u.unmask.port / WORD_BITS] >>
                         (u.unmask.port % WORD_BITS)) & 1));
            break;
        case 6:
            u.status.dom = fin_u8(&in) & 1 ? DOMID_SELF : fin_u16(&in);
            u.status.port = pick_port(&in);
            rc = op(EVTCHNOP_status, &u, sizeof(u.status), unmapped);
            if (!rc)
                CHECK(u.status.status == the_domain.evtchn[u.status.port].state);
            break;
        case 7:
            u.bind_vcpu.port = pick_port(&in);
            u.bind_vcpu.vcpu = fin_u8(&in) % 3;
            rc = op(EVTCHNOP_bind_vcpu, &u, sizeof(u.bind_vcpu), unmapped);
            break;
        case 8:
            guest_write(&in);
            break;
        case 9: {       /* the shim's own senders */
            uint32_t v = fin_u8(&in) % (NR_VIRQS + 2);
            int p;

            if (fin_u8(&in) & 1) {
                evtchn_send_virq(&the_domain.vcpus[0], v);
            } else if ((p = evtchn_alloc_backend_port(&the_domain,
                                                      EVTCHN_BACKEND_BLKBACK)) > 0) {
                CHECK(p == want_port);
                evtchn_set_pending(&the_domain, (evtchn_port_t)p);
                CHECK(evtchn_is_pending(&the_domain, (evtchn_port_t)p));
            }
            break;
        }
        default:        /* fill every port: the next allocation must fail */
            for (evtchn_port_t p = 1; p < NR_EVTCHN_PORTS; p++)
                if (the_domain.evtchn[p].state == ECS_FREE)
                    the_domain.evtchn[p].state = ECS_UNBOUND;
            u.bind_ipi.vcpu = 0;
            CHECK(op(EVTCHNOP_bind_ipi, &u, sizeof(u.bind_ipi), false) == -XEN_ENOSPC);
            break;
        }
        CHECK(rc_allowed(rc));
        if (unmapped && code % 11 <= 7)
            CHECK(rc == -XEN_EFAULT);
        check_tables();
        if (code % 11 != 8)         /* the guest may write its words at will */
            check_delivery(&before);
    }
    return 0;
}
