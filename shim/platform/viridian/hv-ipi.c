// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cross-CPU IPIs and remote TLB flushes through hypercalls, the SMP fast
 * path where the partition is offered them (TLFS "Implementation
 * Recommendations": cluster IPI, remote TLB flush, ExProcessorMasks). A
 * shim CPU mask becomes a set of VP indices: targets all below 64 fit the
 * plain calls' 64-bit processor mask (HvCallSendSyntheticClusterIpi, fast;
 * HvCallFlushVirtualAddressSpace); others need the Ex calls' sparse
 * HV_VP_SET. Whatever the partition does not offer is -XEN_EOPNOTSUPP, and
 * the caller uses the LAPIC instead.
 */
#include <shim/lib.h>
#include <shim/log.h>
#include <xen/errno.h>
#include "hv-arch.h"
#include "hv-priv.h"

/* VP indices as the TLFS sparse set: bank b holds VPs 64b..64b+63. */
struct hv_vp_set {
    uint64_t valid_banks;
    uint64_t bank[HV_VP_SET_MAX_BANKS];
};

/* 0, -XEN_EINVAL (no such shim CPU), -XEN_EOPNOTSUPP (VP index unknown). */
static int hv_vp_set_build(uint64_t cpu_mask, struct hv_vp_set *set)
{
    memset(set, 0, sizeof(*set));
    if (cpu_mask >> PCPU_MAX_CPUS)
        return -XEN_EINVAL;
    for (unsigned int cpu = 0; cpu < PCPU_MAX_CPUS; cpu++) {
        uint32_t vp = hv.cpu[cpu].vp_index;

        if (!(cpu_mask & BIT(cpu)))
            continue;
        if (vp >= HV_VP_SET_MAX_BANKS * 64)     /* also HV_VP_INDEX_UNKNOWN */
            return -XEN_EOPNOTSUPP;
        set->valid_banks |= BIT(vp / 64);
        set->bank[vp / 64] |= BIT(vp % 64);
    }
    return 0;
}

/* Write the valid banks, in bank order, to out; returns how many. */
static unsigned int hv_vp_set_pack(const struct hv_vp_set *set, uint64_t *out)
{
    unsigned int n = 0;

    for (unsigned int b = 0; b < HV_VP_SET_MAX_BANKS; b++)
        if (set->valid_banks & BIT(b))
            out[n++] = set->bank[b];
    return n;
}

static struct hv_cpu *hv_ipi_cpu(void)
{
    unsigned int cpu = hv_arch_cpu();

    return cpu < PCPU_MAX_CPUS && hv.cpu[cpu].input ? &hv.cpu[cpu] : NULL;
}

static int hv_status_errno(const char *what, uint64_t r)
{
    if (hv_result_status(r) == HV_STATUS_SUCCESS)
        return 0;
    log_warn("viridian: %s: status %#x\n", what, hv_result_status(r));
    return -XEN_EIO;
}

int hv_send_ipi(unsigned int vector, uint64_t cpu_mask)
{
    struct hv_vp_set set;
    struct hv_send_ipi_ex_input *in;
    struct hv_cpu *c = hv_ipi_cpu();
    unsigned int n;
    int rc;

    if (!hv.present || !(hv.caps.recommendations & HV_REC_CLUSTER_IPI) || !c)
        return -XEN_EOPNOTSUPP;
    if (vector < HV_VECTOR_MIN || vector > 0xff)
        return -XEN_EINVAL;
    rc = hv_vp_set_build(cpu_mask, &set);
    if (rc || !cpu_mask)
        return rc;
    if (set.valid_banks == BIT(0))
        return hv_status_errno("HvCallSendSyntheticClusterIpi",
            hv_hypercall_fast(hv_control(HVCALL_SEND_SYNTHETIC_CLUSTER_IPI, true, 0, 0, 0),
                              vector, set.bank[0]));
    if (!(hv.caps.recommendations & HV_REC_EX_PROCESSOR_MASKS))
        return -XEN_EOPNOTSUPP;
    in = c->input;
    memset(in, 0, sizeof(*in));
    in->vector = vector;
    in->vp_set_format = HV_VP_SET_SPARSE_4K;
    in->vp_set_valid_banks = set.valid_banks;
    n = hv_vp_set_pack(&set, in->vp_set_banks);
    /* The bank array is the variable header, counted in 8-byte units. */
    return hv_status_errno("HvCallSendSyntheticClusterIpiEx",
        hv_hypercall(hv_control(HVCALL_SEND_SYNTHETIC_CLUSTER_IPI_EX, false, n, 0, 0),
                     c->input_pa, 0));
}

/* Every address space, global entries too: the shim switches guest roots. */
static int hv_flush_plain(struct hv_cpu *c, uint64_t processor_mask)
{
    struct hv_flush_input *in = c->input;

    memset(in, 0, sizeof(*in));
    in->flags = HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES;
    in->processor_mask = processor_mask;
    return hv_status_errno("HvCallFlushVirtualAddressSpace",
        hv_hypercall(hv_control(HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE, false, 0, 0, 0),
                     c->input_pa, 0));
}

static int hv_flush_ex(struct hv_cpu *c, const struct hv_vp_set *set)
{
    struct hv_flush_ex_input *in = c->input;
    unsigned int n;

    memset(in, 0, sizeof(*in));
    in->flags = HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES;
    in->vp_set_format = HV_VP_SET_SPARSE_4K;
    in->vp_set_valid_banks = set->valid_banks;
    n = hv_vp_set_pack(set, in->vp_set_banks);
    return hv_status_errno("HvCallFlushVirtualAddressSpaceEx",
        hv_hypercall(hv_control(HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX, false, n, 0, 0),
                     c->input_pa, 0));
}

int hv_flush_tlb(uint64_t cpu_mask)
{
    struct hv_vp_set set;
    struct hv_cpu *c = hv_ipi_cpu();
    int rc;

    if (!hv.present || !(hv.caps.recommendations & HV_REC_REMOTE_TLB_FLUSH) || !c)
        return -XEN_EOPNOTSUPP;
    rc = hv_vp_set_build(cpu_mask, &set);
    if (rc || !cpu_mask)
        return rc;
    if (set.valid_banks == BIT(0))
        return hv_flush_plain(c, set.bank[0]);
    if (!(hv.caps.recommendations & HV_REC_EX_PROCESSOR_MASKS))
        return -XEN_EOPNOTSUPP;
    return hv_flush_ex(c, &set);
}
