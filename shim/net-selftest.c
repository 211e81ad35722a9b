// SPDX-License-Identifier: GPL-2.0-only
/*
 * Network provider self-test (nettest=1): drives NIC 0 through plat/net.h
 * only, against QEMU's user-mode network (slirp: gateway 10.0.2.2, DHCP
 * pool from 10.0.2.15), so it checks whichever provider the platform links.
 *
 *  1. malformed transmits are refused without reaching the device;
 *  2. an ARP request for the gateway, waited for by plat_net_poll;
 *  3. a DHCP DISCOVER in three fragments from three frames, the UDP
 *     checksum left to the provider (needs_csum) with its field split across
 *     two fragments; the OFFER is waited for by interrupts only and its IP
 *     and UDP checksums, xid, chaddr and options are checked;
 *  4. a last ARP request is left for its reply to arrive while the guest runs.
 * tests/e2e/virtio-net-selftest.sh checks the log. Frames are built here in
 * shim memory; the provider sees only machine addresses.
 */
#include <arch/layout.h>
#include <arch/x86.h>
#include <plat/net.h>
#include <plat/platform.h>
#include <shim/lib.h>
#include <shim/log.h>
#include <shim/memory.h>
#include <shim/net-selftest.h>
#include <xen/errno.h>

#define NT_TIMEOUT_NS   (2ULL * 1000 * 1000 * 1000)
#define NT_LATE_NS      (500ULL * 1000 * 1000)
#define NT_MAX_FRAME    2048

#define ETH_P_IP        0x0800
#define ETH_P_ARP       0x0806
#define IP_GW           0x0a000202u     /* 10.0.2.2, slirp's gateway and DHCP server */
#define IP_GUEST        0x0a00020fu     /* 10.0.2.15, the first address slirp leases */
#define DHCP_XID        0x58534e54u     /* "XSNT" */
#define BOOTP_LEN       300             /* fixed part + 64-byte vendor area (RFC 951) */
#define DHCP_FRAME_LEN  (14 + 20 + 8 + BOOTP_LEN)

/* Written by the callbacks (interrupt context or plat_net_poll), read by the test. */
static struct {
    bool arp_seen, dhcp_seen, late_armed, late_seen;
    uint32_t arp_len, dhcp_len;
    struct plat_net_rx_meta dhcp_meta;
    uint8_t arp[NT_MAX_FRAME], dhcp[NT_MAX_FRAME];
    unsigned int other;                 /* frames neither ARP reply nor DHCP */
} rx;

struct nt_tx {
    struct plat_net_tx_req req;
    bool done;
    int status;
};

static const uint8_t *our_mac;

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) << 16 | get16(p + 2); }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }

/* One's-complement sum of [p, p + n) (RFC 1071), unfolded, plus sum. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sum += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

static bool is_arp_reply(const uint8_t *f, uint32_t len)
{
    return len >= 42 && get16(f + 12) == ETH_P_ARP && get16(f + 20) == 2;
}

static bool is_dhcp_reply(const uint8_t *f, uint32_t len)
{
    uint32_t ihl;

    if (len < 14 + 20 + 8 || get16(f + 12) != ETH_P_IP || (f[14] >> 4) != 4 || f[23] != 17)
        return false;
    ihl = (f[14] & 15) * 4u;
    return 14 + ihl + 8 <= len && get16(f + 14 + ihl + 2) == 68;
}

static void nt_rx(void *opaque, unsigned int idx, const void *data, uint32_t len,
                  const struct plat_net_rx_meta *m)
{
    const uint8_t *f = data;

    if (len > NT_MAX_FRAME)
        panic("nettest: received a %u-byte frame, above the MTU\n", len);
    if (is_arp_reply(f, len) && get32(f + 28) == IP_GW) {
        if (READ_ONCE(rx.late_armed) && !rx.late_seen) {
            log_info("nettest: late ARP reply received\n");
            rx.late_seen = true;
        } else if (!rx.arp_seen) {
            memcpy(rx.arp, f, len);
            rx.arp_len = len;
            WRITE_ONCE(rx.arp_seen, true);
        }
    } else if (is_dhcp_reply(f, len) && !rx.dhcp_seen) {
        memcpy(rx.dhcp, f, len);
        rx.dhcp_len = len;
        rx.dhcp_meta = *m;
        WRITE_ONCE(rx.dhcp_seen, true);
    } else {
        rx.other++;
    }
}

static void nt_tx_done(struct plat_net_tx_req *r, int status)
{
    struct nt_tx *t = container_of(r, struct nt_tx, req);

    t->status = status;
    WRITE_ONCE(t->done, true);
}

static void nt_late_done(struct plat_net_tx_req *r, int status)
{
    if (status)
        log_warn("nettest: late ARP request completed with status %d\n", status);
}

/* Wait for *flag, by plat_net_poll or by interrupts only. */
static void nt_wait(const bool *flag, bool poll, const char *what)
{
    uint64_t deadline = plat_now_ns() + NT_TIMEOUT_NS;

    while (!READ_ONCE(*flag)) {
        if (plat_now_ns() > deadline)
            panic("nettest: %s: nothing within 2 s %s\n", what,
                  poll ? "of polling" : "of interrupts");
        if (poll)
            plat_net_poll();
        else
            irq_window();
    }
}

static void nt_send(struct nt_tx *t, const struct plat_net_frag *frags, uint32_t n,
                    const struct plat_net_offload *o, const char *what)
{
    int rc;

    t->req = (struct plat_net_tx_req){ .frags = frags, .nr_frags = n, .done = nt_tx_done };
    if (o)
        t->req.offload = *o;
    t->done = false;
    rc = plat_net_tx(0, &t->req);
    if (rc)
        panic("nettest: %s: plat_net_tx returned %d\n", what, rc);
}

static void expect_refused(const struct plat_net_frag *frags, uint32_t n,
                           const struct plat_net_offload *o, int want, const char *what)
{
    struct plat_net_tx_req r = { .frags = frags, .nr_frags = n, .done = nt_tx_done };
    int rc;

    if (o)
        r.offload = *o;
    rc = plat_net_tx(0, &r);
    if (rc != want)
        panic("nettest: %s: plat_net_tx returned %d, expected %d\n", what, rc, want);
}

static void build_eth(uint8_t *f, const uint8_t *dst, uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, our_mac, 6);
    put16(f + 12, type);
}

static void build_arp_request(uint8_t *f)
{
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

    memset(f, 0, 42);
    build_eth(f, bcast, ETH_P_ARP);
    put16(f + 14, 1);                   /* Ethernet */
    put16(f + 16, ETH_P_IP);
    f[18] = 6;
    f[19] = 4;
    put16(f + 20, 1);                   /* request */
    memcpy(f + 22, our_mac, 6);
    put32(f + 28, IP_GUEST);
    put32(f + 38, IP_GW);               /* target hardware address left 0 */
}

/* A DHCP DISCOVER from 0.0.0.0:68 to 255.255.255.255:67 (RFC 2131). */
static void build_dhcp_discover(uint8_t *f)
{
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    uint8_t *ip = f + 14, *udp = ip + 20, *b = udp + 8, *opt = b + 240;
    uint32_t pseudo;

    memset(f, 0, DHCP_FRAME_LEN);
    build_eth(f, bcast, ETH_P_IP);
    ip[0] = 0x45;
    put16(ip + 2, 20 + 8 + BOOTP_LEN);
    ip[8] = 64;                         /* TTL */
    ip[9] = 17;                         /* UDP */
    put32(ip + 16, 0xffffffffu);
    put16(ip + 10, (uint16_t)~csum_fold(csum_add(0, ip, 20)));
    put16(udp, 68);
    put16(udp + 2, 67);
    put16(udp + 4, 8 + BOOTP_LEN);
    b[0] = 1;                           /* BOOTREQUEST */
    b[1] = 1;                           /* Ethernet */
    b[2] = 6;
    put32(b + 4, DHCP_XID);
    put16(b + 10, 0x8000);              /* broadcast reply */
    memcpy(b + 28, our_mac, 6);         /* chaddr */
    put32(b + 236, 0x63825363u);        /* magic cookie */
    opt[0] = 53; opt[1] = 1; opt[2] = 1;            /* DISCOVER */
    opt[3] = 55; opt[4] = 2; opt[5] = 1; opt[6] = 3; /* want netmask, router */
    opt[7] = 255;
    /* The field holds the pseudo-header sum; the provider completes it. */
    pseudo = csum_add(csum_add(0, ip + 12, 8), (const uint8_t[]){ 0, 17 }, 2);
    pseudo += 8 + BOOTP_LEN;
    put16(udp + 6, csum_fold(pseudo));
}

/* Value of DHCP option code in [o, end); -1 if absent or malformed. */
static int dhcp_opt(const uint8_t *o, const uint8_t *end, uint8_t code, const uint8_t **val)
{
    while (o < end && *o != 255) {
        if (*o == 0) {
            o++;
            continue;
        }
        if (o + 2 > end || o + 2 + o[1] > end)
            return -1;
        if (*o == code) {
            *val = o + 2;
            return o[1];
        }
        o += 2 + o[1];
    }
    return -1;
}

static void check_arp(void)
{
    const uint8_t *f = rx.arp;

    if (memcmp(f, our_mac, 6) || memcmp(f + 32, our_mac, 6) || get32(f + 38) != IP_GUEST ||
        get16(f + 14) != 1 || get16(f + 16) != ETH_P_IP || memcmp(f + 6, f + 22, 6))
        panic("nettest: ARP reply with wrong fields\n");
    log_info("nettest: ARP reply: 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x\n",
             f[22], f[23], f[24], f[25], f[26], f[27]);
}

static void check_dhcp(void)
{
    const uint8_t *f = rx.dhcp, *ip = f + 14, *udp, *b, *v;
    uint32_t ihl = (ip[0] & 15) * 4u, ulen, sum;
    int n;

    if (ihl < 20 || 14 + ihl + 8 > rx.dhcp_len || csum_fold(csum_add(0, ip, ihl)) != 0xffff)
        panic("nettest: DHCP reply: bad IP header or header checksum\n");
    udp = ip + ihl;
    ulen = get16(udp + 4);
    if (get16(udp) != 67 || ulen < 8 + 240 || 14 + ihl + ulen > rx.dhcp_len)
        panic("nettest: DHCP reply: bad UDP header (port %u, length %u)\n", get16(udp), ulen);
    if (get16(udp + 6) && !(rx.dhcp_meta.flags & PLAT_NET_RX_CSUM_VALID)) {
        sum = csum_add(csum_add(0, ip + 12, 8), udp, ulen) + 17 + ulen;
        if (csum_fold(sum) != 0xffff)
            panic("nettest: DHCP reply: bad UDP checksum\n");
    }
    b = udp + 8;
    if (b[0] != 2 || get32(b + 4) != DHCP_XID || memcmp(b + 28, our_mac, 6) ||
        get32(b + 236) != 0x63825363u)
        panic("nettest: DHCP reply: not a BOOTREPLY to our xid and chaddr\n");
    n = dhcp_opt(b + 240, udp + ulen, 53, &v);
    if (n != 1 || v[0] != 2)
        panic("nettest: DHCP reply is not an OFFER\n");
    n = dhcp_opt(b + 240, udp + ulen, 54, &v);
    if (n != 4 || get32(v) != IP_GW || get32(b + 16) != IP_GUEST)
        panic("nettest: DHCP OFFER: server or offered address unexpected\n");
    log_info("nettest: DHCP OFFER from 10.0.2.2: yiaddr %u.%u.%u.%u, %u bytes, udp csum %s\n",
             b[16], b[17], b[18], b[19], rx.dhcp_len,
             (rx.dhcp_meta.flags & PLAT_NET_RX_CSUM_VALID) ? "validated by the NIC" : "checked");
}

void net_selftest(void)
{
    const struct plat_net_info *in = plat_net_info(0);
    struct plat_net_frag frag[3], bad;
    struct plat_net_offload o = { 0 };
    static struct nt_tx tx, late;
    uint8_t *a, *b, *c;
    paddr_t pa, pb, pc;

    if (!in)
        panic("nettest: no NIC\n");
    our_mac = in->mac;
    pa = alloc_frames(1, 1); pb = alloc_frames(1, 1); pc = alloc_frames(1, 1);
    a = phys_to_virt(pa); b = phys_to_virt(pb); c = phys_to_virt(pc);
    if (plat_net_set_rx(0, nt_rx, NULL))
        panic("nettest: plat_net_set_rx refused NIC 0\n");

    /* 1. Malformed transmits. */
    frag[0] = (struct plat_net_frag){ pa, 60 };
    expect_refused(frag, 0, NULL, -XEN_EINVAL, "no fragments");
    bad = (struct plat_net_frag){ pa + 4090, 60 };
    expect_refused(&bad, 1, NULL, -XEN_EINVAL, "fragment across a frame");
    bad = (struct plat_net_frag){ pa, 10 };
    expect_refused(&bad, 1, NULL, -XEN_EINVAL, "shorter than an Ethernet header");
    bad = (struct plat_net_frag){ pa, in->mtu + 14u + 4u + 1u };
    expect_refused(&bad, 1, NULL, -XEN_EINVAL, "longer than the MTU");
    o = (struct plat_net_offload){ .needs_csum = true, .csum_start = 34, .csum_offset = 26 };
    expect_refused(frag, 1, &o, -XEN_EINVAL, "checksum field past the end");
    if (!in->tso4) {
        o = (struct plat_net_offload){ .needs_csum = true, .csum_start = 34, .csum_offset = 16,
                                       .gso_type = PLAT_NET_GSO_TCPV4, .gso_size = 1000 };
        expect_refused(frag, 1, &o, -XEN_EOPNOTSUPP, "TSO the NIC does not offer");
    }

    /* 2. ARP for the gateway, by polling. */
    build_arp_request(a);
    frag[0] = (struct plat_net_frag){ pa, 42 };
    nt_send(&tx, frag, 1, NULL, "ARP request");
    nt_wait(&tx.done, true, "ARP request completion");
    if (tx.status)
        panic("nettest: ARP request completed with status %d\n", tx.status);
    nt_wait(&rx.arp_seen, true, "ARP reply");
    check_arp();

    /* 3. DHCP DISCOVER in 3 fragments, UDP checksum field (bytes 40-41) split. */
    build_dhcp_discover(c);
    memcpy(a + PAGE_SIZE - 41, c, 41);
    memcpy(b, c + 41, 59);
    memmove(c + 123, c + 100, DHCP_FRAME_LEN - 100);
    frag[0] = (struct plat_net_frag){ pa + PAGE_SIZE - 41, 41 };
    frag[1] = (struct plat_net_frag){ pb, 59 };
    frag[2] = (struct plat_net_frag){ pc + 123, DHCP_FRAME_LEN - 100 };
    o = (struct plat_net_offload){ .needs_csum = true, .csum_start = 34, .csum_offset = 6 };
    nt_send(&tx, frag, 3, &o, "DHCP DISCOVER");
    nt_wait(&tx.done, false, "DHCP DISCOVER completion");
    if (tx.status)
        panic("nettest: DHCP DISCOVER completed with status %d\n", tx.status);
    nt_wait(&rx.dhcp_seen, false, "DHCP OFFER");
    check_dhcp();
    log_info("nettest: all checks passed (%u other frames seen)\n", rx.other);

    /*
     * 4. One more ARP request; its reply is left to interrupt the guest
     * (interrupts stay off here until the guest runs with IF set).
     */
    build_arp_request(b);
    frag[0] = (struct plat_net_frag){ pb, 42 };
    WRITE_ONCE(rx.late_armed, true);
    late.req = (struct plat_net_tx_req){ .frags = frag, .nr_frags = 1, .done = nt_late_done };
    if (plat_net_tx(0, &late.req))
        panic("nettest: late ARP request refused\n");
    for (uint64_t until = plat_now_ns() + NT_LATE_NS; plat_now_ns() < until;)
        cpu_relax();
}
