// SPDX-License-Identifier: GPL-2.0-only
/*
 * The synthetic interrupt controller of the boot CPU (TLFS "Virtual
 * Interrupt Controller" and "Inter-Partition Communication"): the message
 * page (SIMP) with one 256-byte slot per SINT, the event-flag page (SIEFP)
 * with 2048 flags per SINT, and the SINTx registers, all pointing at one
 * device vector from the pc pool. Auto-EOI stays off, so plat_irq's LAPIC
 * EOI after the handler is the only acknowledgement.
 *
 * Message slots: the hypervisor writes a slot only while its type is
 * HvMessageTypeNone and sets MessagePending in it when another message is
 * queued behind. The consumer frees the slot (type = None), then, after a
 * full barrier, writes EOM if MessagePending was set, so the hypervisor
 * delivers the next one. A message is copied out of the slot before anyone
 * reads it, so the host cannot change what was validated.
 */
#include <shim/lib.h>
#include <shim/log.h>
#include "hv-arch.h"
#include "hv-priv.h"

static uint64_t hv_sint_value(uint64_t old, unsigned int vector, bool masked)
{
    old &= ~(HV_SINT_VECTOR_MASK | HV_SINT_MASKED | HV_SINT_AUTO_EOI | HV_SINT_POLLING);
    return old | vector | (masked ? HV_SINT_MASKED : 0);
}

static void hv_sint_program(unsigned int sint, bool masked)
{
    uint32_t msr = HV_MSR_SINT0 + sint;

    hv_arch_wrmsr(msr, hv_sint_value(hv_arch_rdmsr(msr), (unsigned int)hv.synic_vector, masked));
}

static bool hv_sint_flags_pending(unsigned int sint)
{
    const volatile uint64_t *f = hv.siefp->sint[sint];

    for (unsigned int i = 0; i < HV_EVENT_FLAG_WORDS; i++)
        if (f[i])
            return true;
    return false;
}

void hv_synic_poll(void)
{
    if (!hv.synic_on)
        return;
    for (unsigned int sint = 0; sint < HV_SINT_COUNT; sint++) {
        const volatile struct hv_message *slot = &hv.simp->slot[sint];

        if (hv.sint[sint].fn && (slot->type != HV_MSG_TYPE_NONE || hv_sint_flags_pending(sint)))
            hv.sint[sint].fn(hv.sint[sint].arg);
    }
}

static void hv_synic_interrupt(void *arg)
{
    hv_synic_poll();
}

static void hv_page_msr_enable(uint32_t msr, paddr_t pa)
{
    hv_arch_wrmsr(msr, (hv_arch_rdmsr(msr) & HV_PAGE_MSR_KEEP) | pa | HV_PAGE_MSR_ENABLE);
}

void hv_synic_setup(void)
{
    paddr_t simp_pa, siefp_pa;
    int vector;

    if (!(hv.caps.priv_lo & HV_PRIV_SYNIC))
        return;
    vector = hv_arch_alloc_vector(hv_synic_interrupt, NULL);
    if (vector < HV_VECTOR_MIN || vector > 0xff) {
        log_warn("viridian: no device vector for the SynIC (%d)\n", vector);
        return;
    }
    hv.synic_vector = vector;
    hv.simp = hv_arch_alloc_page(&simp_pa);
    hv.siefp = hv_arch_alloc_page(&siefp_pa);
    hv_page_msr_enable(HV_MSR_SIMP, simp_pa);
    hv_page_msr_enable(HV_MSR_SIEFP, siefp_pa);
    /* Every SINT on our vector but masked until someone handles it. */
    for (unsigned int sint = 0; sint < HV_SINT_COUNT; sint++)
        hv_sint_program(sint, true);
    hv_arch_wrmsr(HV_MSR_SCONTROL, hv_arch_rdmsr(HV_MSR_SCONTROL) | HV_SCONTROL_ENABLE);
    hv.synic_on = true;
}

bool hv_has_synic(void)
{
    return hv.synic_on;
}

void hv_synic_set_handler(unsigned int sint, void (*fn)(void *arg), void *arg)
{
    ASSERT(sint < HV_SINT_COUNT);
    if (!hv.synic_on) {
        log_warn("viridian: SINT%u handler without a SynIC\n", sint);
        return;
    }
    /* The handler is in place before the SINT can fire. */
    hv.sint[sint].fn = fn;
    hv.sint[sint].arg = arg;
    hv_sint_program(sint, fn == NULL);
}

struct hv_message_view hv_synic_message(unsigned int sint)
{
    struct hv_message_view v = { .type = HV_MSG_TYPE_NONE, .len = 0, .payload = NULL };
    const volatile struct hv_message *slot;
    struct hv_message *copy;
    uint32_t type;
    uint8_t size;

    if (sint >= HV_SINT_COUNT || !hv.synic_on)
        return v;
    slot = &hv.simp->slot[sint];
    type = slot->type;
    if (type == HV_MSG_TYPE_NONE)
        return v;
    barrier();      /* the host fills the slot before it sets the type */
    size = slot->payload_size;
    if (size > HV_MESSAGE_PAYLOAD_BYTES) {
        hv.msgs_dropped++;
        log_warn("viridian: SINT%u message type %#x with %u payload bytes dropped\n",
                 sint, type, size);
        hv_synic_message_done(sint);
        return v;
    }
    if (!hv.msgs_read++)    /* evidence for tests/e2e/viridian.sh, once */
        log_info("viridian: first SynIC message: SINT%u type %#x, %u bytes\n", sint, type, size);
    copy = &hv.sint[sint].copy;
    copy->type = type;
    copy->payload_size = size;
    memcpy(copy->payload, (const void *)slot->payload, size);
    v.type = type;
    v.len = size;
    v.payload = copy->payload;
    return v;
}

void hv_synic_message_done(unsigned int sint)
{
    volatile struct hv_message *slot;

    if (sint >= HV_SINT_COUNT || !hv.synic_on)
        return;
    slot = &hv.simp->slot[sint];
    slot->type = HV_MSG_TYPE_NONE;
    /* The freed slot is visible before MessagePending is read: a message
     * queued meanwhile either set the flag we now see or finds the slot free. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (slot->flags & HV_MESSAGE_FLAG_PENDING)
        hv_arch_wrmsr(HV_MSR_EOM, 0);
}

volatile uint64_t *hv_synic_event_flags(unsigned int sint)
{
    if (sint >= HV_SINT_COUNT || !hv.synic_on)
        return NULL;
    return hv.siefp->sint[sint];
}
