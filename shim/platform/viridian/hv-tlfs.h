/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Wire facts of the Hyper-V partition interface, from Microsoft's Hypervisor
 * Top-Level Functional Specification (TLFS): CPUID leaves, MSRs, the
 * hypercall input/result values and the shared pages the hypervisor and the
 * shim both read. Comments name the TLFS chapter each block follows. Private to
 * shim/platform/viridian/ (the VMBus client may include it too).
 */
#ifndef VIRIDIAN_HV_TLFS_H
#define VIRIDIAN_HV_TLFS_H

#include <shim/types.h>

/* ---- CPUID (TLFS "Feature and Interface Discovery") ---------- */
#define HV_CPUID_VENDOR          0x40000000  /* EAX max leaf; EBX:ECX:EDX vendor */
#define HV_CPUID_INTERFACE       0x40000001  /* EAX "Hv#1" */
#define HV_CPUID_VERSION         0x40000002  /* EAX build, EBX major.minor */
#define HV_CPUID_FEATURES        0x40000003  /* EAX:EBX privileges, EDX features */
#define HV_CPUID_RECOMMENDATIONS 0x40000004  /* EAX recommendations */
#define HV_CPUID_LIMITS          0x40000005  /* EAX max virtual processors */
#define HV_CPUID_MIN_MAX_LEAF    HV_CPUID_LIMITS
#define HV_INTERFACE_HV1         0x31237648u /* "Hv#1" little endian */
#define CPUID1_ECX_HYPERVISOR    BIT(31)     /* SDM: "not used by hardware" */

/* Partition privileges, low half (CPUID 0x40000003 EAX; TLFS "Partition Privilege Flags"). */
#define HV_PRIV_VP_RUNTIME       BIT(0)
#define HV_PRIV_REF_COUNTER      BIT(1)      /* AccessPartitionReferenceCounter */
#define HV_PRIV_SYNIC            BIT(2)      /* AccessSynicRegs */
#define HV_PRIV_STIMER           BIT(3)      /* AccessSyntheticTimerRegs */
#define HV_PRIV_APIC_MSRS        BIT(4)      /* AccessIntrCtrlRegs */
#define HV_PRIV_HYPERCALL_MSRS   BIT(5)      /* AccessHypercallMsrs */
#define HV_PRIV_VP_INDEX         BIT(6)      /* AccessVpIndex */
#define HV_PRIV_REF_TSC          BIT(9)      /* AccessPartitionReferenceTsc */
#define HV_PRIV_FREQUENCY_MSRS   BIT(11)     /* AccessFrequencyMsrs */
/* High half (CPUID 0x40000003 EBX). */
#define HV_PRIV_POST_MESSAGES    BIT(4)
#define HV_PRIV_SIGNAL_EVENTS    BIT(5)
/* Features (CPUID 0x40000003 EDX). */
#define HV_FEAT_FREQUENCY_MSRS   BIT(8)      /* the frequency MSRs hold real values */
#define HV_FEAT_STIMER_DIRECT    BIT(19)     /* stimer direct mode */
/* Recommendations (CPUID 0x40000004 EAX; TLFS "Implementation Recommendations"). */
#define HV_REC_REMOTE_TLB_FLUSH  BIT(2)      /* use the flush hypercalls */
#define HV_REC_CLUSTER_IPI       BIT(10)     /* use HvCallSendSyntheticClusterIpi */
#define HV_REC_EX_PROCESSOR_MASKS BIT(11)    /* the *Ex calls take sparse VP sets */

/* ---- MSRs (TLFS "Hypercall Interface", "Virtual Interrupt Controller",
 *      "Inter-Partition Communication", "Timers") ------------------------ */
#define HV_MSR_GUEST_OS_ID       0x40000000
#define HV_MSR_HYPERCALL         0x40000001
#define HV_MSR_VP_INDEX          0x40000002
#define HV_MSR_TIME_REF_COUNT    0x40000020
#define HV_MSR_REFERENCE_TSC     0x40000021
#define HV_MSR_TSC_FREQUENCY     0x40000022
#define HV_MSR_APIC_FREQUENCY    0x40000023
#define HV_MSR_SCONTROL          0x40000080
#define HV_MSR_SVERSION          0x40000081
#define HV_MSR_SIEFP             0x40000082
#define HV_MSR_SIMP              0x40000083
#define HV_MSR_EOM               0x40000084
#define HV_MSR_SINT0             0x40000090
#define HV_MSR_STIMER0_CONFIG    0x400000b0
#define HV_MSR_STIMER0_COUNT     0x400000b1

/* Page-address MSRs (hypercall, reference TSC, SIMP, SIEFP): enable in bit
 * 0, bits 11:1 preserved as read, the frame number in 63:12. */
#define HV_PAGE_MSR_ENABLE       BIT(0)
#define HV_PAGE_MSR_KEEP         0xffeULL
#define HV_HYPERCALL_MSR_LOCKED  BIT(1)
#define HV_SCONTROL_ENABLE       BIT(0)

/* SINTx (TLFS "SINTx Registers"): vector 7:0 (16..255), masked 16, auto-EOI 17. */
#define HV_SINT_VECTOR_MASK      0xffULL
#define HV_SINT_MASKED           BIT(16)
#define HV_SINT_AUTO_EOI         BIT(17)
#define HV_SINT_POLLING          BIT(18)
#define HV_VECTOR_MIN            0x10

/* STIMERx_CONFIG (TLFS "Synthetic Timer Configuration Register"). */
#define HV_STIMER_ENABLE         BIT(0)
#define HV_STIMER_PERIODIC       BIT(1)
#define HV_STIMER_LAZY           BIT(2)
#define HV_STIMER_AUTO_ENABLE    BIT(3)
#define HV_STIMER_VECTOR_SHIFT   4           /* direct mode vector, 11:4 */
#define HV_STIMER_DIRECT_MODE    BIT(12)
#define HV_STIMER_SINT_SHIFT     16          /* message mode SINT, 19:16 */

/*
 * Guest OS identity (TLFS "Reporting the Guest OS Identity", open-source encoding): bit 63 open source,
 * 62:56 OS type, 55:48 OS id, 47:16 version, 15:0 build. The shim plays Xen
 * to its guest, so it reports OS type 3 (Xen) with the Xen interface
 * version it implements (4.17).
 */
#define HV_GUEST_OS_OPEN_SOURCE  BIT(63)
#define HV_GUEST_OS_TYPE_XEN     3ULL
#define HV_GUEST_OS_ID_XENSHIM   (HV_GUEST_OS_OPEN_SOURCE | (HV_GUEST_OS_TYPE_XEN << 56) | \
                                  (0x00040011ULL << 16))

/* ---- hypercalls (TLFS "Hypercall Interface") --------------------------- */
/* Input value (RCX): call code 15:0, fast 16, variable header size (8-byte
 * units) 26:17, rep count 43:32, rep start index 59:48. */
#define HV_CTL_FAST              BIT(16)
#define HV_CTL_VARHEAD_SHIFT     17
#define HV_CTL_VARHEAD_MAX       0x3ffu
#define HV_CTL_REP_COUNT_SHIFT   32
#define HV_CTL_REP_START_SHIFT   48
#define HV_CTL_REP_MAX           0xfffu
#define HV_CTL_REP_START_MASK    (0xfffULL << HV_CTL_REP_START_SHIFT)
#define HV_CTL_REP_COUNT_MASK    (0xfffULL << HV_CTL_REP_COUNT_SHIFT)
/* Result value (RAX): status 15:0, reps completed 43:32. */
#define HV_RES_REPS_SHIFT        32

static inline uint64_t hv_control(uint16_t code, bool fast, unsigned int varhead_qwords,
                                  unsigned int rep_count, unsigned int rep_start)
{
    return (uint64_t)code | (fast ? HV_CTL_FAST : 0) |
           ((uint64_t)(varhead_qwords & HV_CTL_VARHEAD_MAX) << HV_CTL_VARHEAD_SHIFT) |
           ((uint64_t)(rep_count & HV_CTL_REP_MAX) << HV_CTL_REP_COUNT_SHIFT) |
           ((uint64_t)(rep_start & HV_CTL_REP_MAX) << HV_CTL_REP_START_SHIFT);
}
static inline uint16_t hv_result_status(uint64_t r) { return (uint16_t)r; }
static inline unsigned int hv_result_reps(uint64_t r)
{
    return (unsigned int)(r >> HV_RES_REPS_SHIFT) & HV_CTL_REP_MAX;
}

/* Call codes (TLFS appendix "Hypercall Code Reference"). */
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE    0x0002
#define HVCALL_SEND_SYNTHETIC_CLUSTER_IPI     0x000b
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX 0x0013
#define HVCALL_SEND_SYNTHETIC_CLUSTER_IPI_EX  0x0015
#define HVCALL_POST_MESSAGE                   0x005c
#define HVCALL_SIGNAL_EVENT                   0x005d

/* Status codes (TLFS appendix "Hypercall Status Code Reference"). */
#define HV_STATUS_SUCCESS                 0x0000
#define HV_STATUS_INVALID_HYPERCALL_CODE  0x0002
#define HV_STATUS_INVALID_HYPERCALL_INPUT 0x0003
#define HV_STATUS_INVALID_ALIGNMENT       0x0004
#define HV_STATUS_INVALID_PARAMETER       0x0005
#define HV_STATUS_ACCESS_DENIED           0x0006
#define HV_STATUS_INSUFFICIENT_MEMORY     0x000b
#define HV_STATUS_INVALID_CONNECTION_ID   0x0012
#define HV_STATUS_INSUFFICIENT_BUFFERS    0x0013
/* Not a TLFS status: the shim's verdict on a result value that breaks the
 * TLFS (reps completed beyond the count, or going backwards). */
#define HV_STATUS_SHIM_BAD_RESULT         0xffff

/* HvCallPostMessage input (TLFS "HvCallPostMessage"): 8-byte aligned, one page. */
struct hv_post_message_input {
    uint32_t connection_id;
    uint32_t reserved;
    uint32_t message_type;
    uint32_t payload_size;          /* <= HV_MESSAGE_PAYLOAD_BYTES */
    uint64_t payload[30];
};
_Static_assert(sizeof(struct hv_post_message_input) == 256, "TLFS HV_POST_MESSAGE_INPUT");
_Static_assert(offsetof(struct hv_post_message_input, message_type) == 8, "TLFS");
_Static_assert(offsetof(struct hv_post_message_input, payload) == 16, "TLFS");

/* HvCallSignalEvent (TLFS "HvCallSignalEvent"), always fast: the 8 bytes go in RDX. */
static inline uint64_t hv_signal_event_input(uint32_t connection_id, uint16_t flag)
{
    return (uint64_t)connection_id | ((uint64_t)flag << 32);
}

/* HV_VP_SET (TLFS "HV_VP_SET"): sparse banks of 64 VPs. */
#define HV_VP_SET_SPARSE_4K      0
#define HV_VP_SET_ALL            1
#define HV_VP_SET_MAX_BANKS      64

/* HvCallFlushVirtualAddressSpace (TLFS "HvCallFlushVirtualAddressSpace"): flags. */
#define HV_FLUSH_ALL_PROCESSORS             BIT(0)
#define HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES BIT(1)
#define HV_FLUSH_NON_GLOBAL_MAPPINGS_ONLY   BIT(2)

struct hv_flush_input {
    uint64_t address_space;
    uint64_t flags;
    uint64_t processor_mask;
};
_Static_assert(sizeof(struct hv_flush_input) == 24, "TLFS HvFlushVirtualAddressSpace");

/* The Ex form: the processor mask becomes an HV_VP_SET, whose bank array
 * is the variable header. */
struct hv_flush_ex_input {
    uint64_t address_space;
    uint64_t flags;
    uint64_t vp_set_format;
    uint64_t vp_set_valid_banks;
    uint64_t vp_set_banks[];
};
_Static_assert(sizeof(struct hv_flush_ex_input) == 32, "TLFS HvFlushVirtualAddressSpaceEx");

/* HvCallSendSyntheticClusterIpi (TLFS "HvCallSendSyntheticClusterIpi"), fast: vector, then mask. */
struct hv_send_ipi_ex_input {
    uint32_t vector;
    uint8_t target_vtl;
    uint8_t reserved[3];
    uint64_t vp_set_format;
    uint64_t vp_set_valid_banks;
    uint64_t vp_set_banks[];
};
_Static_assert(sizeof(struct hv_send_ipi_ex_input) == 24, "TLFS HvSendSyntheticClusterIpiEx");

/* ---- shared pages ------------------------------------------------------ */
/* Reference TSC page (TLFS "Partition Reference TSC Mechanism"): 100 ns time =
 * ((tsc * scale) >> 64) + offset, valid while sequence is unchanged and not 0. */
struct hv_ref_tsc_page {
    uint32_t sequence;
    uint32_t reserved1;
    uint64_t scale;
    int64_t offset;
    uint64_t reserved2[509];
};
_Static_assert(sizeof(struct hv_ref_tsc_page) == 4096, "TLFS HV_REFERENCE_TSC_PAGE");
_Static_assert(offsetof(struct hv_ref_tsc_page, scale) == 8, "TLFS");
_Static_assert(offsetof(struct hv_ref_tsc_page, offset) == 16, "TLFS");
#define HV_REF_TSC_SEQUENCE_INVALID 0

/* SynIC message (TLFS "SIM Page", HV_MESSAGE): 16-byte header, 240-byte payload. */
#define HV_MESSAGE_FLAG_PENDING  BIT(0)
struct hv_message {
    uint32_t type;                  /* 0: HvMessageTypeNone, the slot is free */
    uint8_t payload_size;
    uint8_t flags;                  /* HV_MESSAGE_FLAG_PENDING */
    uint8_t reserved[2];
    uint64_t origin;                /* sender partition or port */
    uint64_t payload[30];
};
_Static_assert(sizeof(struct hv_message) == 256, "TLFS HV_MESSAGE");
_Static_assert(offsetof(struct hv_message, payload_size) == 4, "TLFS");
_Static_assert(offsetof(struct hv_message, flags) == 5, "TLFS");
_Static_assert(offsetof(struct hv_message, payload) == 16, "TLFS");

/* SIMP page: one message slot per SINT. */
struct hv_message_page {
    struct hv_message slot[16];
};
_Static_assert(sizeof(struct hv_message_page) == 4096, "TLFS SIMP page");

/* SIEFP page: 2048 event flags per SINT (TLFS "SIEF Page"). */
#define HV_EVENT_FLAG_WORDS      32
struct hv_event_flags_page {
    uint64_t sint[16][HV_EVENT_FLAG_WORDS];
};
_Static_assert(sizeof(struct hv_event_flags_page) == 4096, "TLFS SIEFP page");

#define HV_MSG_TYPE_NONE          0x00000000u
#define HV_MSG_TYPE_TIMER_EXPIRED 0x80000010u

#endif
