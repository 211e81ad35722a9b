// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-mc: malformed multicall batches and event-channel ports. Each
 * must get Xen's answer and leave the hypervisor healthy.
 *
 * multicall (xen/common/multicall.c do_multicall, xen/arch/x86/pv/
 * hypercall.c pv_do_multicall_call; contract 2.6):
 *  - An entry whose op is multicall runs do_multicall re-entrantly, which
 *    finds _MCSF_in_multicall set: that entry's result is -EINVAL, the other
 *    entries run, the batch returns 0.
 *  - A list pointer that is not mapped (a page we unmapped, L4 slot 0):
 *    __copy_from_guest fails: -EFAULT.
 *  - A list in the hypervisor area (0xffff830000000000 = Xen's direct map,
 *    the shim's own area here; and the M2P at 0xffff800000000000, which the
 *    guest may read): guest_handle_okay -> __addr_ok fails: -EFAULT.
 *  - nr_calls = 0xffffffff with the list at the end of a page followed by
 *    an unmapped one: guest_handle_okay checks only the start, so the valid
 *    entries run and get their results written, and the first unreadable
 *    one ends the batch with -EFAULT.
 *  - An iret entry is executed and ends the batch (mc_exit): the multicall
 *    returns the iret's result (the RAX slot of the frame), the guest
 *    resumes at the frame's RIP/RSP, and later entries do not run.
 *    (Regression: the shim used to answer -EINVAL for the entry and go on.)
 * event_channel_op (xen/common/event_channel.c): port_is_valid() is
 * `port < d->valid_evtchns`, and port 0 is valid but ECS_RESERVED
 * (evtchn_init). So for ports 4096 (2-level limit) and 0xffffffff every op
 * is -EINVAL; for port 0, send, close and bind_vcpu are -EINVAL (reserved
 * state), status succeeds with EVTCHNSTAT_closed and unmask succeeds (it
 * only needs a valid port; regression: the shim said -EINVAL). SCHEDOP_poll on a port >= max_evtchns: -EINVAL
 * (common/sched/core.c do_poll), as is bind_virq of virq 0xffffffff.
 * Finally the shim must still answer a hypercall.
 */
#include "guest.h"

TEST_DESC("hostile-mc", "malformed multicalls and event-channel ports", 0);

#define SHIM_AREA_VA   0xffff830000000000UL
#define UNMAPPED_VA    0x10000000UL     /* L4 slot 0 is empty */
#define IRET_RAX       0x5a5aUL
#define SENTINEL       0xdeadbeefUL

static uint8_t mc_pages[2 * PAGE_SIZE] __page_aligned_bss;
static long version;

/*
 * long mc_iret_probe(struct multicall_entry *mc, unsigned long nr,
 *                    unsigned long *via_iret)
 * Puts an iret_context on the stack ([H:arch-x86/xen-x86_64.h]: RAX, R11,
 * RCX, flags, RIP, CS, RFLAGS, RSP, SS) that resumes at label 1 with the
 * stack as it was before the frame, RAX = IRET_RAX, kernel CS (RPL 0: stay
 * in kernel mode, pv/iret.c) and IF = 0 (events stay masked), then issues
 * the multicall with RSP at that frame. *via_iret says which way it came
 * back: 1 through the frame, 0 by falling through after the syscall.
 */
long mc_iret_probe(struct multicall_entry *mc, unsigned long nr,
                   unsigned long *via_iret);
asm(".pushsection .text\n"
    ".globl mc_iret_probe\n"
    "mc_iret_probe:\n"
    "  push %rbx\n"
    "  push %r12\n"
    "  mov  %rsp, %rbx\n"
    "  mov  %rdx, %r12\n"
    "  push $0xe02b\n"                  /* SS: FLAT_KERNEL_SS */
    "  push %rbx\n"                     /* RSP */
    "  push $0x2\n"                     /* RFLAGS */
    "  push $0xe030\n"                  /* CS: FLAT_KERNEL_CS, RPL 0 */
    "  lea  1f(%rip), %rax\n"
    "  push %rax\n"                     /* RIP */
    "  push $0\n"                       /* flags */
    "  push $0\n"                       /* RCX */
    "  push $0\n"                       /* R11 */
    "  push $0x5a5a\n"                  /* RAX = IRET_RAX */
    "  mov  $13, %eax\n"                /* __HYPERVISOR_multicall */
    "  syscall\n"
    "  movq $0, (%r12)\n"
    "  jmp  2f\n"
    "1: movq $1, (%r12)\n"
    "2: mov  %rbx, %rsp\n"
    "  pop  %r12\n"
    "  pop  %rbx\n"
    "  ret\n"
    ".popsection\n");

static void set_version(struct multicall_entry *e)
{
    memset(e, 0, sizeof(*e));
    e->op = __HYPERVISOR_xen_version;
    e->args[0] = XENVER_version;
    e->result = SENTINEL;
}

static void test_nested(void)
{
    struct multicall_entry mc[3], inner[1];

    set_version(&inner[0]);
    set_version(&mc[0]);
    memset(&mc[1], 0, sizeof(mc[1]));
    mc[1].op = __HYPERVISOR_multicall;
    mc[1].args[0] = (unsigned long)inner;
    mc[1].args[1] = 1;
    mc[1].result = SENTINEL;
    set_version(&mc[2]);

    CHECK_RC("multicall with a nested multicall", hypervisor_multicall(mc, 3), 0);
    CHECK_RC("entry 0 (xen_version)", (long)mc[0].result, version);
    CHECK_RC("entry 1 (nested multicall)", (long)mc[1].result, -XEN_EINVAL);
    CHECK_RC("entry 2 (xen_version)", (long)mc[2].result, version);
    if (inner[0].result != SENTINEL)
        test_fail("the nested batch ran: inner result %#lx",
                  (unsigned long)inner[0].result);
}

static void test_bad_lists(void)
{
    uint8_t *second = mc_pages + PAGE_SIZE;
    struct multicall_entry *tail =
        (struct multicall_entry *)(second - 2 * sizeof(struct multicall_entry));
    uint64_t pte = ((uint64_t)virt_to_mfn(second) << PAGE_SHIFT) |
                   PTE_P | PTE_RW | PTE_A | PTE_D;

    CHECK_RC("multicall list in L4 slot 0 (unmapped)",
             hypervisor_multicall((void *)UNMAPPED_VA, 1), -XEN_EFAULT);
    CHECK_RC("multicall list in the shim area",
             hypervisor_multicall((void *)SHIM_AREA_VA, 1), -XEN_EFAULT);
    CHECK_RC("multicall list in the M2P",
             hypervisor_multicall((void *)MACH2PHYS_VIRT_START, 1), -XEN_EFAULT);

    if (!CHECK_RC("unmap the page after the list",
                  hypervisor_update_va_mapping(second, 0, UVMF_INVLPG), 0))
        return;
    CHECK_RC("multicall list on an unmapped page",
             hypervisor_multicall((void *)second, 1), -XEN_EFAULT);

    set_version(&tail[0]);
    set_version(&tail[1]);
    CHECK_RC("multicall of 0xffffffff entries running into an unmapped page",
             hypervisor_multicall(tail, 0xffffffffu), -XEN_EFAULT);
    CHECK_RC("entry 0 before the unmapped page", (long)tail[0].result, version);
    CHECK_RC("entry 1 before the unmapped page", (long)tail[1].result, version);

    CHECK_RC("remap the page", hypervisor_update_va_mapping(second, pte,
                                                            UVMF_INVLPG), 0);
}

static void test_iret(void)
{
    struct multicall_entry mc[3];
    unsigned long via_iret = 2;
    long rc;

    set_version(&mc[0]);
    memset(&mc[1], 0, sizeof(mc[1]));
    mc[1].op = __HYPERVISOR_iret;
    mc[1].result = SENTINEL;
    set_version(&mc[2]);

    rc = mc_iret_probe(mc, 3, &via_iret);
    if (via_iret != 1)
        test_fail("iret inside a multicall: came back by falling through (rc %ld), expected through the iret frame",
                  rc);
    CHECK_RC("multicall ended by iret returns the frame's RAX", rc, IRET_RAX);
    CHECK_RC("entry 0 (xen_version) before the iret", (long)mc[0].result, version);
    CHECK_RC("entry 1 (iret) result", (long)mc[1].result, IRET_RAX);
    if (mc[2].result != SENTINEL)
        test_fail("entry 2 after the iret ran: result %ld", (long)mc[2].result);
}

static long evtchn_port_op(int cmd, evtchn_port_t port)
{
    union {
        struct evtchn_send send;
        struct evtchn_close close;
        struct evtchn_unmask unmask;
        struct evtchn_bind_vcpu bind_vcpu;
    } u;

    memset(&u, 0, sizeof(u));
    switch (cmd) {
    case EVTCHNOP_send:      u.send.port = port; break;
    case EVTCHNOP_close:     u.close.port = port; break;
    case EVTCHNOP_unmask:    u.unmask.port = port; break;
    case EVTCHNOP_bind_vcpu: u.bind_vcpu.port = port; break;
    }
    return hypervisor_event_channel_op(cmd, &u);
}

static void test_evtchn_ports(void)
{
    static const evtchn_port_t bad[] = { 4096, 0xffffffffu };
    static const struct { int cmd; const char *name; } ops[] = {
        { EVTCHNOP_send, "send" }, { EVTCHNOP_close, "close" },
        { EVTCHNOP_unmask, "unmask" }, { EVTCHNOP_bind_vcpu, "bind_vcpu" },
    };
    struct evtchn_status st;
    struct evtchn_bind_virq bv = { .virq = 0xffffffffu, .vcpu = 0 };
    struct sched_poll poll;
    evtchn_port_t pport;
    char what[64];
    unsigned int i, j;

    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        for (j = 0; j < ARRAY_SIZE(ops); j++) {
            snprintf(what, sizeof(what), "EVTCHNOP_%s port %#x", ops[j].name, bad[i]);
            CHECK_RC(what, evtchn_port_op(ops[j].cmd, bad[i]), -XEN_EINVAL);
        }
        memset(&st, 0, sizeof(st));
        st.dom = DOMID_SELF;
        st.port = bad[i];
        snprintf(what, sizeof(what), "EVTCHNOP_status port %#x", bad[i]);
        CHECK_RC(what, hypervisor_event_channel_op(EVTCHNOP_status, &st), -XEN_EINVAL);

        pport = bad[i];
        memset(&poll, 0, sizeof(poll));
        set_xen_guest_handle(poll.ports, &pport);
        poll.nr_ports = 1;
        snprintf(what, sizeof(what), "SCHEDOP_poll port %#x", bad[i]);
        CHECK_RC(what, hypervisor_sched_op(SCHEDOP_poll, &poll), -XEN_EINVAL);
    }

    /* Port 0: valid but reserved. */
    CHECK_RC("EVTCHNOP_send port 0", evtchn_port_op(EVTCHNOP_send, 0), -XEN_EINVAL);
    CHECK_RC("EVTCHNOP_close port 0", evtchn_port_op(EVTCHNOP_close, 0), -XEN_EINVAL);
    CHECK_RC("EVTCHNOP_bind_vcpu port 0", evtchn_port_op(EVTCHNOP_bind_vcpu, 0),
             -XEN_EINVAL);
    CHECK_RC("EVTCHNOP_unmask port 0", evtchn_port_op(EVTCHNOP_unmask, 0), 0);
    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.port = 0;
    st.status = 0xff;
    if (CHECK_RC("EVTCHNOP_status port 0",
                 hypervisor_event_channel_op(EVTCHNOP_status, &st), 0) &&
        st.status != EVTCHNSTAT_closed)
        test_fail("EVTCHNOP_status port 0: status %u, expected closed (%u)",
                  st.status, EVTCHNSTAT_closed);

    CHECK_RC("EVTCHNOP_bind_virq virq 0xffffffff",
             hypervisor_event_channel_op(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL);
}

void test_main(void)
{
    version = hypervisor_xen_version(XENVER_version, NULL);
    if (version <= 0) {
        test_error("xen_version: %ld", version);
        return;
    }

    test_nested();
    test_bad_lists();
    test_evtchn_ports();
    test_iret();

    /* Still healthy afterwards. */
    CHECK_RC("xen_version at the end",
             hypervisor_xen_version(XENVER_version, NULL), version);
    CHECK_RC("event_channel_op still answers",
             evtchn_port_op(EVTCHNOP_send, 4096), -XEN_EINVAL);
}
