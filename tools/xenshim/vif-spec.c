// SPDX-License-Identifier: GPL-2.0-only
/*
 * xl vif specs (xl-network-configuration(5)) for `xenshim run` (see
 * xl-devices.h). Like xl (parse_nic_config in tools/xl/xl_parse.c) the spec
 * is a comma-separated list of key=value parameters, empty ones skipped.
 * The shim's vif is backed by a QEMU NIC, so only mac= and bridge= have a
 * meaning; the parameters xl hands to hotplug scripts or to an HVM device
 * model are reported as ignored, one line each.
 */
#include <stdlib.h>
#include <string.h>

#include "xl-devices.h"

#define IFNAMSIZ 16 /* Linux interface names, including the NUL */

static void ignored(FILE *warn, const char *where, const char *spec, const char *what,
                    const char *why)
{
    if (warn)
        fprintf(warn, "xenshim: %s: vif '%s': %s ignored: %s\n", where, spec, what, why);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int vif_parse_mac(const char *s, uint8_t mac[6])
{
    char sep = 0;
    int i, h;

    for (i = 0; i < 6; i++) {
        if (i) {
            if ((*s != ':' && *s != '-') || (sep && *s != sep))
                return -1;
            sep = *s++;
        }
        h = hexval(*s++);
        if (h < 0)
            return -1;
        mac[i] = (uint8_t)h;
        h = hexval(*s);
        if (h >= 0) {
            mac[i] = (uint8_t)(mac[i] << 4 | h);
            s++;
        }
    }
    if (*s || (mac[0] & 1))
        return -1; /* trailing text, or a multicast address */
    for (i = 0; i < 6; i++)
        if (mac[i])
            return 0;
    return -1;
}

void vif_default_mac(const char *name, unsigned int index, unsigned int salt,
                     uint8_t mac[6])
{
    /*
     * FNV-1a, 32 bits, of "name/index/salt", hashed as two pieces: the
     * key used to be formatted into a fixed buffer, so a long name cut off
     * index and salt, every salt gave the same MAC, and xl_domain_finish
     * looped forever looking for a free one (found by
     * tests/fuzz/fuzz-xl-config.c). Same hash as before for short names.
     */
    char suffix[32];
    uint32_t h = 2166136261u;
    const char *pieces[2] = { name, suffix };

    snprintf(suffix, sizeof(suffix), "/%u/%u", index, salt);
    for (unsigned int i = 0; i < 2; i++) {
        for (const char *p = pieces[i]; *p; p++) {
            h ^= (uint8_t)*p;
            h *= 16777619u;
        }
    }
    /* 00:16:3e is Xen's OUI, the prefix xl uses for generated MACs. */
    mac[0] = 0x00;
    mac[1] = 0x16;
    mac[2] = 0x3e;
    mac[3] = (uint8_t)(h >> 16) & 0x7f; /* xl keeps the top bit clear too */
    mac[4] = (uint8_t)(h >> 8);
    mac[5] = (uint8_t)h;
}

bool vif_is_user(const struct vif_spec *v)
{
    return !v->bridge || !strcmp(v->bridge, "user");
}

static bool bridge_name_ok(const char *s)
{
    size_t n = strlen(s);

    return n > 0 && n < IFNAMSIZ && !strpbrk(s, "/,:= \t\n") && strcmp(s, ".") &&
           strcmp(s, "..");
}

/* xl parameters with no meaning for a QEMU-backed vif, and why. */
static const struct {
    const char *name, *why;
} unsupported[] = {
    { "model", "the guest sees a Xen PV vif (backed by virtio-net)" },
    { "ip", "addresses are configured inside the guest (QEMU user networking "
            "offers DHCP)" },
    { "script", "hotplug scripts are not run" },
    { "vifname", "there is no backend interface on the host" },
    { "gatewaydev", "hotplug scripts are not run" },
    { "netdev", "hotplug scripts are not run" },
    { "backend", "there are no driver domains under the shim" },
    { "rate", "rate limiting is not supported" },
    { "accel", "not supported by xl either" },
    { "devid", "vifs are numbered in list order" },
    { "mtu", "the MTU is set inside the guest" },
    { "vlan", "VLANs are not supported" },
    { "forwarddev", "COLO is not supported" },
};

static int param(char *tok, struct vif_spec *v, const char *where, const char *spec,
                 FILE *warn, char *err, size_t errlen)
{
    char *value = strchr(tok, '='), *end;
    size_t i;

    if (!value) {
        if (!strcmp(tok, "trusted") || !strcmp(tok, "untrusted"))
            ignored(warn, where, spec, tok, "advisory only");
        else
            ignored(warn, where, spec, tok, "not a vif parameter");
        return 0;
    }
    *value++ = '\0';
    end = value + strlen(value);
    while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    if (!strcmp(tok, "mac")) {
        if (vif_parse_mac(value, v->mac)) {
            snprintf(err, errlen, "vif '%s': bad mac '%s' (expected six hex bytes "
                     "like 00:16:3e:12:34:56, not multicast, not zero)", spec, value);
            return -1;
        }
        v->mac_set = true;
    } else if (!strcmp(tok, "bridge")) {
        if (!bridge_name_ok(value)) {
            snprintf(err, errlen, "vif '%s': bad bridge '%s' (expected an interface "
                     "name of 1 to 15 characters, or 'user')", spec, value);
            return -1;
        }
        free(v->bridge);
        v->bridge = strdup(value);
        if (!v->bridge) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    } else if (!strcmp(tok, "type")) {
        if (!strcmp(value, "ioemu")) {
            ignored(warn, where, spec, "type=ioemu",
                    "PV guests have no emulated NIC; the guest sees a Xen PV vif");
        } else if (strcmp(value, "vif")) {
            snprintf(err, errlen, "vif '%s': unknown type '%s' (expected vif or ioemu)",
                     spec, value);
            return -1;
        }
    } else {
        for (i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
            if (!strcmp(tok, unsupported[i].name))
                break;
        value[-1] = '=';
        value[0] = '\0'; /* report "name=" */
        ignored(warn, where, spec, tok,
                i < sizeof(unsupported) / sizeof(unsupported[0]) ? unsupported[i].why :
                !strncmp(tok, "colo_", 5) ? "COLO is not supported" : "not a vif parameter");
    }
    return 0;
}

int vif_spec_parse(const char *spec, struct vif_spec *v, const char *where,
                   FILE *warn, char *err, size_t errlen)
{
    char *buf, *tok, *save = NULL;

    memset(v, 0, sizeof(*v));
    buf = strdup(spec);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        tok += strspn(tok, " ");
        if (!*tok)
            continue;
        if (param(tok, v, where, spec, warn, err, errlen)) {
            free(buf);
            vif_spec_free(v);
            return -1;
        }
    }
    free(buf);
    return 0;
}

void vif_spec_free(struct vif_spec *v)
{
    free(v->bridge);
    memset(v, 0, sizeof(*v));
}
