// SPDX-License-Identifier: GPL-2.0-only
/*
 * Console backend: the guest writes its console (hvc0) into the `out` half
 * of struct xencons_interface and notifies the console port; the shim
 * copies the new bytes to the platform console and advances out_cons.
 * Input goes the other way: bytes from the platform console are put in
 * the `in` half and the port is raised. Indices are free-running u32s read
 * once; a producer more than a ring ahead is treated as hostile and only
 * the last ring's worth is used (io/console.h, contract section 8).
 */
#include <shim/evtchn.h>
#include <shim/frame.h>
#include <shim/pvconsole.h>
#include <plat/platform.h>

void pvconsole_service(struct domain *d)
{
    struct xencons_interface *ring;
    XENCONS_RING_IDX cons, prod;
    char buf[64];
    size_t n = 0;

    if (!d->console_mfn)
        return;
    ring = mfn_to_virt(d->console_mfn);
    cons = __atomic_load_n(&ring->out_cons, __ATOMIC_RELAXED);
    /* Acquire: the producer index before the bytes it covers. */
    prod = __atomic_load_n(&ring->out_prod, __ATOMIC_ACQUIRE);
    if (prod - cons > sizeof(ring->out))
        cons = prod - sizeof(ring->out);
    for (; cons != prod; cons++) {
        buf[n++] = ring->out[MASK_XENCONS_IDX(cons, ring->out)];
        if (n == sizeof(buf)) {
            plat_console_write(buf, n);
            n = 0;
        }
    }
    if (n)
        plat_console_write(buf, n);
    /* Release: the bytes are consumed before the guest sees the new index. */
    __atomic_store_n(&ring->out_cons, cons, __ATOMIC_RELEASE);
    evtchn_set_pending(d, d->console_port);
}

void pvconsole_poll_input(struct domain *d)
{
    struct xencons_interface *ring;
    XENCONS_RING_IDX cons, prod;
    bool moved = false;
    int c;

    if (!d->console_mfn)
        return;
    ring = mfn_to_virt(d->console_mfn);
    /* Acquire: the guest's consumer index before we reuse the space. */
    cons = __atomic_load_n(&ring->in_cons, __ATOMIC_ACQUIRE);
    prod = __atomic_load_n(&ring->in_prod, __ATOMIC_RELAXED);
    if (prod - cons > sizeof(ring->in))
        return;                 /* hostile indices: leave the ring alone */
    while (prod - cons < sizeof(ring->in) && (c = plat_console_getc()) >= 0) {
        ring->in[MASK_XENCONS_IDX(prod, ring->in)] = (char)c;
        prod++;
        moved = true;
    }
    if (!moved)
        return;
    /* Release: the bytes are in the ring before the new producer index. */
    __atomic_store_n(&ring->in_prod, prod, __ATOMIC_RELEASE);
    evtchn_set_pending(d, d->console_port);
}

void pvconsole_flush(struct domain *d)
{
    pvconsole_service(d);
}
