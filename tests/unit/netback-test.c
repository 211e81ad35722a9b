// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers of the netback unit tests (see netback-test.h): the fake network
 * provider, the frontend's side, and the two netback hooks that reach the
 * CPU and the store ring in the shim (netback.c, not linked here).
 */
#include <stdio.h>
#include <xen/errno.h>
#include "netback-test.h"

struct plat_net_info fake_nic;
unsigned int fake_tx_max;
struct fake_tx fake_txq[64];
unsigned int fake_nr_tx, fake_nr_submits;
plat_net_rx_fn fake_rx_fn;
void *fake_rx_opaque;

unsigned int plat_net_count(void)
{
    return 1;
}

const struct plat_net_info *plat_net_info(unsigned int idx)
{
    return idx == 0 ? &fake_nic : NULL;
}

int plat_net_tx(unsigned int idx, struct plat_net_tx_req *req)
{
    uint32_t total = 0;

    assert_int_equal(idx, 0);
    if (fake_nr_tx >= fake_tx_max)
        return -XEN_EBUSY;
    if (!req->nr_frags || req->nr_frags > fake_nic.max_frags)
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < req->nr_frags; i++) {
        const struct plat_net_frag *f = &req->frags[i];

        if (!f->len || (f->addr & 4095) + f->len > 4096)
            return -XEN_EINVAL;
        total += f->len;
    }
    if (total < PLAT_NET_ETH_HLEN)
        return -XEN_EINVAL;
    fake_txq[fake_nr_tx].req = req;
    memcpy(fake_txq[fake_nr_tx].frags, req->frags, req->nr_frags * sizeof(req->frags[0]));
    fake_nr_tx++;
    fake_nr_submits++;
    return 0;
}

int plat_net_set_rx(unsigned int idx, plat_net_rx_fn fn, void *opaque)
{
    if (idx != 0)
        return -XEN_ENODEV;
    fake_rx_fn = fn;
    fake_rx_opaque = opaque;
    return 0;
}

void fake_tx_complete(int status)
{
    struct plat_net_tx_req *req;

    assert_true(fake_nr_tx > 0);
    req = fake_txq[0].req;
    memmove(&fake_txq[0], &fake_txq[1], (fake_nr_tx - 1) * sizeof(fake_txq[0]));
    fake_nr_tx--;
    req->done(req, status);
}

void netback_tlb_sync(void)
{
    (void)mm_take_tlb_flush_request();
}

void netback_xs_kick(struct domain *d)
{
    (void)d;
}

/* ---- the domain and the frontend -------------------------------------------- */

static struct shared_info shared;
static uint32_t tx_prod_pvt, tx_rsp_cons, rx_prod_pvt, rx_rsp_cons;
static evtchn_port_t fe_port;

void nt_reset(void)
{
    struct shim_vif cfg = { .idx = 0, .mac = { 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03 } };

    gs_reset();
    memset(&shared, 0, sizeof(shared));
    gs_dom.shared_info = &shared;
    gs_dom.vcpus[0].vcpu_info = &shared.vcpu_info[0];
    gs_dom.xs = xs_server_init(NT_DOMID);
    xs_populate_domu(gs_dom.xs, NT_DOMID, "guest", 1024, 1);
    fake_nic = (struct plat_net_info){ .mac = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 },
        .mtu = 1500, .max_frags = 18, .tx_csum = true, .rx_csum = true, .tso4 = true };
    fake_tx_max = 64;
    fake_nr_tx = fake_nr_submits = 0;
    fake_rx_fn = NULL;
    netback_nr_vifs = 0;
    assert_non_null(netback_vif_create(&gs_dom, &cfg, &fake_nic));
    tx_prod_pvt = tx_rsp_cons = rx_prod_pvt = rx_rsp_cons = 0;
    fe_port = 0;
}

int nt_setup(void **state)
{
    (void)state;
    nt_reset();
    return 0;
}

struct vif *nt_vif(void)
{
    return &netback_vifs[0];
}

const char *nt_node(const char *dir, const char *key)
{
    static char buf[256];
    char path[128];

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    if (xs_read_node(gs_dom.xs, path, buf, sizeof(buf)) < 0)
        return "!missing";
    return buf;
}

uint64_t nt_be_state(void)
{
    uint64_t st = 99;

    assert_int_equal(xs_read_uint(gs_dom.xs, NT_BE "/state", &st), 0);
    return st;
}

void nt_fe_write(const char *key, const char *val)
{
    char path[128];

    snprintf(path, sizeof(path), NT_FE "/%s", key);
    assert_int_equal(xs_write_node(gs_dom.xs, path, val, strlen(val), NULL, 0), 0);
}

grant_ref_t nt_grant_buf(unsigned int i, bool ro)
{
    assert_true(i < NT_NR_BUFS);
    gs_grant_v1(NT_BUF_GREF + i, 0, (uint32_t)(NT_BUF_MFN + i),
                GTF_permit_access | (ro ? GTF_readonly : 0));
    return NT_BUF_GREF + i;
}

bool nt_gref_busy(grant_ref_t ref)
{
    return __atomic_load_n(&gs_v1(ref)->flags, __ATOMIC_SEQ_CST) & (GTF_reading | GTF_writing);
}

uint8_t *nt_buf(unsigned int i)
{
    return mfn_to_virt(NT_BUF_MFN + i);
}

void nt_connect(void)
{
    char val[16];
    int port;

    memset(nt_tx(), 0, PAGE_SIZE);
    memset(nt_rx(), 0, PAGE_SIZE);
    nt_tx()->req_event = nt_tx()->rsp_event = 1;        /* SHARED_RING_INIT */
    nt_rx()->req_event = nt_rx()->rsp_event = 1;
    gs_grant_v1(NT_TX_GREF, 0, NT_TX_MFN, GTF_permit_access);
    gs_grant_v1(NT_RX_GREF, 0, NT_RX_MFN, GTF_permit_access);
    port = evtchn_alloc(&gs_dom);
    assert_true(port > 0);
    gs_dom.evtchn[port].state = ECS_UNBOUND;
    fe_port = (evtchn_port_t)port;
    snprintf(val, sizeof(val), "%u", NT_TX_GREF);
    nt_fe_write("tx-ring-ref", val);
    snprintf(val, sizeof(val), "%u", NT_RX_GREF);
    nt_fe_write("rx-ring-ref", val);
    snprintf(val, sizeof(val), "%u", fe_port);
    nt_fe_write("event-channel", val);
    nt_fe_write("multi-queue-num-queues", "1");
    nt_fe_write("request-rx-copy", "1");
    nt_fe_write("feature-rx-notify", "1");
    nt_fe_write("feature-sg", "1");
    nt_fe_write("feature-gso-tcpv4", "1");
    nt_fe_write("state", "4");
}

evtchn_port_t nt_port(void)
{
    return fe_port;
}

struct netif_tx_sring *nt_tx(void)
{
    return mfn_to_virt(NT_TX_MFN);
}

struct netif_rx_sring *nt_rx(void)
{
    return mfn_to_virt(NT_RX_MFN);
}

void nt_tx_put(grant_ref_t gref, uint16_t off, uint16_t flags, uint16_t id, uint16_t size)
{
    struct netif_tx_request *r = &nt_tx()->ring[tx_prod_pvt++ & 255].req;

    *r = (struct netif_tx_request){ .gref = gref, .offset = off, .flags = flags,
                                    .id = id, .size = size };
}

void nt_tx_put_extra(const struct netif_extra_info *x)
{
    memcpy(&nt_tx()->ring[tx_prod_pvt++ & 255], x, sizeof(*x));
}

void nt_tx_push(void)
{
    __atomic_store_n(&nt_tx()->req_prod, tx_prod_pvt, __ATOMIC_RELEASE);
    netback_notify(&gs_dom, 0);
}

unsigned int nt_tx_responses(void)
{
    return __atomic_load_n(&nt_tx()->rsp_prod, __ATOMIC_ACQUIRE) - tx_rsp_cons;
}

struct netif_tx_response nt_tx_take(void)
{
    assert_true(nt_tx_responses() > 0);
    nt_tx()->rsp_event = tx_rsp_cons + 2;
    return nt_tx()->ring[tx_rsp_cons++ & 255].rsp;
}

void nt_rx_post(grant_ref_t gref, uint16_t id)
{
    nt_rx()->ring[rx_prod_pvt++ & 255].req = (struct netif_rx_request){ .id = id, .gref = gref };
}

void nt_rx_push(void)
{
    __atomic_store_n(&nt_rx()->req_prod, rx_prod_pvt, __ATOMIC_RELEASE);
}

unsigned int nt_rx_responses(void)
{
    return __atomic_load_n(&nt_rx()->rsp_prod, __ATOMIC_ACQUIRE) - rx_rsp_cons;
}

struct netif_rx_response nt_rx_take(void)
{
    assert_true(nt_rx_responses() > 0);
    nt_rx()->rsp_event = rx_rsp_cons + 2;
    return nt_rx()->ring[rx_rsp_cons++ & 255].rsp;
}

void nt_tcp4_frame(uint8_t *buf, uint32_t len)
{
    memset(buf, 0, len);
    memset(buf, 0xff, 6);                   /* dst */
    buf[12] = 0x08;                         /* IPv4 */
    buf[14] = 0x45;
    buf[14 + 2] = (uint8_t)((len - 14) >> 8);
    buf[14 + 3] = (uint8_t)(len - 14);
    buf[14 + 8] = 64;
    buf[14 + 9] = 6;                        /* TCP */
    for (uint32_t i = 54; i < len; i++)
        buf[i] = (uint8_t)i;
}
