/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the netback unit tests (netback-test.c): a fake network
 * provider (transmits complete when the test says so, frames are injected
 * by the test) and the frontend's half of the handshake and of both rings
 * written the way Linux netfront writes them, on the grant-table stub's
 * frames and the real xenstore server.
 */
#ifndef NETBACK_TEST_H
#define NETBACK_TEST_H

#include "grant-stub.h"
#include "../../pvdrivers/netback-priv.h"
#include <shim/evtchn.h>
#include <shim/xenstore.h>

#define NT_DOMID        1
#define NT_FE           "/local/domain/1/device/vif/0"
#define NT_BE           "/local/domain/0/backend/vif/1/0"
#define NT_TX_MFN       (GS_DATA_MFN)
#define NT_RX_MFN       (GS_DATA_MFN + 1)
#define NT_BUF_MFN      (GS_DATA_MFN + 8)       /* data frames from here */
#define NT_TX_GREF      16
#define NT_RX_GREF      17
#define NT_BUF_GREF     64                      /* grant of data frame i */
#define NT_NR_BUFS      64

/* ---- fake provider ---------------------------------------------------------- */

struct fake_tx {
    struct plat_net_tx_req *req;
    struct plat_net_frag frags[PLAT_NET_MAX_FRAGS];     /* copied in plat_net_tx */
};

extern struct plat_net_info fake_nic;
extern unsigned int fake_tx_max;                /* -EBUSY beyond this many */
extern struct fake_tx fake_txq[64];
extern unsigned int fake_nr_tx, fake_nr_submits;
extern plat_net_rx_fn fake_rx_fn;
extern void *fake_rx_opaque;

/* Complete the oldest pending transmit with status. */
void fake_tx_complete(int status);

/* ---- the domain and the frontend -------------------------------------------- */

/* Fresh grant table, xenstore, provider; vif 0 created. */
void nt_reset(void);
int nt_setup(void **state);
struct vif *nt_vif(void);
const char *nt_node(const char *dir, const char *key);
uint64_t nt_be_state(void);
void nt_fe_write(const char *key, const char *val);

grant_ref_t nt_grant_buf(unsigned int i, bool ro);
bool nt_gref_busy(grant_ref_t ref);
uint8_t *nt_buf(unsigned int i);

/* Frontend: rings, unbound port, the keys netfront writes, Connected. */
void nt_connect(void);
evtchn_port_t nt_port(void);
struct netif_tx_sring *nt_tx(void);
struct netif_rx_sring *nt_rx(void);

/* TX: put a slot (not yet published); publish and notify. */
void nt_tx_put(grant_ref_t gref, uint16_t off, uint16_t flags, uint16_t id, uint16_t size);
void nt_tx_put_extra(const struct netif_extra_info *x);
void nt_tx_push(void);
unsigned int nt_tx_responses(void);
struct netif_tx_response nt_tx_take(void);

/* RX: post buffer i with id; publish. */
void nt_rx_post(grant_ref_t gref, uint16_t id);
void nt_rx_push(void);
unsigned int nt_rx_responses(void);
struct netif_rx_response nt_rx_take(void);

/* An Ethernet + IPv4 + TCP frame of len bytes (len >= 54) in buf. */
void nt_tcp4_frame(uint8_t *buf, uint32_t len);

#endif
