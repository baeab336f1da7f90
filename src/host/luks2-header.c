/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>

#include "base64url.h"
#include "dl.h"
#include "luks2-header.h"
#include "util.h"

#define LUKS2_TOKENS_MAX 32 /* as in libcryptsetup */
#define PCR_MAX 23
#define CLEVIS_DEPTH_MAX 4 /* sss inside sss inside ... */

static void json_putp(json_object **j)
{
        if (*j)
                sym_json_object_put(*j);
}

static void crypt_freep(struct crypt_device **cd)
{
        if (*cd)
                sym_crypt_free(*cd);
}

/* libcryptsetup prints its errors by default; the plan says what went wrong itself. */
static void quiet(int level, const char *msg, void *userdata)
{
}

static json_object *member(json_object *o, const char *key, json_type type)
{
        json_object *v = NULL;

        if (!o || !sym_json_object_object_get_ex(o, key, &v) || !sym_json_object_is_type(v, type))
                return NULL;
        return v;
}

static uint32_t pcr_bit(int64_t n)
{
        return n >= 0 && n <= PCR_MAX ? UINT32_C(1) << n : 0;
}

/* An array of numbers, or of strings of digits. */
static uint32_t pcr_array(json_object *a)
{
        uint32_t mask = 0;
        size_t n = a ? sym_json_object_array_length(a) : 0;

        for (size_t i = 0; i < n; i++) {
                json_object *v = sym_json_object_array_get_idx(a, i);

                if (sym_json_object_is_type(v, json_type_int))
                        mask |= pcr_bit(sym_json_object_get_int64(v));
                else if (sym_json_object_is_type(v, json_type_string) &&
                         all_digits(sym_json_object_get_string(v)))
                        mask |= pcr_bit(strtol(sym_json_object_get_string(v), NULL, 10));
        }
        return mask;
}

/* clevis's "pcr_ids": "0,7" (a string, as clevis-encrypt-tpm2 stores it) or a list. */
static uint32_t pcr_ids(json_object *tpm2)
{
        json_object *v = NULL;
        const char *s;
        uint32_t mask = 0;

        if (!sym_json_object_object_get_ex(tpm2, "pcr_ids", &v) || !v)
                return 0;
        if (sym_json_object_is_type(v, json_type_array))
                return pcr_array(v);
        if (!sym_json_object_is_type(v, json_type_string))
                return 0;
        s = sym_json_object_get_string(v);
        while (*s) {
                char *end;
                long n = strtol(s, &end, 10);

                if (end == s) {
                        s++;
                        continue;
                }
                mask |= pcr_bit(n);
                s = end;
        }
        return mask;
}

static bool clevis_pin(json_object *clevis, unsigned depth, struct luks_tpm2 *t, bool *found);

/* One JWE: the JSON form ({"protected": "..."}) or the compact one ("PROTECTED.KEY.IV..."). */
static bool clevis_jwe(json_object *jwe, unsigned depth, struct luks_tpm2 *t, bool *found)
{
        _cleanup_(json_putp) json_object *header = NULL;
        _cleanup_free_ char *text = NULL;
        json_object *p;
        const char *s;
        size_t len;

        if (sym_json_object_is_type(jwe, json_type_string))
                s = sym_json_object_get_string(jwe);
        else if ((p = member(jwe, "protected", json_type_string)))
                s = sym_json_object_get_string(p);
        else
                return false;
        if (base64url_decode(s, strcspn(s, "."), &text, &len) < 0 || strlen(text) != len)
                return false;
        header = sym_json_tokener_parse(text);
        return clevis_pin(member(header, "clevis", json_type_object), depth, t, found);
}

/* Whether the pin unlocks after kexec; *found is set when it needs a PCR-bound tpm2 pin. */
static bool clevis_pin(json_object *clevis, unsigned depth, struct luks_tpm2 *t, bool *found)
{
        json_object *pin = member(clevis, "pin", json_type_string), *sss, *list, *threshold;
        const char *name;
        int64_t need = 1;
        size_t n, unlocking = 0;

        if (!pin || depth > CLEVIS_DEPTH_MAX)
                return false;
        name = sym_json_object_get_string(pin);
        if (streq(name, "tpm2")) {
                uint32_t mask = pcr_ids(member(clevis, "tpm2", json_type_object));

                t->pcrs |= mask;
                if (!mask)
                        t->tpm2_no_pcrs++;
                *found = *found || mask;
                return !mask;
        }
        if (!streq(name, "sss"))
                return true; /* tang and the others do not look at the PCRs */
        sss = member(clevis, "sss", json_type_object);
        list = member(sss, "jwe", json_type_array);
        threshold = member(sss, "t", json_type_int);
        if (threshold)
                need = sym_json_object_get_int64(threshold);
        n = list ? sym_json_object_array_length(list) : 0;
        for (size_t i = 0; i < n; i++)
                unlocking +=
                        clevis_jwe(sym_json_object_array_get_idx(list, i), depth + 1, t, found);
        return need >= 1 && unlocking >= (size_t)need;
}

static void read_token(const char *json, struct luks_tpm2 *t)
{
        _cleanup_(json_putp) json_object *token = sym_json_tokener_parse(json);
        json_object *type = member(token, "type", json_type_string), *lock;
        const char *name = type ? sym_json_object_get_string(type) : "";

        if (streq(name, "systemd-tpm2")) {
                uint32_t mask = pcr_array(member(token, "tpm2-pcrs", json_type_array)) |
                                pcr_array(member(token, "tpm2_pubkey_pcrs", json_type_array));

                lock = member(token, "tpm2_pcrlock", json_type_boolean);
                t->systemd_tpm2++;
                t->pcrs |= mask;
                if (lock && sym_json_object_get_boolean(lock))
                        t->pcrlock = true;
                else if (!mask)
                        t->tpm2_no_pcrs++;
        } else if (streq(name, "clevis")) {
                json_object *jwe = member(token, "jwe", json_type_object);
                bool found = false;

                if (clevis_jwe(jwe, 0, t, &found))
                        t->clevis_survives = true;
                if (found)
                        t->clevis_tpm2++;
        }
}

int luks_tpm2_read(const struct root *r, const char *path, struct luks_tpm2 *ret,
                   const char **ret_why)
{
        _cleanup_(crypt_freep) struct crypt_device *cd = NULL;
        _cleanup_close_ int fd = -1;
        struct luks_tpm2 t = {};
        const char *type;
        char proc[64];
        int err;

        *ret_why = NULL;
        err = dl_cryptsetup(ret_why);
        if (err < 0)
                return err;
        /* Opened through the root, so that links in a fixture tree stay inside it; the
         * library reads the header through the descriptor. */
        fd = root_open(r, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return fd;
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        sym_crypt_set_log_callback(NULL, quiet, NULL);
        err = sym_crypt_init(&cd, proc);
        if (err < 0)
                return err;
        err = sym_crypt_load(cd, CRYPT_LUKS, NULL);
        if (err < 0)
                return err == -ENOMEM ? err : -EINVAL;
        type = sym_crypt_get_type(cd);
        t.luks2 = type && streq(type, CRYPT_LUKS2);
        for (int id = 0; t.luks2 && id < LUKS2_TOKENS_MAX; id++) {
                const char *json = NULL;

                /* A free token slot is -EINVAL or -ENOENT, by version. */
                if (sym_crypt_token_json_get(cd, id, &json) >= 0 && json)
                        read_token(json, &t);
        }
        *ret = t;
        return 0;
}

char *pcr_mask_to_string(uint32_t mask)
{
        char buf[3 * (PCR_MAX + 1) + 1] = "";
        size_t n = 0;

        for (unsigned i = 0; i <= PCR_MAX; i++)
                if (mask & UINT32_C(1) << i)
                        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%u", n ? "+" : "", i);
        return strdup(buf);
}
