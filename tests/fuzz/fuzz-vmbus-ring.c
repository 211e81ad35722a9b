// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the VMBus client's receive path (vmbus_recv_hdr in
 * shim/platform/viridian/vmbus-channel.c over vmbus-ring.c) against a
 * hostile host that owns the ring. The input sets up an open channel with
 * a receive ring of 2..5 pages whose data area is filled from the input and
 * whose client index starts anywhere 8-aligned, then runs a program: move
 * the host's write index anywhere (aligned or not, in range or not),
 * scribble bytes anywhere in the data area (descriptors with any type,
 * offset8, len8), set pending_send_sz and the feature bits, rewrite the
 * client's own read index, receive with any buffer and header capacity,
 * mask and unmask; plus sends on a send ring whose read index the host
 * moves anywhere, and channel messages of any type and length from the
 * host (offers, rescinds - of this channel too -, responses nobody awaits).
 *
 * Checked: ASan/UBSan on every access (buffers are exactly sized); a
 * successful receive fits the caller's buffers and advances the client's
 * index by exactly the packet plus trailer, staying 8-aligned in range;
 * -XEN_EMSGSIZE leaves the packet in place; once the channel is dead every
 * call returns -XEN_EIO; the published indices are always valid; stored
 * offers have a relid in 1..2047 and a monitor id below 128 when monitored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <plat/hyperv.h>
#include <xen/errno.h>
#include "vmbus-fake-host.h"
#include "fuzz-input.h"

#define MAX_OPS 64

#define CHECK(c) do { if (!(c)) { \
    fprintf(stderr, "invariant violated: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
    abort(); } } while (0)

static void on_event(void *arg)
{
}

static void check_indices(const struct vmbus_channel *ch)
{
    CHECK(ch->rx.priv < ch->rx.size && ch->rx.priv % 8 == 0);
    CHECK(ch->tx.priv < ch->tx.size && ch->tx.priv % 8 == 0);
    CHECK(ch->rx.hdr->read_index == ch->rx.priv);
    CHECK(ch->tx.hdr->write_index == ch->tx.priv);
}

static void do_recv(struct vmbus_channel *ch, struct fin *in)
{
    uint32_t buflen = fin_u16(in) % 9000, cap = fin_u8(in);
    bool with_hdr = cap & 1;
    uint8_t *buf = malloc(buflen ? buflen : 1), *hdr = malloc(cap ? cap : 1);
    uint32_t before = ch->rx.priv;
    bool was_dead = ch->dead;
    struct vmbus_pkt_info info;
    int rc;

    CHECK(buf && hdr);
    rc = vmbus_recv_hdr(ch, with_hdr ? hdr : NULL, cap, buf, buflen, &info);
    if (was_dead)
        CHECK(rc == -XEN_EIO);
    switch (rc) {
    case 0:
        if (getenv("FUZZ_VMBUS_TRACE"))
            fprintf(stderr, "recv type %u len %u hdr %u\n", info.type, info.len, info.hdr_len);
        CHECK(info.len <= buflen);
        CHECK(!with_hdr || info.hdr_len <= cap);
        CHECK((info.len + info.hdr_len) % 8 == 0);
        CHECK(ch->rx.priv == (before + 16 + info.hdr_len + info.len + 8) % ch->rx.size);
        break;
    case -XEN_EMSGSIZE:
        CHECK(info.len > buflen || (with_hdr && info.hdr_len > cap));
        CHECK(ch->rx.priv == before);
        break;
    case -XEN_EAGAIN:
        CHECK(ch->rx.priv == before);
        break;
    case -XEN_EIO:
        CHECK(ch->dead);
        break;
    default:
        CHECK(0);
    }
    free(buf);
    free(hdr);
}

static void do_send(struct vmbus_channel *ch, struct fin *in)
{
    static uint8_t data[9000];
    uint32_t len = fin_u16(in) % sizeof(data);
    bool was_dead = ch->dead;
    int rc;

    if (fin_u8(in) & 1)
        ch->tx.hdr->read_index = fin_u32(in);
    rc = vmbus_send(ch, data, len, 1, false);
    if (was_dead)
        CHECK(rc == -XEN_EIO);
    CHECK(rc == 0 || rc == -XEN_EAGAIN || rc == -XEN_EINVAL || rc == -XEN_EIO);
    if (rc == -XEN_EIO)
        CHECK(ch->dead);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin in = { data, size };
    struct vmbus_channel *ch;
    uint32_t rx_pages = 2 + fin_u8(&in) % 4, tx_pages = 2;
    uint8_t *mem, *int_page;

    fh_reset();
    ch = &vmbus_conn.channels[0];
    vmbus_conn.nr_channels = 1;
    ch->relid = 5;
    ch->connection_id = 0x2005;
    ch->dedicated_interrupt = fin_u8(&in) & 1;
    ch->open = true;
    ch->on_event = on_event;
    mem = aligned_alloc(PAGE_SIZE, (size_t)(rx_pages + tx_pages) * PAGE_SIZE);
    int_page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    CHECK(mem && int_page);
    memset(mem, 0, (size_t)(rx_pages + tx_pages) * PAGE_SIZE);
    memset(int_page, 0, PAGE_SIZE);
    vmbus_conn.int_page = int_page;
    CHECK(!vmbus_ring_init(&ch->tx, mem, tx_pages * PAGE_SIZE));
    CHECK(!vmbus_ring_init(&ch->rx, mem + tx_pages * PAGE_SIZE, rx_pages * PAGE_SIZE));

    /* Where the client stands, and what the host put in the ring. */
    ch->rx.priv = (fin_u16(&in) * 8u) % ch->rx.size;
    ch->rx.hdr->read_index = ch->rx.priv;
    ch->rx.hdr->write_index = fin_u32(&in);
    fin_bytes(&in, ch->rx.data, fin_u16(&in) % (ch->rx.size + 1));

    for (unsigned int op = 0; op < MAX_OPS && fin_more(&in); op++) {
        switch (fin_u8(&in) % 9) {
        case 0:
            ch->rx.hdr->write_index = fin_u32(&in);
            break;
        case 1: {
            uint32_t pos = fin_u32(&in) % ch->rx.size, n = fin_u8(&in);

            /* n is read once: MIN evaluates its arguments twice. */
            fin_bytes(&in, ch->rx.data + pos, MIN(n, ch->rx.size - pos));
            break;
        }
        case 2:
        case 3:
            do_recv(ch, &in);
            break;
        case 4:
            ch->rx.hdr->pending_send_sz = fin_u32(&in);
            ch->rx.hdr->feature_bits = fin_u8(&in);
            break;
        case 5:
            /* The host rewrites the client's own index: the client ignores it. */
            ch->rx.hdr->read_index = fin_u32(&in);
            vmbus_ring_read(&ch->rx, 0, NULL, 0);
            ch->rx.hdr->read_index = ch->rx.priv;
            break;
        case 6:
            vmbus_ring_mask(&ch->rx);
            (void)vmbus_ring_unmask(&ch->rx);
            (void)vmbus_ring_pending(&ch->rx);
            break;
        case 7:
            do_send(ch, &in);
            break;
        case 8: {
            uint8_t msg[256];
            uint32_t len = fin_u8(&in);

            memset(msg, 0, sizeof(msg));
            msg[0] = (uint8_t)(fin_u8(&in) % 20);       /* mostly known types */
            fin_bytes(&in, msg + 1, len > 1 ? len - 1 : 0);
            vmbus_handle_message(msg, len);
            for (unsigned int i = 0; i < vmbus_conn.nr_channels; i++) {
                const struct vmbus_channel *c = &vmbus_conn.channels[i];

                CHECK(c->relid > 0 && c->relid < VMBUS_MAX_RELID);
                CHECK(!c->monitored || c->monitor_id < VMBUS_MONITOR_IDS);
            }
            CHECK(vmbus_conn.nr_channels <= VMBUS_MAX_CHANNELS);
            break;
        }
        }
        check_indices(ch);
    }
    free(mem);
    free(int_page);
    return 0;
}
