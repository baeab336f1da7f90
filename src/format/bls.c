/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bls.h"
#include "grubenv.h"
#include "util.h"
#include "version.h"

#define BLS_LINE_MAX 4096

/* A growing string; s is NULL until the first byte is added. */
struct buf {
        char *s;
        size_t len, cap;
};

static int buf_add(struct buf *b, const char *p, size_t n)
{
        if (b->len + n + 1 > b->cap) {
                size_t cap = (b->len + n + 1) * 2;
                char *s = realloc(b->s, cap);
                if (!s)
                        return -ENOMEM;
                b->s = s;
                b->cap = cap;
        }
        memcpy(b->s + b->len, p, n);
        b->len += n;
        b->s[b->len] = 0;
        return 0;
}

static bool is_blank(char c)
{
        return c == ' ' || c == '\t';
}

static bool is_name_char(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
}

static bool is_key_char(char c)
{
        return is_name_char(c) || c == '-';
}

/* Appends the value of the variable named by n bytes at name; unknown names add nothing. */
static int buf_add_variable(struct buf *b, char *const *env, const char *name, size_t n)
{
        _cleanup_free_ char *key = strndup(name, n);
        const char *v;

        if (!key)
                return -ENOMEM;
        v = env_get(env, key);
        return v ? buf_add(b, v, strlen(v)) : 0;
}

/* Expands "$name" and "${name}" the way GRUB's script would, and nothing else: no quoting,
 * no recursion. A "$" that starts no name, and an unterminated "${", stay as written. */
static int expand_variables(const char *s, char *const *env, struct buf *out)
{
        while (*s) {
                const char *dollar = strchr(s, '$');
                const char *name, *end;
                int r;

                if (!dollar)
                        return buf_add(out, s, strlen(s));
                r = buf_add(out, s, dollar - s);
                if (r < 0)
                        return r;

                if (dollar[1] == '{' && (end = strchr(dollar + 2, '}'))) {
                        name = dollar + 2;
                        s = end + 1;
                } else if (is_name_char(dollar[1])) {
                        name = end = dollar + 1;
                        while (is_name_char(*end))
                                end++;
                        s = end;
                } else {
                        r = buf_add(out, "$", 1);
                        if (r < 0)
                                return r;
                        s = dollar + 1;
                        continue;
                }
                r = buf_add_variable(out, env, name, end - name);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int set_string(char **field, const char *value)
{
        char *s = strdup(value);
        if (!s)
                return -ENOMEM;
        free(*field);
        *field = s;
        return 0;
}

static int bad_line(char **ret_error, const char *file, unsigned line, const char *what)
{
        /* Parsing stops at the first error, so this runs at most once per call. */
        if (ret_error)
                *ret_error = strdup_printf("%s:%u: %s", file ?: "(entry)", line, what);
        return -EBADMSG;
}

/* Checks one line (without its newline) and splits it into key and value, both pointing
 * into a copy in *ret_copy. Returns 0 with *ret_key NULL for blank lines and comments. */
static int split_line(const char *p, size_t n, const char *file, unsigned line, char **ret_copy,
                      const char **ret_key, const char **ret_value, char **ret_error)
{
        char *s, *key, *value, *end;

        if (n > 0 && p[n - 1] == '\r') /* CRLF, as written by an editor on another system */
                n--;
        if (n > BLS_LINE_MAX)
                return bad_line(ret_error, file, line, "line is longer than 4096 bytes.");
        for (size_t i = 0; i < n; i++)
                if (((unsigned char)p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f)
                        return bad_line(ret_error, file, line,
                                        "control character in line; entries are plain text.");

        s = strndup(p, n);
        if (!s)
                return -ENOMEM;
        *ret_copy = s;
        *ret_key = NULL;

        key = s;
        while (is_blank(*key))
                key++;
        if (*key == '\0' || *key == '#')
                return 0;

        value = key;
        while (is_key_char(*value))
                value++;
        if (!is_blank(*value))
                return bad_line(ret_error, file, line, "expected \"key value\".");
        *value++ = '\0';
        while (is_blank(*value))
                value++;
        end = value + strlen(value);
        while (end > value && is_blank(end[-1]))
                *--end = '\0';
        if (*value == '\0')
                /* GRUB's blscfg stops reading the file at such a line, systemd-boot skips it:
                 * the two would boot different things. */
                return bad_line(ret_error, file, line, "expected \"key value\".");

        *ret_key = key;
        *ret_value = value;
        return 0;
}

/* RHEL 8 writes "initrd /initramfs-R.img $tuned_initrd": GRUB expands the line and takes
 * every word as an image, in order. */
static int add_initrds(struct boot_entry *e, const char *value, char *const *env)
{
        struct buf expanded = {};
        int r = expand_variables(value, env, &expanded);

        for (char *p = expanded.s; r >= 0 && p && *p;) {
                size_t n;

                while (is_blank(*p))
                        p++;
                n = strcspn(p, " \t");
                if (n > 0) {
                        char *word = strndup(p, n);
                        r = word ? strv_push(&e->initrds, word) : -ENOMEM;
                }
                p += n;
        }
        free(expanded.s);
        return r;
}

static int apply_key(struct boot_entry *e, struct buf *options, bool *have_options, const char *key,
                     const char *value, char *const *env)
{
        if (streq(key, "title"))
                return set_string(&e->title, value);
        if (streq(key, "version"))
                return set_string(&e->version, value);
        if (streq(key, "machine-id"))
                return set_string(&e->machine_id, value);
        if (streq(key, "sort-key"))
                return set_string(&e->sort_key, value);
        if (streq(key, "linux"))
                return set_string(&e->kernel, value);
        if (streq(key, "initrd"))
                return add_initrds(e, value, env);
        if (streq(key, "options")) {
                struct buf expanded = {};
                int r = expand_variables(value, env, &expanded);
                const char *start = expanded.s ?: "";
                size_t n = expanded.len;

                /* "$kernelopts $tuned_params" with tuned_params unset: no stray blanks. */
                while (n > 0 && is_blank(*start)) {
                        start++;
                        n--;
                }
                while (n > 0 && is_blank(start[n - 1]))
                        n--;
                if (r >= 0 && n > 0) {
                        if (options->len > 0)
                                r = buf_add(options, " ", 1);
                        if (r >= 0)
                                r = buf_add(options, start, n);
                }
                free(expanded.s);
                *have_options = true;
                return r;
        }
        /* devicetree, architecture, grub_users, grub_arg, grub_class, efi, anything new:
         * nothing warm rebooting uses. */
        return 0;
}

int bls_entry_parse(const char *text, const char *file, const char *id, char *const *env,
                    struct boot_entry *ret, char **ret_error)
{
        struct boot_entry e = {.line = 1};
        struct buf options = {};
        bool have_options = false, have_linux = false;
        unsigned line = 0;
        int r = 0;

        if (!text || !ret)
                return -EINVAL;

        e.initrds = calloc(1, sizeof(char *));
        if (!e.initrds)
                return -ENOMEM;

        /* The text ends at its NUL: root_read_string() refuses files with a NUL inside. */
        for (const char *p = text; *p && r >= 0;) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t)(nl - p) : strlen(p);
                _cleanup_free_ char *copy = NULL;
                const char *key, *value;

                line++;
                r = split_line(p, n, file, line, &copy, &key, &value, ret_error);
                if (r >= 0 && key && streq(key, "linux")) {
                        /* systemd-boot takes the last, GRUB's blscfg the first. */
                        if (have_linux)
                                r = bad_line(ret_error, file, line,
                                             "\"linux\" given twice; boot loaders disagree "
                                             "about which one they boot.");
                        have_linux = true;
                }
                if (r >= 0 && key)
                        r = apply_key(&e, &options, &have_options, key, value, env);
                p += n + (nl ? 1 : 0);
        }
        if (r >= 0 && !have_linux)
                r = bad_line(ret_error, file, 1,
                             "entry has no \"linux\" line, so there is no kernel to boot.");
        if (r >= 0 && have_options && !options.s)
                r = buf_add(&options, "", 0);
        if (r >= 0 && id && !(e.id = strdup(id)))
                r = -ENOMEM;
        if (r >= 0 && file && !(e.file = strdup(file)))
                r = -ENOMEM;
        if (r < 0) {
                free(options.s);
                boot_entry_done(&e);
                return r;
        }
        e.options = options.s;
        *ret = e;
        return 0;
}

/* Boot counting: a file name ending in "+0" or "+0-N" marks an entry that failed all its
 * tries; the specification sorts those after every other entry. */
static bool entry_is_bad(const struct boot_entry *e)
{
        const char *plus = e->id ? strrchr(e->id, '+') : NULL;
        const char *p;

        if (!plus || plus[1] != '0')
                return false;
        for (p = plus + 1; *p == '0'; p++)
                ;
        if (*p == '\0')
                return true;
        if (*p != '-' || p[1] < '0' || p[1] > '9')
                return false;
        for (p++; *p >= '0' && *p <= '9'; p++)
                ;
        return *p == '\0';
}

static bool is_set(const char *s)
{
        return s && *s;
}

/* strcmp(), where an unset or empty string sorts first (the specification's
 * "alphanumerical order"). */
static int compare_alphanumerical(const char *a, const char *b)
{
        if (!is_set(a) || !is_set(b))
                return is_set(a) - is_set(b);
        return strcmp(a, b);
}

static int compare_entries(const void *pa, const void *pb)
{
        const struct boot_entry *a = pa, *b = pb;
        int r;

        r = entry_is_bad(a) - entry_is_bad(b);
        if (r != 0)
                return r;

        if (is_set(a->sort_key) && is_set(b->sort_key)) {
                r = strcmp(a->sort_key, b->sort_key);
                if (r != 0)
                        return r;
                r = compare_alphanumerical(a->machine_id, b->machine_id);
                if (r != 0)
                        return r;
                r = version_compare(b->version, a->version);
                if (r != 0)
                        return r;
        } else if (is_set(a->sort_key) || is_set(b->sort_key))
                return is_set(a->sort_key) ? -1 : 1;

        r = version_compare(b->id, a->id);
        if (r != 0)
                return r;
        /* Only "1.01" against "1.1" gets here: any fixed order, so the result is stable. */
        return compare_alphanumerical(a->id, b->id);
}

void bls_entries_sort(struct boot_entry *e, size_t n)
{
        if (e && n > 1)
                qsort(e, n, sizeof(*e), compare_entries);
}
