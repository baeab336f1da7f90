/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dl.h"

#include "module-graph.h"
#include "module-name.h"
#include "proc-modules.h"
#include "util.h"

/* /proc/modules of a machine with every driver loaded is tens of KiB. */
#define MODULES_MAX 8192u

const char *const modules_builtin_unload[] = {
        "nvidia_drm", "nvidia_modeset", "nvidia_uvm", "nvidia_peermem", "nvidia_wmi_ec_backlight",
        "nvidia",     "amdgpu",         NULL};

/* The name up to the first '_': nvidia_drm -> nvidia, amdgpu -> amdgpu. */
static size_t family_length(const char *name)
{
        return strcspn(name, "_-");
}

static bool same_family(const char *a, const char *b)
{
        size_t n = family_length(a);
        return n == family_length(b) && strncmp(a, b, n) == 0;
}

void module_graph_done(struct module_graph *g)
{
        if (!g)
                return;
        for (size_t i = 0; i < g->n; i++) {
                free(g->mods[i].name);
                strv_free(g->mods[i].holders);
        }
        free(g->mods);
        g->mods = NULL;
        g->n = 0;
}

const struct module_info *module_graph_find(const struct module_graph *g, const char *name)
{
        for (size_t i = 0; i < g->n; i++)
                if (kernel_name_equal(g->mods[i].name, name))
                        return &g->mods[i];
        return NULL;
}

/* Appends a module without holders; a second module of the same name is malformed input. */
static int graph_add(struct module_graph *g, const char *name, unsigned refcnt,
                     struct module_info **ret)
{
        struct module_info *mods, *m;

        if (!module_name_valid(name) || module_graph_find(g, name))
                return -EBADMSG;
        if (g->n >= MODULES_MAX)
                return -E2BIG;
        mods = realloc(g->mods, sizeof(*mods) * (g->n + 1));
        if (!mods)
                return -ENOMEM;
        g->mods = mods;
        m = &g->mods[g->n];
        *m = (struct module_info){.refcnt = refcnt};
        m->name = strdup(name);
        m->holders = calloc(1, sizeof(char *));
        if (!m->name || !m->holders) {
                free(m->name);
                free(m->holders);
                return -ENOMEM;
        }
        g->n++;
        *ret = m;
        return 0;
}

static int module_add_holder(struct module_info *m, const char *holder)
{
        if (!module_name_valid(holder))
                return -EBADMSG;
        if (module_names_contain(m->holders, holder))
                return 0;
        if (strv_length(m->holders) >= MODULES_MAX)
                return -E2BIG;
        return strv_extend(&m->holders, holder);
}

static int holder_cmp(const void *a, const void *b)
{
        return kernel_name_cmp(*(char *const *)a, *(char *const *)b);
}

/* Hands the graph out with holders sorted by name, whatever order the kernel listed them in. */
static void graph_take(struct module_graph *g, struct module_graph *ret)
{
        for (size_t i = 0; i < g->n; i++)
                qsort(g->mods[i].holders, strv_length(g->mods[i].holders), sizeof(char *),
                      holder_cmp);
        *ret = *g;
        *g = (struct module_graph){};
}

int module_graph_from_kmod(struct kmod_ctx *ctx, struct module_graph *ret)
{
        _cleanup_(module_graph_done) struct module_graph g = {};
        struct kmod_list *loaded = NULL, *i;
        int err;

        err = sym_kmod_module_new_from_loaded(ctx, &loaded);
        if (err == -ENOENT) { /* a kernel without module support */
                *ret = (struct module_graph){};
                return 0;
        }
        if (err < 0)
                return err;

        sym_kmod_list_foreach(i, loaded)
        {
                struct kmod_module *mod = sym_kmod_module_get_module(i);
                struct kmod_list *holders, *h;
                struct module_info *m;
                int refcnt = sym_kmod_module_get_refcnt(mod);

                /* No refcnt file: unloaded since the list was read, or no unload support. */
                if (refcnt == -ENOENT)
                        refcnt = 0;
                err = refcnt < 0 ? refcnt
                                 : graph_add(&g, sym_kmod_module_get_name(mod), refcnt, &m);
                if (err < 0) {
                        sym_kmod_module_unref(mod);
                        break;
                }
                holders = sym_kmod_module_get_holders(mod);
                sym_kmod_list_foreach(h, holders)
                {
                        struct kmod_module *holder = sym_kmod_module_get_module(h);
                        err = module_add_holder(m, sym_kmod_module_get_name(holder));
                        sym_kmod_module_unref(holder);
                        if (err < 0)
                                break;
                }
                sym_kmod_module_unref_list(holders);
                sym_kmod_module_unref(mod);
                if (err < 0)
                        break;
        }
        sym_kmod_module_unref_list(loaded);
        if (err < 0)
                return err;
        graph_take(&g, ret);
        return 0;
}

/* Adds the module of one /proc/modules line, with the modules it names as users. */
static int add_proc_modules_line(struct module_graph *g, char *line)
{
        _cleanup_(proc_module_line_done) struct proc_module_line l = {};
        struct module_info *m;
        int err;

        err = proc_modules_parse_line(line, &l);
        if (err < 0)
                return err;
        err = graph_add(g, l.name, l.refcnt, &m);
        for (size_t i = 0; err >= 0 && l.used_by[i]; i++)
                err = module_add_holder(m, l.used_by[i]);
        return err;
}

/* Adds sys/module/NAME/holders/ to the holders from /proc/modules and takes
 * sys/module/NAME/refcnt when the tree has it. */
static int read_sysfs(const struct root *r, struct module_info *m)
{
        _cleanup_free_ char *dir = strdup_printf("/sys/module/%s/holders", m->name);
        _cleanup_free_ char *file = strdup_printf("/sys/module/%s/refcnt", m->name);
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_free_ char *text = NULL;
        int err;

        if (!dir || !file)
                return -ENOMEM;
        err = root_list_dir(r, dir, &names);
        if (err < 0 && err != -ENOENT)
                return err;
        if (strv_length(names) > MODULES_MAX)
                return -E2BIG;
        for (size_t i = 0; names && names[i]; i++) {
                err = module_add_holder(m, names[i]);
                if (err < 0)
                        return err;
        }

        err = root_read_string(r, file, ROOT_VALUE_MAX, &text);
        if (err == -ENOENT)
                return 0;
        if (err == -EFBIG)
                return -EBADMSG;
        if (err < 0)
                return err;
        return safe_atou(text, &m->refcnt) < 0 ? -EBADMSG : 0;
}

int module_graph_from_root(const struct root *r, struct module_graph *ret)
{
        _cleanup_(module_graph_done) struct module_graph g = {};
        _cleanup_free_ char *text = NULL;
        char *p, *line;
        int err;

        err = root_read_string(r, "/proc/modules", PROC_MODULES_MAX, &text);
        if (err == -ENOENT) { /* a kernel without module support */
                *ret = (struct module_graph){};
                return 0;
        }
        if (err == -EFBIG)
                return -E2BIG;
        if (err < 0)
                return err;

        p = text;
        while ((line = strsep(&p, "\n"))) {
                if (!*line)
                        continue;
                err = add_proc_modules_line(&g, line);
                if (err < 0)
                        return err;
        }
        for (size_t i = 0; i < g.n; i++) {
                err = read_sysfs(r, &g.mods[i]);
                if (err < 0)
                        return err;
        }
        graph_take(&g, ret);
        return 0;
}

/* A module while the unload order is worked out. */
struct node {
        const struct module_info *info;
        struct node **holders; /* loaded holders, sorted by name */
        size_t n_holders;
        bool holder_not_loaded; /* listed as a holder but not in the graph */
        bool kept;
        bool remove;
        enum { UNVISITED, VISITING, VISITED } visit;
};

struct nodes {
        struct node *all;     /* parallel to the graph's mods */
        struct node **sorted; /* by name */
        size_t n;
};

static int node_cmp(const void *a, const void *b)
{
        const struct node *x = *(const struct node *const *)a, *y = *(const struct node *const *)b;
        return kernel_name_cmp(x->info->name, y->info->name);
}

static void nodes_done(struct nodes *s)
{
        for (size_t i = 0; s->all && i < s->n; i++)
                free(s->all[i].holders);
        free(s->all);
        free(s->sorted);
}

static struct node *nodes_find(const struct nodes *s, const struct module_graph *g,
                               const char *name)
{
        const struct module_info *m = module_graph_find(g, name);
        return m ? &s->all[m - g->mods] : NULL;
}

static int nodes_build(const struct module_graph *g, char *const *keep, struct nodes *ret)
{
        _cleanup_(nodes_done) struct nodes s = {.n = g->n};

        s.all = calloc(g->n + 1, sizeof(*s.all));
        s.sorted = calloc(g->n + 1, sizeof(*s.sorted));
        if (!s.all || !s.sorted)
                return -ENOMEM;
        for (size_t i = 0; i < g->n; i++) {
                struct node *n = &s.all[i];

                n->info = &g->mods[i];
                n->kept = module_names_contain(keep, n->info->name);
                s.sorted[i] = n;
        }
        for (size_t i = 0; i < g->n; i++) {
                struct node *n = &s.all[i];
                size_t max = strv_length(n->info->holders);

                n->holders = calloc(max + 1, sizeof(*n->holders));
                if (!n->holders)
                        return -ENOMEM;
                for (size_t j = 0; j < max; j++) {
                        struct node *h = nodes_find(&s, g, n->info->holders[j]);
                        bool seen = false;

                        if (!h) {
                                n->holder_not_loaded = true;
                                continue;
                        }
                        for (size_t k = 0; k < n->n_holders; k++)
                                seen = seen || n->holders[k] == h;
                        if (!seen)
                                n->holders[n->n_holders++] = h;
                }
                qsort(n->holders, n->n_holders, sizeof(*n->holders), node_cmp);
        }
        qsort(s.sorted, s.n, sizeof(*s.sorted), node_cmp);
        *ret = s;
        s = (struct nodes){};
        return 0;
}

/* Marks n and, recursively, every module holding it; a kept holder stops the removal. */
static int mark_with_holders(struct node *n, char **ret_blocker)
{
        if (n->remove)
                return 0;
        n->remove = true;
        for (size_t i = 0; i < n->n_holders; i++) {
                struct node *h = n->holders[i];
                int err;

                if (h->kept) {
                        *ret_blocker = strdup_printf("%s holds %s", h->info->name, n->info->name);
                        return *ret_blocker ? -EBUSY : -ENOMEM;
                }
                err = mark_with_holders(h, ret_blocker);
                if (err < 0)
                        return err;
        }
        return 0;
}

/* A module that only removed modules of its own family hold, and nothing else uses. */
static bool left_unused_in_family(const struct node *n)
{
        bool family = false;

        if (n->remove || n->kept || n->n_holders == 0 || n->holder_not_loaded ||
            n->info->refcnt > n->n_holders)
                return false;
        for (size_t i = 0; i < n->n_holders; i++) {
                if (!n->holders[i]->remove)
                        return false;
                family = family || same_family(n->info->name, n->holders[i]->info->name);
        }
        return family;
}

/* Depth first over holders: every holder is listed before the module it holds. */
static int emit(struct node *n, char ***order)
{
        int err;

        if (n->visit == VISITED)
                return 0;
        if (n->visit == VISITING)
                return -ELOOP;
        n->visit = VISITING;
        for (size_t i = 0; i < n->n_holders; i++) {
                err = emit(n->holders[i], order);
                if (err < 0)
                        return err;
        }
        n->visit = VISITED;
        return strv_extend(order, n->info->name);
}

int modules_unload_order(const struct module_graph *g, char *const *wanted, char *const *keep,
                         char ***ret_order, char **ret_blocker)
{
        _cleanup_(nodes_done) struct nodes s = {};
        _cleanup_strv_free_ char **order = NULL;
        bool changed;
        int err;

        err = nodes_build(g, keep, &s);
        if (err < 0)
                return err;

        /* Wanted modules by name, so that the first blocker reported does not depend on the
         * order of the list. */
        for (size_t i = 0; i < s.n; i++) {
                struct node *n = s.sorted[i];

                if (n->kept || !module_names_contain(wanted, n->info->name))
                        continue;
                err = mark_with_holders(n, ret_blocker);
                if (err < 0)
                        return err;
        }

        /* Removing a module can leave another one unused, which can leave a third one. */
        do {
                changed = false;
                for (size_t i = 0; i < s.n; i++)
                        if (left_unused_in_family(s.sorted[i])) {
                                s.sorted[i]->remove = true;
                                changed = true;
                        }
        } while (changed);

        order = calloc(1, sizeof(char *));
        if (!order)
                return -ENOMEM;
        for (size_t i = 0; i < s.n; i++) {
                if (!s.sorted[i]->remove)
                        continue;
                err = emit(s.sorted[i], &order);
                if (err < 0)
                        return err;
        }
        *ret_order = TAKE_PTR(order);
        return 0;
}
