// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of shim/platform/pc/virtqueue.c against a simulated device that
 * plays the other side of the split ring (virtio 1.1, 2.6): it takes chains
 * from the avail ring by walking the descriptor table and returns them in
 * any order through the used ring. Covers index wraparound past 65536, a
 * full ring, chains, out-of-order completion and a hostile device (bad ids,
 * repeated ids, overlong lengths, a runaway used index, a scribbled
 * descriptor table), plus a randomized stress run with invariant checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <plat/virtqueue.h>
#include <xen/errno.h>

struct fake {
    struct virtq vq;
    struct virtq_desc *desc;
    struct virtq_avail *avail;
    struct virtq_used *used;
    uint16_t dev_avail;             /* device: next avail entry to take */
    unsigned int size;
    void *mem;
};

/* A chain as the device saw it. */
struct seen {
    uint16_t head;
    unsigned int n, n_out, n_in;
    struct virtq_buf buf[VIRTQ_MAX_SIZE];
};

static struct fake *fake_new(unsigned int size)
{
    struct fake *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    f->size = size;
    /* Exact-size areas so ASan catches any access past a ring. */
    f->desc = aligned_alloc(16, ((virtq_desc_bytes(size) + 15) / 16) * 16);
    f->avail = calloc(1, virtq_avail_bytes(size));
    f->used = calloc(1, virtq_used_bytes(size));
    assert_non_null(f->desc);
    memset(f->desc, 0, virtq_desc_bytes(size));
    assert_int_equal(virtq_init(&f->vq, size, f->desc, f->avail, f->used), 0);
    return f;
}

static void fake_free(struct fake *f)
{
    free(f->desc);
    free(f->avail);
    free(f->used);
    free(f);
}

/* Device: take the next published chain; false when there is none. */
static bool dev_pop(struct fake *f, struct seen *s)
{
    uint16_t i;

    if (f->avail->idx == f->dev_avail)
        return false;
    s->head = i = f->avail->ring[f->dev_avail++ % f->size];
    s->n = s->n_out = s->n_in = 0;
    for (;;) {
        const struct virtq_desc *d = &f->desc[i];

        assert_true(i < f->size);
        assert_true(s->n < f->size);        /* a loop in the chain */
        s->buf[s->n++] = (struct virtq_buf){ d->addr, d->len };
        if (d->flags & VIRTQ_DESC_F_WRITE)
            s->n_in++;
        else {
            assert_int_equal(s->n_in, 0);   /* readable before writable */
            s->n_out++;
        }
        if (!(d->flags & VIRTQ_DESC_F_NEXT))
            break;
        i = d->next;
    }
    return true;
}

/* Device: return chain id with length len. */
static void dev_push(struct fake *f, uint32_t id, uint32_t len)
{
    f->used->ring[f->used->idx % f->size] = (struct virtq_used_elem){ id, len };
    f->used->idx++;
}

static int add(struct fake *f, unsigned int n_out, unsigned int n_in, void *token)
{
    struct virtq_buf b[VIRTQ_MAX_SIZE + 1];

    for (unsigned int k = 0; k < n_out + n_in && k <= VIRTQ_MAX_SIZE; k++)
        b[k] = (struct virtq_buf){ 0x1000 * (k + 1) + (uintptr_t)token, 512 };
    return virtq_add(&f->vq, b, n_out, n_in, token);
}

#define TOK(n) ((void *)(uintptr_t)(0x10000 * (n) + 0x100))

static void test_init_rejects_bad_sizes(void **state)
{
    struct virtq vq;
    static struct virtq_desc d[512];
    static uint16_t a[600];
    static uint32_t u[1200];

    assert_int_equal(virtq_init(&vq, 0, d, (void *)a, (void *)u), -XEN_EINVAL);
    assert_int_equal(virtq_init(&vq, 3, d, (void *)a, (void *)u), -XEN_EINVAL);
    assert_int_equal(virtq_init(&vq, 512, d, (void *)a, (void *)u), -XEN_EINVAL);
    assert_int_equal(virtq_init(&vq, 1, d, (void *)a, (void *)u), 0);
    assert_int_equal(virtq_init(&vq, 256, d, (void *)a, (void *)u), 0);
}

static void test_one_chain(void **state)
{
    struct fake *f = fake_new(8);
    struct virtq_buf b[3] = { { 0x1000, 16 }, { 0x2000, 4096 }, { 0x3000, 1 } };
    struct seen s;
    void *tok;
    uint32_t len;

    assert_int_equal(virtq_get(&f->vq, &tok, &len), 0);
    assert_true(virtq_add(&f->vq, b, 1, 2, TOK(1)) >= 0);
    assert_false(dev_pop(f, &s));               /* not published yet */
    assert_true(virtq_publish(&f->vq));
    assert_true(dev_pop(f, &s));
    assert_int_equal(s.n_out, 1);
    assert_int_equal(s.n_in, 2);
    for (unsigned int k = 0; k < 3; k++) {
        assert_int_equal(s.buf[k].addr, b[k].addr);
        assert_int_equal(s.buf[k].len, b[k].len);
    }
    assert_int_equal(f->vq.num_free, 5);
    assert_false(virtq_has_used(&f->vq));
    dev_push(f, s.head, 4097);
    assert_true(virtq_has_used(&f->vq));
    assert_int_equal(virtq_get(&f->vq, &tok, &len), 1);
    assert_ptr_equal(tok, TOK(1));
    assert_int_equal(len, 4097);
    assert_int_equal(f->vq.num_free, 8);
    assert_int_equal(virtq_get(&f->vq, &tok, &len), 0);
    fake_free(f);
}

static void test_bad_adds(void **state)
{
    struct fake *f = fake_new(4);
    struct virtq_buf b[2] = { { 0x1000, 0x80000000u }, { 0x2000, 0x80000000u } };

    assert_int_equal(add(f, 0, 0, TOK(1)), -XEN_EINVAL);     /* empty */
    assert_int_equal(add(f, 1, 0, NULL), -XEN_EINVAL);       /* no token */
    assert_int_equal(virtq_add(&f->vq, b, 0, 2, TOK(1)), -XEN_EINVAL); /* 4 GiB */
    assert_int_equal(add(f, 3, 2, TOK(1)), -XEN_EBUSY);      /* longer than ring */
    assert_int_equal(f->vq.num_free, 4);
    assert_int_equal(f->vq.avail_idx, 0);
    fake_free(f);
}

static void test_full_ring(void **state)
{
    struct fake *f = fake_new(8);
    struct seen s;
    void *tok;
    uint32_t len;

    for (int i = 0; i < 4; i++)
        assert_true(add(f, 1, 1, TOK(i + 1)) >= 0);
    assert_int_equal(add(f, 1, 0, TOK(9)), -XEN_EBUSY);
    assert_int_equal(f->vq.num_free, 0);
    virtq_publish(&f->vq);
    assert_true(dev_pop(f, &s));
    dev_push(f, s.head, 512);
    /* One chain back: exactly two descriptors free again. */
    assert_int_equal(virtq_get(&f->vq, &tok, &len), 1);
    assert_ptr_equal(tok, TOK(1));
    assert_int_equal(add(f, 2, 1, TOK(9)), -XEN_EBUSY);
    assert_true(add(f, 1, 1, TOK(5)) >= 0);
    fake_free(f);
}

static void test_out_of_order(void **state)
{
    struct fake *f = fake_new(16);
    struct seen s[3];
    void *tok;
    uint32_t len;

    assert_true(add(f, 1, 1, TOK(1)) >= 0);
    assert_true(add(f, 2, 3, TOK(2)) >= 0);
    assert_true(add(f, 1, 0, TOK(3)) >= 0);
    virtq_publish(&f->vq);
    for (int i = 0; i < 3; i++)
        assert_true(dev_pop(f, &s[i]));
    assert_int_equal(s[1].n, 5);
    dev_push(f, s[2].head, 0);
    dev_push(f, s[0].head, 512);
    dev_push(f, s[1].head, 1536);
    assert_int_equal(virtq_get(&f->vq, &tok, &len), 1);
    assert_ptr_equal(tok, TOK(3));
    assert_int_equal(virtq_get(&f->vq, &tok, &len), 1);
    assert_ptr_equal(tok, TOK(1));
    assert_int_equal(virtq_get(&f->vq, &tok, &len), 1);
    assert_ptr_equal(tok, TOK(2));
    assert_int_equal(len, 1536);
    /* The free list is whole again: one chain of all 16 fits. */
    assert_int_equal(f->vq.num_free, 16);
    assert_true(add(f, 8, 8, TOK(4)) >= 0);
    fake_free(f);
}

static void test_wraparound(void **state)
{
    struct fake *f = fake_new(4);
    struct seen s[2];
    void *tok;
    uint32_t len;

    /* Two chains per round, completed in reverse, past 2 x 65536 indices. */
    for (unsigned int round = 0; round < 70000; round++) {
        assert_true(add(f, 1, 1, TOK(1)) >= 0);
        assert_true(add(f, 1, 1, TOK(2)) >= 0);
        virtq_publish(&f->vq);
        assert_true(dev_pop(f, &s[0]));
        assert_true(dev_pop(f, &s[1]));
        dev_push(f, s[1].head, 512);
        dev_push(f, s[0].head, 512);
        assert_int_equal(virtq_get(&f->vq, &tok, &len), 1);
        assert_ptr_equal(tok, TOK(2));
        assert_int_equal(virtq_get(&f->vq, &tok, &len), 1);
        assert_ptr_equal(tok, TOK(1));
        assert_int_equal(virtq_get(&f->vq, &tok, &len), 0);
    }
    assert_int_equal(f->avail->idx, (uint16_t)140000);
    assert_int_equal(f->vq.last_used, (uint16_t)140000);
    assert_int_equal(f->vq.num_free, 4);
    fake_free(f);
}

static void test_no_notify(void **state)
{
    struct fake *f = fake_new(4);

    assert_true(add(f, 1, 0, TOK(1)) >= 0);
    f->used->flags = VIRTQ_USED_F_NO_NOTIFY;
    assert_false(virtq_publish(&f->vq));
    f->used->flags = 0;
    assert_true(virtq_publish(&f->vq));
    virtq_set_interrupts(&f->vq, false);
    assert_int_equal(f->avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT);
    virtq_set_interrupts(&f->vq, true);
    assert_int_equal(f->avail->flags, 0);
    fake_free(f);
}

static void expect_broken(struct fake *f)
{
    void *tok = NULL;
    uint32_t len;

    assert_int_equal(virtq_get(&f->vq, &tok, &len), -XEN_EIO);
    assert_null(tok);
    assert_true(f->vq.broken);
    assert_int_equal(virtq_get(&f->vq, &tok, &len), -XEN_EIO);   /* stays broken */
    assert_int_equal(add(f, 1, 0, TOK(7)), -XEN_EINVAL);
}

static void test_hostile_id_out_of_range(void **state)
{
    struct fake *f = fake_new(8);

    assert_true(add(f, 1, 1, TOK(1)) >= 0);
    virtq_publish(&f->vq);
    dev_push(f, 8, 0);
    expect_broken(f);
    fake_free(f);
}

static void test_hostile_id_not_a_head(void **state)
{
    struct fake *f = fake_new(8);
    struct seen s;

    assert_true(add(f, 1, 2, TOK(1)) >= 0);
    virtq_publish(&f->vq);
    assert_true(dev_pop(f, &s));
    dev_push(f, (s.head + 1) % 8, 0);           /* inside the chain, not its head */
    expect_broken(f);
    fake_free(f);
}

static void test_hostile_repeated_id(void **state)
{
    struct fake *f = fake_new(8);
    struct seen s;
    void *tok;
    uint32_t len;

    assert_true(add(f, 1, 1, TOK(1)) >= 0);
    assert_true(add(f, 1, 1, TOK(2)) >= 0);
    virtq_publish(&f->vq);
    assert_true(dev_pop(f, &s));
    dev_push(f, s.head, 0);
    dev_push(f, s.head, 0);                     /* the same chain twice */
    assert_int_equal(virtq_get(&f->vq, &tok, &len), 1);
    assert_ptr_equal(tok, TOK(1));
    expect_broken(f);
    fake_free(f);
}

static void test_hostile_runaway_index(void **state)
{
    struct fake *f = fake_new(8);
    struct seen s;

    assert_true(add(f, 1, 1, TOK(1)) >= 0);
    virtq_publish(&f->vq);
    assert_true(dev_pop(f, &s));
    dev_push(f, s.head, 0);
    f->used->idx += 4;                          /* claims 5 with 1 in flight */
    expect_broken(f);
    fake_free(f);
}

static void test_hostile_len(void **state)
{
    struct fake *f = fake_new(8);
    struct seen s;
    void *tok;
    uint32_t len;

    assert_true(add(f, 2, 2, TOK(1)) >= 0);     /* 1024 writable bytes */
    virtq_publish(&f->vq);
    assert_true(dev_pop(f, &s));
    dev_push(f, s.head, 1025);
    assert_int_equal(virtq_get(&f->vq, &tok, &len), -XEN_EMSGSIZE);
    assert_ptr_equal(tok, TOK(1));
    /* The chain is freed and the queue keeps working. */
    assert_int_equal(f->vq.num_free, 8);
    assert_false(f->vq.broken);
    assert_true(add(f, 1, 1, TOK(2)) >= 0);
    virtq_publish(&f->vq);
    assert_true(dev_pop(f, &s));
    dev_push(f, s.head, 512);
    assert_int_equal(virtq_get(&f->vq, &tok, &len), 1);
    assert_ptr_equal(tok, TOK(2));
    fake_free(f);
}

static void test_scribbled_descriptors(void **state)
{
    struct fake *f = fake_new(8);
    struct seen s;
    void *tok;
    uint32_t len;

    assert_true(add(f, 2, 2, TOK(1)) >= 0);
    virtq_publish(&f->vq);
    assert_true(dev_pop(f, &s));
    /* The device rewrites links and lengths; freeing must not follow them. */
    memset(f->desc, 0xff, virtq_desc_bytes(8));
    dev_push(f, s.head, 0);
    assert_int_equal(virtq_get(&f->vq, &tok, &len), 1);
    assert_int_equal(f->vq.num_free, 8);
    assert_true(add(f, 4, 4, TOK(2)) >= 0);
    virtq_publish(&f->vq);
    assert_true(dev_pop(f, &s));
    assert_int_equal(s.n, 8);
    fake_free(f);
}

static void test_random_stress(void **state)
{
    enum { SIZE = 64, ROUNDS = 200000 };
    struct fake *f = fake_new(SIZE);
    struct { uint16_t head; unsigned int n, writable; void *tok; } pend[SIZE];
    unsigned int npend = 0, ndesc = 0, next_tok = 1;
    uint64_t done = 0;

    srand(12345);
    for (unsigned int r = 0; r < ROUNDS; r++) {
        unsigned int n_out = rand() % 4, n_in = 1 + rand() % 4;
        struct seen s;
        void *tok;
        uint32_t len;
        int rc;

        if (rand() % 3) {
            rc = add(f, n_out, n_in, TOK(next_tok));
            if (rc == -XEN_EBUSY) {
                assert_true(f->vq.num_free < n_out + n_in);
            } else {
                assert_true(rc >= 0 && rc < SIZE);
                next_tok++;
                virtq_publish(&f->vq);
                assert_true(dev_pop(f, &s));
                assert_int_equal(s.head, rc);
                assert_int_equal(s.n, n_out + n_in);
                pend[npend++] = (typeof(pend[0])){ s.head, s.n, 512 * n_in, TOK(next_tok - 1) };
                ndesc += s.n;
            }
        }
        if (npend && rand() % 2) {
            unsigned int k = rand() % npend;

            dev_push(f, pend[k].head, pend[k].writable);
            assert_int_equal(virtq_get(&f->vq, &tok, &len), 1);
            assert_ptr_equal(tok, pend[k].tok);
            assert_int_equal(len, pend[k].writable);
            ndesc -= pend[k].n;
            pend[k] = pend[--npend];
            done++;
        }
        assert_int_equal(f->vq.num_free + ndesc, SIZE);
        assert_int_equal(f->vq.in_flight, npend);
    }
    assert_true(done > 65536);
    fake_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_rejects_bad_sizes),
        cmocka_unit_test(test_one_chain),
        cmocka_unit_test(test_bad_adds),
        cmocka_unit_test(test_full_ring),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_wraparound),
        cmocka_unit_test(test_no_notify),
        cmocka_unit_test(test_hostile_id_out_of_range),
        cmocka_unit_test(test_hostile_id_not_a_head),
        cmocka_unit_test(test_hostile_repeated_id),
        cmocka_unit_test(test_hostile_runaway_index),
        cmocka_unit_test(test_hostile_len),
        cmocka_unit_test(test_scribbled_descriptors),
        cmocka_unit_test(test_random_stress),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
