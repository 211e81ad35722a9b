// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the xenstore ring (xenbus/xs-ring.c): requests and replies
 * through a struct xenstore_domain_interface on the heap (exact size, so
 * ASan sees any overrun), with free-running indices that wrap, messages
 * split across the ring end and arriving in pieces, a full response ring,
 * replies bigger than the ring, and hostile indices and lengths.
 */
#include <stdio.h>
#include "xs-test.h"

static struct xenstore_domain_interface *R;
/* Response bytes collected so far, and the parse position. */
static uint8_t rsp[1 << 20];
static size_t rsp_len, rsp_pos;

static int ring_setup(void **state)
{
    xs_setup(state);
    free(R);
    R = calloc(1, sizeof(*R));
    assert_non_null(R);
    rsp_len = rsp_pos = 0;
    return 0;
}

static int ring_teardown(void **state)
{
    (void)state;
    free(R);
    R = NULL;
    return 0;
}

static void set_indices(uint32_t v)
{
    R->req_cons = R->req_prod = R->rsp_cons = R->rsp_prod = v;
}

/* Guest side: put as much of data as fits; returns bytes written. */
static uint32_t put_req(const void *data, uint32_t len)
{
    uint32_t room = XENSTORE_RING_SIZE - (R->req_prod - R->req_cons);
    uint32_t n = len < room ? len : room;

    for (uint32_t i = 0; i < n; i++)
        R->req[MASK_XENSTORE_IDX(R->req_prod + i)] = ((const char *)data)[i];
    R->req_prod += n;
    return n;
}

/* Guest side: consume everything in rsp[]. */
static void take_rsp(void)
{
    while (R->rsp_cons != R->rsp_prod) {
        assert_true(rsp_len < sizeof(rsp));
        rsp[rsp_len++] = (uint8_t)R->rsp[MASK_XENSTORE_IDX(R->rsp_cons)];
        R->rsp_cons++;
    }
}

static size_t build(uint8_t *buf, uint32_t type, uint32_t req_id, const void *p,
                    uint32_t len)
{
    struct xsd_sockmsg h = { type, req_id, 0, len };

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), p, len);
    return sizeof(h) + len;
}

/* Send one whole message, servicing the ring as it fills. */
static void send_msg(uint32_t type, uint32_t req_id, const void *p, uint32_t len)
{
    static uint8_t buf[sizeof(struct xsd_sockmsg) + 8192];
    size_t total = build(buf, type, req_id, p, len), done = 0;

    while (done < total) {
        done += put_req(buf + done, (uint32_t)(total - done));
        xs_ring_service(S, R);
        take_rsp();
    }
}

/* Next collected response, or NULL. */
static const struct msg *next_rsp(void)
{
    static struct msg m;

    if (rsp_len - rsp_pos < sizeof(m.h))
        return NULL;
    memcpy(&m.h, rsp + rsp_pos, sizeof(m.h));
    assert_true(m.h.len <= XENSTORE_PAYLOAD_MAX);
    if (rsp_len - rsp_pos < sizeof(m.h) + m.h.len)
        return NULL;
    memcpy(m.d, rsp + rsp_pos + sizeof(m.h), m.h.len);
    m.d[m.h.len] = '\0';
    rsp_pos += sizeof(m.h) + m.h.len;
    return &m;
}

static void expect(uint32_t type, uint32_t req_id, const void *d, uint32_t len)
{
    const struct msg *m = next_rsp();

    assert_non_null(m);
    assert_int_equal(m->h.type, type);
    assert_int_equal(m->h.req_id, req_id);
    assert_int_equal(m->h.len, len);
    assert_memory_equal(m->d, d, len);
}

static void test_ring_basic(void **state)
{
    uint8_t buf[64];
    size_t n = build(buf, XS_READ, 1, "name", 5);

    assert_false(xs_ring_service(S, R));    /* nothing to do */
    put_req(buf, (uint32_t)n);
    assert_true(xs_ring_service(S, R));
    assert_int_equal(R->req_cons, R->req_prod);
    take_rsp();
    expect(XS_READ, 1, "guest", 5);
    assert_null(next_rsp());
    assert_false(xs_ring_service(S, R));
}

static void test_ring_wraparound(void **state)
{
    char path[64];

    /* Indices not starting at 0, wrapping the u32 within the test. */
    set_indices(0xfffffe13u);
    for (uint32_t i = 0; i < 200; i++) {
        snprintf(path, sizeof(path), "data/k%u", i);
        send_msg(XS_WRITE, i, path, (uint32_t)strlen(path) + 1);
        expect(XS_WRITE, i, "OK", 3);
        send_msg(XS_READ, 1000 + i, "name", 5);
        expect(XS_READ, 1000 + i, "guest", 5);
    }
    assert_true(R->req_prod < 0x10000u);    /* it did wrap */
    assert_null(next_rsp());
}

static void test_ring_split_and_partial(void **state)
{
    uint8_t buf[64];
    size_t n = build(buf, XS_READ, 7, "name", 5);

    /* The message straddles the ring end. */
    set_indices(XENSTORE_RING_SIZE - 10);
    put_req(buf, 3);                    /* part of the header */
    assert_true(xs_ring_service(S, R));  /* consumed, no reply */
    assert_int_equal(R->req_cons, R->req_prod);
    take_rsp();
    assert_null(next_rsp());
    put_req(buf + 3, 14);               /* rest of header, 1 payload byte */
    xs_ring_service(S, R);
    take_rsp();
    assert_null(next_rsp());
    put_req(buf + 17, (uint32_t)n - 17);
    assert_true(xs_ring_service(S, R));
    take_rsp();
    expect(XS_READ, 7, "guest", 5);
}

static void test_ring_big_messages(void **state)
{
    static char payload[4096];
    size_t plen = strlen(HOME "/data/big") + 1;
    const struct msg *m;

    /* A 4000-byte value from dom0 and a request bigger than the ring. */
    memcpy(payload, HOME "/data/big", plen);
    memset(payload + plen, 'z', 2000);
    set_indices(0x7ffffff0u);
    send_msg(XS_WRITE, 1, payload, (uint32_t)(plen + 2000));
    expect(XS_WRITE, 1, "OK", 3);
    memset(payload, 'y', 4000);
    assert_int_equal(xs_write_node(S, HOME "/data/big", payload, 4000, NULL, 0), 0);
    /* The 4016-byte reply trickles through the 1024-byte ring. */
    send_msg(XS_READ, 2, "data/big", 9);
    for (int i = 0; i < 10; i++) {
        xs_ring_service(S, R);
        take_rsp();
    }
    m = next_rsp();
    assert_non_null(m);
    assert_int_equal(m->h.len, 4000);
    assert_memory_equal(m->d, payload, 4000);
}

static void test_ring_full_response_ring(void **state)
{
    uint8_t buf[64];
    size_t n = build(buf, XS_READ, 0, "name", 5);
    uint32_t sent = 0;

    /* The guest sends without reading replies. */
    for (int round = 0; round < 40; round++) {
        while (XENSTORE_RING_SIZE - (R->req_prod - R->req_cons) >= n) {
            struct xsd_sockmsg *h = (struct xsd_sockmsg *)buf;

            h->req_id = sent++;
            put_req(buf, (uint32_t)n);
        }
        xs_ring_service(S, R);
        assert_true(R->rsp_prod - R->rsp_cons <= XENSTORE_RING_SIZE);
    }
    assert_int_equal(R->rsp_prod - R->rsp_cons, XENSTORE_RING_SIZE);
    /* Requests stopped being taken once replies could not be queued. */
    assert_true(R->req_prod != R->req_cons);
    /* Now it reads: everything arrives, in order. */
    for (uint32_t got = 0; got < sent;) {
        const struct msg *m;

        take_rsp();
        xs_ring_service(S, R);
        while ((m = next_rsp())) {
            assert_int_equal(m->h.type, XS_READ);
            assert_int_equal(m->h.req_id, got);
            got++;
        }
    }
}

static void test_ring_hostile_indices(void **state)
{
    struct xs_stats st;
    uint8_t buf[64];
    size_t n = build(buf, XS_READ, 3, "name", 5);

    set_indices(100);
    R->req_prod = 100 + XENSTORE_RING_SIZE + 1;
    assert_false(xs_ring_service(S, R));
    assert_int_equal(R->req_cons, 100);
    R->req_prod = 99;                   /* behind the consumer */
    assert_false(xs_ring_service(S, R));
    xs_get_stats(S, &st);
    assert_int_equal(st.ring_errors, 2);
    /* The guest resets its indices; service resumes. */
    set_indices(0);
    put_req(buf, (uint32_t)n);
    R->rsp_cons = 5000;                 /* hostile response consumer */
    assert_true(xs_ring_service(S, R)); /* request taken ... */
    assert_int_equal(R->rsp_prod, 0);   /* ... but rsp[] left alone */
    R->rsp_cons = 0;
    assert_true(xs_ring_service(S, R));
    take_rsp();
    expect(XS_READ, 3, "guest", 5);
}

static void test_ring_hostile_lengths(void **state)
{
    static uint8_t junk[6000];
    struct xsd_sockmsg h = { XS_WRITE, 9, 0, 5000 };
    size_t done = 0;

    /* len > XENSTORE_PAYLOAD_MAX: EINVAL, then the payload is skipped. */
    memcpy(junk, &h, sizeof(h));
    memset(junk + sizeof(h), 0xff, 5000);
    while (done < sizeof(h) + 5000) {
        done += put_req(junk + done, (uint32_t)(sizeof(h) + 5000 - done));
        xs_ring_service(S, R);
        take_rsp();
    }
    expect(XS_ERROR, 9, "EINVAL", 7);
    /* Unknown type with a payload: ENOSYS; the stream stays in sync. */
    send_msg(0x1234, 10, "abc", 3);
    expect(XS_ERROR, 10, "ENOSYS", 7);
    send_msg(XS_READ, 11, "name", 5);
    expect(XS_READ, 11, "guest", 5);
    /* A header with len 0xffffffff. */
    h.len = 0xffffffffu;
    h.req_id = 12;
    put_req(&h, sizeof(h));
    xs_ring_service(S, R);
    take_rsp();
    expect(XS_ERROR, 12, "EINVAL", 7);
}

static void test_ring_watch_events(void **state)
{
    send_msg(XS_WATCH, 5, "device\0tok", 11);
    expect(XS_WATCH, 5, "OK", 3);
    expect(XS_WATCH_EVENT, 0, "device\0tok", 11);
    /* A backend change is queued; the next service delivers it. */
    assert_false(xs_output_pending(S));
    assert_int_equal(xs_write_node(S, HOME "/device/vbd/1/state", "1", 1, NULL, 0), 0);
    assert_true(xs_output_pending(S));
    assert_true(xs_ring_service(S, R));
    assert_false(xs_output_pending(S));
    take_rsp();
    expect(XS_WATCH_EVENT, 0, "device/vbd/1/state\0tok", 23);
    assert_null(next_rsp());
}

/*
 * Random requests, correctly framed, through the ring: every reply must be
 * well formed and the server must stay consistent and answering.
 */
static uint32_t rng_state = 12345;

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 8) % n;
}

static void test_ring_random_requests(void **state)
{
    /* (the NUL inside is deliberate: strings split anywhere) */
    static const char alphabet[] = "ab/\0@-_x.T F0123456789";
    static const uint32_t types[] = { XS_DIRECTORY, XS_READ, XS_GET_PERMS, XS_WATCH,
        XS_UNWATCH, XS_TRANSACTION_START, XS_TRANSACTION_END, XS_WRITE, XS_MKDIR,
        XS_RM, XS_SET_PERMS, XS_DIRECTORY_PART, XS_RESET_WATCHES, XS_INTRODUCE, 77 };
    static char payload[XENSTORE_PAYLOAD_MAX];
    struct xs_stats st;
    const struct msg *m;
    unsigned ok_replies = 0;

    for (unsigned i = 0; i < 4000; i++) {
        uint32_t type = types[rnd(sizeof(types) / sizeof(types[0]))];
        uint32_t len = rnd(8) ? rnd(40) : rnd(XENSTORE_PAYLOAD_MAX + 1);
        uint32_t tx = rnd(4) ? 0 : rnd(4);
        uint8_t buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
        struct xsd_sockmsg h = { type, i, tx, len };
        size_t done = 0;

        for (uint32_t k = 0; k < len; k++)
            payload[k] = alphabet[rnd(sizeof(alphabet) - 1)];
        if (rnd(2) && len > 5)  /* often a plausible relative path */
            memcpy(payload, "data/", 5);
        memcpy(buf, &h, sizeof(h));
        memcpy(buf + sizeof(h), payload, len);
        while (done < sizeof(h) + len) {
            done += put_req(buf + done, (uint32_t)(sizeof(h) + len - done));
            xs_ring_service(S, R);
            if (rnd(3))
                take_rsp();
        }
        while ((m = next_rsp())) {
            assert_true(m->h.type == XS_ERROR || m->h.type == XS_WATCH_EVENT ||
                        m->h.type < XS_TYPE_COUNT);
            if (m->h.type == XS_ERROR)
                assert_int_equal(m->d[m->h.len - 1], '\0');
            else
                ok_replies++;
        }
    }
    assert_true(ok_replies > 400);     /* it did more than fail */
    send_msg(XS_RESET_WATCHES, 1, "", 1);
    for (int k = 0; k < 40; k++) {
        take_rsp();
        xs_ring_service(S, R);
    }
    while ((m = next_rsp()) && m->h.req_id != 1)
        ;
    assert_non_null(m);
    assert_int_equal(m->h.type, XS_RESET_WATCHES);
    xs_get_stats(S, &st);
    assert_int_equal(st.transactions, 0);
    assert_int_equal(st.watches, 0);
    send_msg(XS_READ, 2, "name", 5);
    expect(XS_READ, 2, "guest", 5);
    assert_string_equal(g_read(0, "domid"), "5");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ring_basic, ring_setup, ring_teardown),
        cmocka_unit_test_setup_teardown(test_ring_wraparound, ring_setup, ring_teardown),
        cmocka_unit_test_setup_teardown(test_ring_split_and_partial, ring_setup, ring_teardown),
        cmocka_unit_test_setup_teardown(test_ring_big_messages, ring_setup, ring_teardown),
        cmocka_unit_test_setup_teardown(test_ring_full_response_ring, ring_setup, ring_teardown),
        cmocka_unit_test_setup_teardown(test_ring_hostile_indices, ring_setup, ring_teardown),
        cmocka_unit_test_setup_teardown(test_ring_hostile_lengths, ring_setup, ring_teardown),
        cmocka_unit_test_setup_teardown(test_ring_watch_events, ring_setup, ring_teardown),
        cmocka_unit_test_setup_teardown(test_ring_random_requests, ring_setup, ring_teardown),
    };

    return cmocka_run_group_tests_name("xenstore-ring", tests, NULL, NULL);
}
