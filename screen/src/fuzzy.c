/* fuzzy.c -- spelling-tolerant name matching: deletion-neighbourhood candidates, token verifier.
 *
 * DESIGN
 *
 * Index (built once by screen_matcher_new, read-only afterwards). Every name rule that covers a
 * name field becomes an entry: its NAME-normalised tokens (the listed form; the order does not
 * matter to the verifier, so the "First LAST" form adds nothing). Its two ANCHORS are the
 * tokens with the fewest entries sharing them (ties: the longer one): the primary (rarest) and
 * the secondary; a one-token rule has only a primary. A match must cover every rule token, so
 * an entry is a candidate only when both anchors were reached by some key of the field (one is
 * enough when the field starts with a one-letter token, a possible initial standing for an
 * anchor).
 * Distinct anchor texts form GROUPS; keys point to groups, and each group lists the entries
 * that have it as primary and as secondary anchor (CSR arrays). Keys (SymSpell, distance 1):
 *   - per group: the anchor text, and when it has >= SCREEN__FUZZY_MIN_LEN bytes, the text and
 *     the text with each one byte deleted (once per group, not per entry);
 *   - per entry and anchor: the anchor joined with its left and with its right neighbour
 *     ("abdul rahman" is also found by a field token "abdulrahman"), pointing to the group.
 * Keys are 64-bit hashes (core_hash64) only: a collision just adds a candidate that the
 * verifier drops. Two key spaces (two hash seeds): E holds whole anchors and joins, D holds
 * long anchors (>= 5 bytes) and their deletions, so a field token's deletions never meet
 * short anchors, which must match exactly anyway. Postings (hash, group) are sorted by hash
 * and addressed by a directory of the top hash bits; a bit filter (~8 bits per key, the low
 * hash bits) in front of it stops most field keys after one probe of a cache-resident array.
 * Measured on 36k OFAC names x 100k generated parcels (bench_screen_scan, 1 thread): postings
 * per entry with one anchor made the scanner 5x slower than exact-only (common tokens such as
 * "mohammed" are someone's rarest token, and every deletion key revisits their lists); groups
 * and the secondary check bring it to ~1.7-2x.
 *
 * Scan (per name field, allocation-free once the state buffers have grown): the field's
 * tokens produce the matching keys -- each token in E, each token of >= 4 bytes in D (a
 * 5-letter rule token with a letter missing), its one-byte deletions in D (tokens >= 5
 * bytes), and each adjacent pair joined in E ("abdul rahman" in the field finds the rule
 * "abdulrahman"). Equal keys cover: deletion (field = rule minus one), insertion (field minus
 * one = rule), substitution and adjacent transposition (both minus one agree). Reached groups
 * are stamped per field; then the entries of each reached group whose secondary group is
 * stamped too become candidates (per-entry stamps dedupe them).
 *
 * Verifier: rule tokens R are matched to distinct field tokens F, in any order, by a
 * search for the cheapest assignment over these options:
 *   R_i = F_j                                   cost 0
 *   R_i ~ F_j, one edit (Damerau: sub, ins, del, adjacent swap), |R_i| >= 5   cost S_EDIT
 *   R_i ~ F_j with "ks" read as "x" on both sides: equal S_EDIT, one edit 2 x S_EDIT
 *     ("Aleksandr" romanised from Cyrillic, "Alexander" on the list; s_token_cost)
 *   R_i an initial of F_j (|R_i| = 1, same first letter, i = 0)             cost 0.5
 *   F_j an initial of R_i (|F_j| = 1, same first letter, |R_i| >= 2, j = 0) cost 1
 * Initials count only as the first token of a rule of >= 2 tokens and of the field ("J. Smith"
 * for "John Smith"): a one-letter token elsewhere is usually part of a company name ("Atlas
 * E-commerce", "S. de R.L."), and allowing it there tripled the tolerant hits on clean
 * generated names.
 *   R_i R_i+1 joined ~ F_j   (exact, or one edit if >= 5 bytes)            cost 0.5 (+S_EDIT)
 *   R_i ~ F_j F_j+1 joined   (exact, or one edit if >= 5 bytes)            cost 0.5 (+S_EDIT)
 * Shorter tokens must be equal. Every rule token must be covered; the field tokens used must
 * lie in a window with at most one token that is not used ("John Q Smith" for "John Smith"),
 * which costs 0.5 and is allowed only when nothing else differs. One edit costs S_EDIT (0.7 of a
 * letter), so a single listed 5-letter word with one edit still scores 0.86 against the default
 * threshold of 0.85. The cheapest cover is found by a depth-first search over the options in
 * rule-token order (a handful per token; bounded to 4096 steps), so a join is not lost to a cheaper
 * but blocking single match ("khinethet thet" for "khine thet thet"). A tolerant match that rests
 * on a single field word is taken only when that word is the whole field: one word of a longer name
 * near a listed single word ("Lumina Technology" vs "ALUMINA") or a listed pair written as one
 * ("Northstar Apparel" vs "NORTH STAR") is too weak. similarity = max(0, 1 - cost / bytes of the
 * rule's tokens); the caller compares it with the rule's threshold. The window's first and last
 * normalised bytes are returned, so the hit reports the original text of the window.
 *
 * Rejected: Hyperscan edit_distance extended parameters (compile time grows ~100x and they
 * need a separate database; DEPENDENCIES.md 1.2), a full deletion index of every token of
 * every rule (more memory, and frequent tokens give thousands of candidates per field), a
 * Levenshtein automaton (more code for the same distance-1 reach). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define S_SEED_EXACT 0x9e3779b97f4a7c15ULL /* key space E: whole tokens, joins */
#define S_SEED_DEL 0xc2b2ae3d27d4eb4fULL   /* key space D: long tokens and their deletions */
#define S_MAX_TOKEN 64                     /* longer tokens are matched exactly only */
#define S_EDIT 0.7                         /* cost of one edit, in letters */

/* ============ Build ============ */

typedef struct {
    uint64_t hash;
    uint32_t entry;
} s_posting_t;

static uint64_t s_hash(const char *p, size_t len)
{
    return core_hash64(p, len, S_SEED_EXACT);
}

static uint64_t s_hash_del(const char *p, size_t len)
{
    return core_hash64(p, len, S_SEED_DEL);
}

void screen__fuzzy_init(screen__fuzzy_t *self)
{
    memset(self, 0, sizeof(*self));
}

void screen__fuzzy_clear(screen__fuzzy_t *self)
{
    free(self->text);
    free(self->toks);
    free(self->entries);
    free(self->post_group);
    free(self->prim_first);
    free(self->prim_list);
    free(self->sec_first);
    free(self->sec_list);
    free(self->post_hash);
    free(self->dir);
    free(self->filter);
    memset(self, 0, sizeof(*self));
}

void screen__fuzzy_add(screen__fuzzy_t *self, uint32_t rule, uint32_t scope, const char *text,
                       size_t len)
{
    uint32_t first = (uint32_t)self->tok_count;
    uint32_t letters = 0;
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != ' ')
            j++;
        if (self->tok_count - first == SCREEN__FUZZY_MAX_TOKENS) {
            self->tok_count = first; /* too many tokens: exact matching only */
            return;
        }
        if (self->text_len + (j - i) > self->text_cap) {
            self->text_cap = (self->text_cap + (j - i)) * 2 + 64;
            self->text = core_realloc(self->text, self->text_cap);
        }
        if (self->tok_count == self->tok_cap) {
            self->tok_cap = self->tok_cap ? self->tok_cap * 2 : 256;
            self->toks = core_realloc(self->toks, self->tok_cap * sizeof(*self->toks));
        }
        memcpy(self->text + self->text_len, text + i, j - i);
        self->toks[self->tok_count++] =
            (screen__fuzzy_tok_t){(uint32_t)self->text_len, (uint32_t)(j - i)};
        self->text_len += j - i;
        letters += (uint32_t)(j - i);
        i = j + 1;
    }
    if (self->tok_count == first)
        return;
    if (self->entry_count == self->entry_cap) {
        self->entry_cap = self->entry_cap ? self->entry_cap * 2 : 256;
        self->entries = core_realloc(self->entries, self->entry_cap * sizeof(*self->entries));
    }
    self->entries[self->entry_count++] = (screen__fuzzy_entry_t){
        .prim_group = UINT32_MAX,
        .sec_group = UINT32_MAX,
        .rule = rule,
        .scope = scope,
        .tok_first = first,
        .tok_count = (uint16_t)(self->tok_count - first),
        .letters = letters,
    };
}

static int s_u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a;
    uint64_t y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int s_posting_cmp(const void *a, const void *b)
{
    const s_posting_t *x = a;
    const s_posting_t *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* Entries whose token hash is h: upper bound - lower bound in the sorted array. */
static size_t s_freq(const uint64_t *sorted, size_t n, uint64_t h)
{
    size_t lo = 0;
    size_t hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t a = lo;
    hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted[mid] <= h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - a;
}

static void s_push(s_posting_t **p, size_t *n, size_t *cap, uint64_t hash, uint32_t entry)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 1024;
        *p = core_realloc(*p, *cap * sizeof(**p));
    }
    (*p)[(*n)++] = (s_posting_t){hash, entry};
}

typedef struct {
    uint64_t hash;  /* E hash of the anchor token */
    uint32_t tok;   /* the token */
    uint32_t entry; /* entry << 1 | role (0 primary, 1 secondary) */
} s_anchor_t;

static int s_anchor_cmp(const void *a, const void *b)
{
    const s_anchor_t *x = a;
    const s_anchor_t *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* Entries per group as CSR: first[g] .. first[g + 1] in list. */
static void s_csr(const screen__fuzzy_t *self, bool secondary, uint32_t **first_p,
                  uint32_t **list_p)
{
    size_t ng = self->group_count;
    uint32_t *first = core_calloc(ng + 2, sizeof(*first));
    uint32_t *list = core_malloc((self->entry_count ? self->entry_count : 1) * sizeof(*list));
    for (size_t e = 0; e < self->entry_count; e++) {
        uint32_t g = secondary ? self->entries[e].sec_group : self->entries[e].prim_group;
        if (g != UINT32_MAX)
            first[g + 2]++;
    }
    for (size_t g = 0; g < ng; g++)
        first[g + 2] += first[g + 1];
    for (size_t e = 0; e < self->entry_count; e++) {
        uint32_t g = secondary ? self->entries[e].sec_group : self->entries[e].prim_group;
        if (g != UINT32_MAX)
            list[first[g + 1]++] = (uint32_t)e;
    }
    *first_p = first;
    *list_p = list;
}

void screen__fuzzy_finish(screen__fuzzy_t *self)
{
    size_t nt = self->tok_count;
    uint64_t *th = core_malloc((nt ? nt : 1) * sizeof(*th));
    for (size_t t = 0; t < nt; t++)
        th[t] = s_hash(self->text + self->toks[t].off, self->toks[t].len);
    uint64_t *sorted = core_malloc((nt ? nt : 1) * sizeof(*sorted));
    memcpy(sorted, th, nt * sizeof(*sorted));
    qsort(sorted, nt, sizeof(*sorted), s_u64_cmp);

    /* Anchors: the two rarest tokens of each entry (ties: the longer one). */
    s_anchor_t *an = core_malloc((self->entry_count * 2 + 1) * sizeof(*an));
    size_t na = 0;
    for (uint32_t e = 0; e < self->entry_count; e++) {
        const screen__fuzzy_entry_t *en = &self->entries[e];
        uint32_t best[2] = {UINT32_MAX, UINT32_MAX};
        size_t freq[2] = {SIZE_MAX, SIZE_MAX};
        for (uint32_t t = en->tok_first; t < en->tok_first + en->tok_count; t++) {
            size_t f = s_freq(sorted, nt, th[t]);
            for (int k = 0; k < 2; k++) {
                bool better = best[k] == UINT32_MAX || f < freq[k] ||
                              (f == freq[k] && self->toks[t].len > self->toks[best[k]].len);
                if (!better)
                    continue;
                if (k == 0) {
                    best[1] = best[0];
                    freq[1] = freq[0];
                }
                best[k] = t;
                freq[k] = f;
                break;
            }
        }
        for (uint32_t k = 0; k < 2; k++) {
            if (best[k] != UINT32_MAX)
                an[na++] = (s_anchor_t){th[best[k]], best[k], e << 1 | k};
        }
    }
    free(sorted);
    qsort(an, na, sizeof(*an), s_anchor_cmp);

    /* Groups: distinct anchor texts. Keys of the text go to the group once; joins (which
     * depend on the entry's neighbours) go to the group of their anchor. */
    s_posting_t *post = NULL;
    size_t pn = 0;
    size_t pcap = 0;
    char buf[2 * S_MAX_TOKEN];
    uint32_t ng = 0;
    for (size_t i = 0; i < na; i++) {
        if (i == 0 || an[i].hash != an[i - 1].hash) {
            uint32_t g = ng++;
            const char *a = self->text + self->toks[an[i].tok].off;
            uint32_t al = self->toks[an[i].tok].len;
            s_push(&post, &pn, &pcap, an[i].hash, g);
            if (al >= SCREEN__FUZZY_MIN_LEN && al <= S_MAX_TOKEN) {
                s_push(&post, &pn, &pcap, s_hash_del(a, al), g);
                for (uint32_t k = 0; k < al; k++) {
                    if (k > 0 && a[k] == a[k - 1])
                        continue; /* same deletion as the previous one */
                    memcpy(buf, a, k);
                    memcpy(buf + k, a + k + 1, al - k - 1);
                    s_push(&post, &pn, &pcap, s_hash_del(buf, al - 1), g);
                }
            }
        }
        uint32_t g = ng - 1;
        screen__fuzzy_entry_t *en = &self->entries[an[i].entry >> 1];
        if (an[i].entry & 1)
            en->sec_group = g;
        else
            en->prim_group = g;
        uint32_t t = an[i].tok;
        const char *a = self->text + self->toks[t].off;
        uint32_t al = self->toks[t].len;
        for (int side = 0; side < 2; side++) {
            if ((side == 0 && t == en->tok_first) ||
                (side == 1 && t + 1 == en->tok_first + en->tok_count))
                continue;
            uint32_t other = side == 0 ? t - 1 : t + 1;
            uint32_t ol = self->toks[other].len;
            if (al > S_MAX_TOKEN || ol > S_MAX_TOKEN)
                continue;
            const char *o = self->text + self->toks[other].off;
            if (side == 0) {
                memcpy(buf, o, ol);
                memcpy(buf + ol, a, al);
            } else {
                memcpy(buf, a, al);
                memcpy(buf + al, o, ol);
            }
            s_push(&post, &pn, &pcap, s_hash(buf, al + ol), g);
        }
    }
    free(an);
    free(th);
    self->group_count = ng;
    s_csr(self, false, &self->prim_first, &self->prim_list);
    s_csr(self, true, &self->sec_first, &self->sec_list);

    if (pn > 0)
        qsort(post, pn, sizeof(*post), s_posting_cmp);
    /* Drop duplicate (hash, group) pairs. */
    size_t w = 0;
    for (size_t i = 0; i < pn; i++) {
        if (w > 0 && post[w - 1].hash == post[i].hash && post[w - 1].entry == post[i].entry)
            continue;
        post[w++] = post[i];
    }
    pn = w;
    unsigned bits = 4;
    while (bits < 30 && ((size_t)1 << bits) < pn)
        bits++;
    self->dir_bits = bits;
    size_t nb = (size_t)1 << bits;
    self->dir = core_calloc(nb + 1, sizeof(*self->dir));
    self->post_hash = core_malloc((pn ? pn : 1) * sizeof(*self->post_hash));
    self->post_group = core_malloc((pn ? pn : 1) * sizeof(*self->post_group));
    for (size_t i = 0; i < pn; i++) {
        self->post_hash[i] = post[i].hash;
        self->post_group[i] = post[i].entry;
        self->dir[(post[i].hash >> (64 - bits)) + 1]++;
    }
    for (size_t b = 0; b < nb; b++)
        self->dir[b + 1] += self->dir[b];
    self->post_count = pn;
    /* Filter in front of the directory: ~8 bits per key, one bit per key from the low hash
     * bits (the directory uses the top ones). Most field keys are in no rule; they stop at
     * one probe of a small, cache-resident bit array instead of two or three misses in the
     * directory and postings. */
    unsigned fbits = 10;
    while (fbits < 32 && ((size_t)1 << fbits) < pn * 8)
        fbits++;
    self->filter_mask = ((uint64_t)1 << fbits) - 1;
    self->filter = core_calloc(((size_t)1 << fbits) / 64, sizeof(*self->filter));
    for (size_t i = 0; i < pn; i++) {
        uint64_t b = post[i].hash & self->filter_mask;
        self->filter[b >> 6] |= (uint64_t)1 << (b & 63);
    }
    free(post);
}

/* ============ Scan ============ */

void screen__fuzzy_state_init(screen__fuzzy_state_t *st, const screen__fuzzy_t *fz)
{
    memset(st, 0, sizeof(*st));
    st->seen = core_calloc(fz->entry_count ? fz->entry_count : 1, sizeof(*st->seen));
    st->seen_len = fz->entry_count;
    st->gseen = core_calloc(fz->group_count ? fz->group_count : 1, sizeof(*st->gseen));
    st->gseen_len = fz->group_count;
}

void screen__fuzzy_state_clear(screen__fuzzy_state_t *st)
{
    free(st->seen);
    free(st->gseen);
    free(st->reached);
    free(st->cands);
    free(st->opts);
    memset(st, 0, sizeof(*st));
}

/* Marks the anchor groups that key h reaches. */
static void s_lookup(const screen__fuzzy_t *fz, screen__fuzzy_state_t *st, uint64_t h)
{
    uint64_t f = h & fz->filter_mask;
    if (!((fz->filter[f >> 6] >> (f & 63)) & 1))
        return;
    size_t b = (size_t)(h >> (64 - fz->dir_bits));
    for (uint32_t i = fz->dir[b]; i < fz->dir[b + 1]; i++) {
        if (fz->post_hash[i] != h)
            continue;
        uint32_t g = fz->post_group[i];
        if (st->gseen[g] == st->stamp)
            continue;
        st->gseen[g] = st->stamp;
        if (st->reached_count == st->reached_cap) {
            st->reached_cap = st->reached_cap ? st->reached_cap * 2 : 64;
            st->reached = core_realloc(st->reached, st->reached_cap * sizeof(*st->reached));
        }
        st->reached[st->reached_count++] = g;
    }
}

static void s_cand(screen__fuzzy_state_t *st, uint32_t e)
{
    if (st->seen[e] == st->stamp)
        return;
    st->seen[e] = st->stamp;
    if (st->cand_count == st->cand_cap) {
        st->cand_cap = st->cand_cap ? st->cand_cap * 2 : 64;
        st->cands = core_realloc(st->cands, st->cand_cap * sizeof(*st->cands));
    }
    st->cands[st->cand_count++] = e;
}

size_t screen__fuzzy_candidates(const screen__fuzzy_t *fz, screen__fuzzy_state_t *st,
                                const char *text, size_t len)
{
    st->cand_count = 0;
    st->ftok_count = 0;
    st->reached_count = 0;
    if (fz->entry_count == 0 || len == 0)
        return 0;
    if (++st->stamp == 0) {
        memset(st->seen, 0, st->seen_len * sizeof(*st->seen));
        memset(st->gseen, 0, st->gseen_len * sizeof(*st->gseen));
        st->stamp = 1;
    }
    size_t i = 0;
    bool initial = false;
    while (i < len && st->ftok_count < SCREEN__FUZZY_MAX_FIELD_TOKENS) {
        size_t j = i;
        while (j < len && text[j] != ' ')
            j++;
        st->ftoks[st->ftok_count++] = (screen__fuzzy_tok_t){(uint32_t)i, (uint32_t)(j - i)};
        initial = initial || (i == 0 && j - i == 1); /* "J. Smith": only the first token */
        i = j + 1;
    }
    st->text = text;
    char buf[2 * S_MAX_TOKEN];
    for (uint32_t t = 0; t < st->ftok_count; t++) {
        const char *p = text + st->ftoks[t].off;
        uint32_t l = st->ftoks[t].len;
        s_lookup(fz, st, s_hash(p, l));
        /* A letter missing here: the whole token against long anchors' deletions. */
        if (l >= SCREEN__FUZZY_MIN_LEN - 1 && l <= S_MAX_TOKEN)
            s_lookup(fz, st, s_hash_del(p, l));
        /* A letter extra, wrong or swapped here: this token's deletions (>= 5 bytes). */
        if (l >= SCREEN__FUZZY_MIN_LEN && l <= S_MAX_TOKEN) {
            for (uint32_t k = 0; k < l; k++) {
                if (k > 0 && p[k] == p[k - 1])
                    continue;
                memcpy(buf, p, k);
                memcpy(buf + k, p + k + 1, l - k - 1);
                s_lookup(fz, st, s_hash_del(buf, l - 1));
            }
        }
        if (t + 1 < st->ftok_count && l <= S_MAX_TOKEN && st->ftoks[t + 1].len <= S_MAX_TOKEN) {
            uint32_t l2 = st->ftoks[t + 1].len;
            memcpy(buf, p, l);
            memcpy(buf + l, text + st->ftoks[t + 1].off, l2);
            s_lookup(fz, st, s_hash(buf, l + l2));
        }
    }
    /* Entries whose primary anchor was reached, and whose secondary one was too. With a
     * one-letter token in the field (a possible initial) one anchor is enough, either. */
    for (size_t r = 0; r < st->reached_count; r++) {
        uint32_t g = st->reached[r];
        for (uint32_t k = fz->prim_first[g]; k < fz->prim_first[g + 1]; k++) {
            uint32_t e = fz->prim_list[k];
            uint32_t sg = fz->entries[e].sec_group;
            if (sg == UINT32_MAX || initial || st->gseen[sg] == st->stamp)
                s_cand(st, e);
        }
        if (!initial)
            continue;
        for (uint32_t k = fz->sec_first[g]; k < fz->sec_first[g + 1]; k++)
            s_cand(st, fz->sec_list[k]);
    }
    return st->cand_count;
}

/* Edit distance of two different strings is exactly 1 (Damerau: one substitution, insertion,
 * deletion or adjacent transposition). */
static bool s_one_edit(const char *a, size_t la, const char *b, size_t lb)
{
    if (la == lb) {
        size_t i = 0;
        while (i < la && a[i] == b[i])
            i++;
        if (i == la)
            return false;
        if (memcmp(a + i + 1, b + i + 1, la - i - 1) == 0)
            return true;
        return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               memcmp(a + i + 2, b + i + 2, la - i - 2) == 0;
    }
    if (la + 1 == lb) {
        const char *t = a;
        a = b;
        b = t;
        size_t tl = la;
        la = lb;
        lb = tl;
    }
    if (la != lb + 1)
        return false;
    size_t i = 0;
    while (i < lb && a[i] == b[i])
        i++;
    return memcmp(a + i + 1, b + i, lb - i) == 0;
}

/* Writes s with every "ks" as "x" into out (at least len bytes); returns the new length. */
static size_t s_fold_ks(const char *s, size_t len, char *out)
{
    size_t w = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == 'k' && i + 1 < len && s[i + 1] == 's') {
            out[w++] = 'x';
            i++;
        } else {
            out[w++] = s[i];
        }
    }
    return w;
}

/* The fallback of s_token_cost (kept out of line: most calls never get here). */
static __attribute__((noinline)) double s_token_cost_ks(const char *r, size_t rl, const char *f,
                                                        size_t fl)
{
    if (fl > S_MAX_TOKEN * 2 || (memchr(r, 'x', rl) == NULL && memchr(f, 'x', fl) == NULL))
        return -1.0;
    char a[S_MAX_TOKEN * 2];
    char b[S_MAX_TOKEN * 2];
    size_t al = s_fold_ks(r, rl, a);
    size_t bl = s_fold_ks(f, fl, b);
    if (al == rl && bl == fl)
        return -1.0; /* no ks on either side */
    if (al == bl && memcmp(a, b, al) == 0)
        return S_EDIT;
    if (s_one_edit(a, al, b, bl))
        return 2 * S_EDIT;
    return -1.0;
}

/* Cost of matching rule text r to field text f: 0 equal, S_EDIT for one edit (long enough),
 * else -1. Failing that, "ks" and "x" are one spelling difference (romanisations: "Aleksandr"
 * from "Александр", "Alexander" on the EU list): S_EDIT when the words are equal with every ks
 * read as x, 2 x S_EDIT when one more edit remains ("aleksandr" / "Alexander"); the lengths
 * then differ by at most 2, and the first letters must agree (cheap filters: "Ksenia" / "Xenia"
 * is not seen). Only as a fallback: folding ks in the normaliser instead made a typo next to
 * a "ks" two edits. */
static double s_token_cost(const char *r, size_t rl, const char *f, size_t fl)
{
    if (rl == fl && memcmp(r, f, rl) == 0)
        return 0.0;
    if (rl < SCREEN__FUZZY_MIN_LEN || fl + 1 < SCREEN__FUZZY_MIN_LEN || rl > S_MAX_TOKEN * 2)
        return -1.0;
    if (s_one_edit(r, rl, f, fl))
        return S_EDIT;
    if (rl > fl + 2 || fl > rl + 2 || r[0] != f[0])
        return -1.0;
    return s_token_cost_ks(r, rl, f, fl);
}

static void s_opt(screen__fuzzy_state_t *st, double cost, uint8_t ri, uint8_t rn, uint8_t fi,
                  uint8_t fn)
{
    if (cost < 0)
        return;
    if (st->opt_count == st->opt_cap) {
        st->opt_cap = st->opt_cap ? st->opt_cap * 2 : 128;
        st->opts = core_realloc(st->opts, st->opt_cap * sizeof(*st->opts));
    }
    st->opts[st->opt_count++] = (screen__fuzzy_opt_t){cost, ri, rn, fi, fn};
}

/* Depth-first search for the cheapest cover of rule tokens [i, m) by options (grouped by
 * rule token: opt_first[i] .. opt_first[i + 1]) on unused field tokens. Steps are bounded. */
typedef struct {
    const screen__fuzzy_opt_t *opts;
    const uint32_t *opt_first; /* per rule token + 1 */
    uint32_t m;                /* rule tokens */
    uint32_t n;                /* field tokens */
    uint32_t steps;            /* search steps left */
    double best;               /* best total cost so far (incl. the gap cost) */
    uint32_t best_lo, best_hi; /* its field token window */
} s_search_t;

static void s_search(s_search_t *sr, uint32_t i, uint32_t fused, uint32_t fcount, double cost,
                     uint32_t lo, uint32_t hi)
{
    if (sr->steps == 0 || cost >= sr->best)
        return;
    sr->steps--;
    if (i >= sr->m) {
        uint32_t gaps = hi - lo + 1 - fcount;
        /* One unused token inside the window only when the tokens match exactly ("John Q
         * Smith"); with an edit as well ("Foshan Atlas Trading" for "ROSHAN TRADING") it is
         * too far. */
        if (gaps > 1 || (gaps == 1 && cost > 0))
            return;
        /* A tolerant match resting on one field word is only taken when that word is the
         * whole field: one word of a longer name that is one letter away from a listed
         * single word (or a listed pair written as one) is weak evidence. */
        if (fcount == 1 && cost > 0 && sr->n > 1)
            return;
        cost += 0.5 * gaps;
        if (cost < sr->best) {
            sr->best = cost;
            sr->best_lo = lo;
            sr->best_hi = hi;
        }
        return;
    }
    for (uint32_t k = sr->opt_first[i]; k < sr->opt_first[i + 1]; k++) {
        const screen__fuzzy_opt_t *o = &sr->opts[k];
        uint32_t fm = (o->fn == 2 ? 3u : 1u) << o->fi;
        if (fused & fm)
            continue;
        uint32_t last = o->fi + o->fn - 1u;
        uint32_t l = (lo == UINT32_MAX || o->fi < lo) ? o->fi : lo;
        uint32_t h = (hi == UINT32_MAX || last > hi) ? last : hi;
        s_search(sr, i + o->rn, fused | fm, fcount + o->fn, cost + o->cost, l, h);
    }
}

double screen__fuzzy_verify(const screen__fuzzy_t *fz, screen__fuzzy_state_t *st, uint32_t entry,
                            uint32_t *start, uint32_t *end)
{
    const screen__fuzzy_entry_t *en = &fz->entries[entry];
    const screen__fuzzy_tok_t *rt = &fz->toks[en->tok_first];
    uint32_t m = en->tok_count;
    uint32_t n = st->ftok_count;
    const char *ft = st->text;
    if (m > 2 * n || n == 0)
        return 0.0;
    st->opt_count = 0;
    char buf[2 * S_MAX_TOKEN];
    for (uint32_t i = 0; i < m; i++) {
        const char *r = fz->text + rt[i].off;
        uint32_t rl = rt[i].len;
        for (uint32_t j = 0; j < n; j++) {
            const char *f = ft + st->ftoks[j].off;
            uint32_t fl = st->ftoks[j].len;
            double c = s_token_cost(r, rl, f, fl);
            if (c < 0 && i == 0 && m >= 2 && rl == 1 && fl >= 2 && r[0] == f[0])
                c = 0.5;
            else if (c < 0 && j == 0 && m >= 2 && fl == 1 && rl >= 2 && r[0] == f[0])
                c = 1.0;
            s_opt(st, c, (uint8_t)i, 1, (uint8_t)j, 1);
            /* Rule tokens i, i+1 written as one field token. */
            if (i + 1 < m && rl + rt[i + 1].len <= sizeof(buf) && rl + rt[i + 1].len <= fl + 1 &&
                fl <= rl + rt[i + 1].len + 1) {
                memcpy(buf, r, rl);
                memcpy(buf + rl, fz->text + rt[i + 1].off, rt[i + 1].len);
                c = s_token_cost(buf, rl + rt[i + 1].len, f, fl);
                s_opt(st, c < 0 ? c : c + 0.5, (uint8_t)i, 2, (uint8_t)j, 1);
            }
            /* Field tokens j, j+1 written as one rule token. */
            if (j + 1 < n && fl + st->ftoks[j + 1].len <= sizeof(buf) &&
                fl + st->ftoks[j + 1].len <= rl + 1 && rl <= fl + st->ftoks[j + 1].len + 1) {
                uint32_t fl2 = st->ftoks[j + 1].len;
                memcpy(buf, f, fl);
                memcpy(buf + fl, ft + st->ftoks[j + 1].off, fl2);
                c = s_token_cost(r, rl, buf, fl + fl2);
                s_opt(st, c < 0 ? c : c + 0.5, (uint8_t)i, 1, (uint8_t)j, 2);
            }
        }
    }
    /* Options were made in rule token order: index where each rule token's options start. */
    uint32_t opt_first[SCREEN__FUZZY_MAX_TOKENS + 1];
    size_t k = 0;
    for (uint32_t i = 0; i <= m; i++) {
        while (k < st->opt_count && st->opts[k].ri < i)
            k++;
        opt_first[i] = (uint32_t)k;
    }
    s_search_t sr = {
        .opts = st->opts,
        .opt_first = opt_first,
        .m = m,
        .n = n,
        .steps = 4096,
        .best = (double)en->letters, /* similarity 0 */
        .best_lo = 0,
        .best_hi = 0,
    };
    s_search(&sr, 0, 0, 0, 0.0, UINT32_MAX, UINT32_MAX);
    if (!(sr.best < (double)en->letters))
        return 0.0;
    double cost = sr.best;
    uint32_t lo = sr.best_lo;
    uint32_t hi = sr.best_hi;
    double sim = 1.0 - cost / (double)(en->letters ? en->letters : 1);
    if (sim <= 0.0)
        return 0.0;
    *start = st->ftoks[lo].off;
    *end = st->ftoks[hi].off + st->ftoks[hi].len;
    return sim;
}
