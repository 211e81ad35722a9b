// SPDX-License-Identifier: GPL-2.0-only
/*
 * set_gdt and update_descriptor (Xen pv/descriptor-tables.c). GDT frames
 * are typed "segment descriptor page" through the PV MMU, which validates
 * every descriptor and guarantees the guest holds no writable mapping of
 * them while they are in use; they are then shown in the hardware GDT
 * window (pages 0-13; page 14 is the shim's reserved page).
 */
#include <arch/desc.h>
#include <arch/percpu.h>
#include <arch/seg-desc.h>
#include <shim/guest-access.h>
#include <shim/hypercall.h>
#include <shim/mm.h>

static void release_frames(const mfn_t *frames, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        mm_put_page_type(frames[i]);
        mm_put_page(frames[i]);
    }
}

long vcpu_set_gdt(struct vcpu *v, const xen_pfn_t *frames, uint64_t entries)
{
    unsigned int nr = (entries + 511) / 512, i;
    mfn_t taken[GDT_GUEST_PAGES];
    int rc = 0;

    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return -XEN_EINVAL;
    for (i = 0; i < nr; i++) {
        rc = mm_get_page(frames[i]);
        if (rc)
            break;
        rc = mm_get_page_type(frames[i], FRAME_TYPE_SEG_DESC);
        if (rc) {
            mm_put_page(frames[i]);
            break;
        }
        taken[i] = frames[i];
    }
    if (rc) {
        release_frames(taken, i);
        return -XEN_EINVAL;
    }
    release_frames(v->gdt_frames, (v->gdt_ents + 511) / 512);
    for (i = 0; i < GDT_GUEST_PAGES; i++)
        v->gdt_frames[i] = i < nr ? taken[i] : 0;
    v->gdt_ents = entries;
    /* Another vCPU's window is loaded by its own CPU when it starts. */
    if (v == current)
        vcpu_load_gdt(v);
    return 0;
}

void vcpu_load_gdt(const struct vcpu *v)
{
    for (unsigned int i = 0; i < GDT_GUEST_PAGES; i++)
        gdt_map_guest_page(this_cpu()->cpu_id, i, v->gdt_frames[i]);
}

long do_set_gdt(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    uint64_t entries = a[1];
    unsigned int nr = (entries + 511) / 512;
    xen_pfn_t frames[GDT_GUEST_PAGES];

    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return -XEN_EINVAL;
    if (nr && copy_from_guest(frames, a[0], nr * sizeof(frames[0])))
        return -XEN_EFAULT;
    return vcpu_set_gdt(current, frames, entries);
}

long do_update_descriptor(const uint64_t a[HYPERCALL_MAX_ARGS])
{
    uint64_t maddr = a[0], desc = a[1];
    mfn_t mfn = maddr >> PAGE_SHIFT;
    const struct frame_info *f = frame_get(mfn);
    bool in_use;

    if (maddr & 7)
        return -XEN_EINVAL;
    if (!check_descriptor(&desc))
        return -XEN_EINVAL;
    if (mm_get_page(mfn))
        return -XEN_EINVAL;
    /* A live descriptor page stays one; anything else must be writable. */
    in_use = f && f->type == FRAME_TYPE_SEG_DESC && f->type_count;
    if (mm_get_page_type(mfn, in_use ? FRAME_TYPE_SEG_DESC : FRAME_TYPE_WRITABLE)) {
        mm_put_page(mfn);
        return -XEN_EINVAL;
    }
    ((volatile uint64_t *)mfn_to_virt(mfn))[(maddr & ~PAGE_MASK) / 8] = desc;
    mm_put_page_type(mfn);
    mm_put_page(mfn);
    return 0;
}
