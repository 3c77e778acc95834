/* queue_cli.c -- `parcelscreen queue list|show|claim|resolve`: the officers' command line.
 *
 * One config table per subcommand over one struct; results on stdout (text for people,
 * --json for tools: one JSON object per line), errors as one line on stderr. Text output
 * replaces control characters in stored strings, so a parcel id cannot drive the terminal. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/config.h"
#include "internal.h"
#include "sink/queue.h"

#define QUEUE_BUSY_TIMEOUT_MS 10000 /* wait this long for the sink's write lock */

typedef struct {
    char *db;           /* database path */
    char *state;        /* list: new|claimed|resolved|all */
    long limit;         /* list: at most this many (0 = all) */
    bool json;          /* list, show: JSON lines */
    char *parcel;       /* show, claim, resolve */
    char *officer;      /* claim, resolve */
    bool next;          /* claim: the top of the queue */
    long lease_seconds; /* claim */
    char *outcome;      /* resolve */
    char *note;         /* resolve */
} queue_config_t;

/* Rows every subcommand shares. */
#define OPT_DB                                                                                 \
    { "db", CORE_CONFIG_STR, NULL, 0, 0, offsetof(queue_config_t, db), "sink database (required)" }
#define OPT_JSON                                                                               \
    { "json", CORE_CONFIG_BOOL, "false", 0, 0, offsetof(queue_config_t, json),                \
      "one JSON object per line instead of text" }

static const core_config_opt_t s_list_opts[] = {
    OPT_DB,
    { "state", CORE_CONFIG_STR, "new", 0, 0, offsetof(queue_config_t, state),
      "new|claimed|resolved|all (an expired claim counts as new)" },
    { "limit", CORE_CONFIG_INT, "50", 0, 1e9, offsetof(queue_config_t, limit),
      "at most this many entries, 0 = all" },
    OPT_JSON,
};

static const core_config_opt_t s_show_opts[] = {
    OPT_DB,
    { "parcel", CORE_CONFIG_STR, NULL, 0, 0, offsetof(queue_config_t, parcel),
      "the parcel (required)" },
    OPT_JSON,
};

static const core_config_opt_t s_claim_opts[] = {
    OPT_DB,
    { "officer", CORE_CONFIG_STR, NULL, 0, 0, offsetof(queue_config_t, officer),
      "who claims (required)" },
    { "parcel", CORE_CONFIG_STR, NULL, 0, 0, offsetof(queue_config_t, parcel),
      "claim this parcel" },
    { "next", CORE_CONFIG_BOOL, "false", 0, 0, offsetof(queue_config_t, next),
      "claim the highest-risk unclaimed entry" },
    { "lease-seconds", CORE_CONFIG_INT, "900", 0, 366 * 86400,
      offsetof(queue_config_t, lease_seconds), "the claim lapses after this long" },
};

static const core_config_opt_t s_resolve_opts[] = {
    OPT_DB,
    { "parcel", CORE_CONFIG_STR, NULL, 0, 0, offsetof(queue_config_t, parcel),
      "the parcel (required)" },
    { "officer", CORE_CONFIG_STR, NULL, 0, 0, offsetof(queue_config_t, officer),
      "who resolves: the officer holding the claim (required)" },
    { "outcome", CORE_CONFIG_STR, NULL, 0, 0, offsetof(queue_config_t, outcome),
      "released|inspected_clear|seized|referred|false_positive (required)" },
    { "note", CORE_CONFIG_STR, NULL, 0, 0, offsetof(queue_config_t, note),
      "free text kept with the outcome" },
};

static const core_config_table_t s_tables[] = {
    { "queue list", "--db PATH [--state S] [--limit N] [--json]",
      "Lists queue entries by risk (highest first), then arrival.", s_list_opts,
      CORE_ARRAY_LEN(s_list_opts) },
    { "queue show", "--db PATH --parcel ID [--json]",
      "Shows a queue entry, its verdict with the hits, and every transition.", s_show_opts,
      CORE_ARRAY_LEN(s_show_opts) },
    { "queue claim", "--db PATH --officer NAME (--parcel ID | --next) [--lease-seconds N]",
      "Claims an entry for an officer until the lease runs out.", s_claim_opts,
      CORE_ARRAY_LEN(s_claim_opts) },
    { "queue resolve", "--db PATH --parcel ID --officer NAME --outcome O [--note TEXT]",
      "Resolves an entry you hold the claim of.", s_resolve_opts, CORE_ARRAY_LEN(s_resolve_opts) },
};

/* ============ Output ============ */

void sink__print_safe(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
    }
}

static void s_json_str_or_null(core_buf_t *buf, const char *key, const char *value)
{
    core_buf_printf(buf, ",\"%s\":", key);
    if (value && value[0])
        core_buf_append_json_str(buf, value, strlen(value));
    else
        core_buf_append_str(buf, "null");
}

static void s_json_time_or_null(core_buf_t *buf, const char *key, int64_t ns)
{
    core_buf_printf(buf, ",\"%s\":", key);
    if (ns > 0) {
        char when[40];
        core_rfc3339(ns, when, sizeof(when));
        core_buf_printf(buf, "\"%s\"", when);
    } else {
        core_buf_append_str(buf, "null");
    }
}

static void s_entry_json(const sink_queue_entry_t *e, core_buf_t *buf)
{
    core_buf_append_str(buf, "{\"parcel_id\":");
    core_buf_append_json_str(buf, e->parcel_id, strlen(e->parcel_id));
    core_buf_printf(buf, ",\"risk_score\":%u", e->risk_score);
    s_json_str_or_null(buf, "channel", e->channel);
    core_buf_printf(buf, ",\"state\":\"%s\",\"arrival\":%lld,\"lease_expired\":%s",
                    sink_queue_state_name(e->state), (long long)e->arrival,
                    e->lease_expired ? "true" : "false");
    s_json_str_or_null(buf, "claimed_by", e->claimed_by);
    s_json_time_or_null(buf, "lease_until", e->lease_until_ns);
    s_json_str_or_null(buf, "outcome", e->outcome);
    s_json_str_or_null(buf, "note", e->note);
    s_json_time_or_null(buf, "updated_at", e->updated_at_ns);
    core_buf_append_byte(buf, '}');
}

static void s_event_json(const sink_queue_event_t *e, core_buf_t *buf)
{
    char when[40];
    core_rfc3339(e->at_ns, when, sizeof(when));
    core_buf_printf(buf, "{\"at\":\"%s\",\"who\":", when);
    core_buf_append_json_str(buf, e->who, strlen(e->who));
    s_json_str_or_null(buf, "from", e->from_state);
    s_json_str_or_null(buf, "to", e->to_state);
    s_json_str_or_null(buf, "outcome", e->outcome);
    s_json_str_or_null(buf, "note", e->note);
    core_buf_append_byte(buf, '}');
}

/* Text: "risk channel state arrival parcel claimed_by/outcome". */
static void s_entry_text(const sink_queue_entry_t *e, FILE *out)
{
    fprintf(out, "%4u  %-7s %-9s %8lld  ", e->risk_score, e->channel,
            sink_queue_state_name(e->state), (long long)e->arrival);
    sink__print_safe(out, e->parcel_id);
    if (e->state == SINK_QUEUE_CLAIMED || e->lease_expired) {
        char until[40];
        core_rfc3339(e->lease_until_ns, until, sizeof(until));
        fprintf(out, "  %s %s until %s", e->lease_expired ? "was claimed by" : "claimed by",
                e->claimed_by, until);
    } else if (e->state == SINK_QUEUE_RESOLVED) {
        fprintf(out, "  %s by %s", e->outcome, e->claimed_by);
    }
    fputc('\n', out);
}

typedef struct {
    FILE *out;      /* stdout */
    bool json;      /* --json */
    core_buf_t buf; /* one line of JSON */
    bool any;       /* an entry was printed */
} printer_t;

static int s_print_entry(const sink_queue_entry_t *entry, void *arg)
{
    printer_t *p = arg;
    if (!p->json && !p->any)
        fprintf(p->out, "RISK  CHANNEL STATE      ARRIVAL  PARCEL\n");
    p->any = true;
    if (p->json) {
        core_buf_reset(&p->buf);
        s_entry_json(entry, &p->buf);
        core_buf_append_byte(&p->buf, '\n');
        fwrite(p->buf.data, 1, p->buf.len, p->out);
    } else {
        s_entry_text(entry, p->out);
    }
    return 0;
}

/* ============ Subcommands ============ */

static int s_list(sink_queue_t *queue, const queue_config_t *cfg, char *err)
{
    sink_queue_state_t state = SINK_QUEUE_NEW;
    (void)sink_queue_state_parse(cfg->state, &state);
    printer_t p = { .out = stdout, .json = cfg->json };
    int rc =
        sink_queue_list(queue, state, (uint32_t)cfg->limit, core_wall_ns(), s_print_entry, &p, err);
    if (rc == 0 && !p.any && !p.json)
        printf("no %s entries\n", sink_queue_state_name(state));
    core_buf_clear(&p.buf);
    return rc == 0 ? 0 : 1;
}

static int s_keep_entry(const sink_queue_entry_t *entry, void *arg)
{
    core_buf_t *buf = arg;
    s_entry_json(entry, buf);
    return 0;
}

static int s_keep_event(const sink_queue_event_t *event, void *arg)
{
    core_buf_t *buf = arg;
    if (buf->len > 1)
        core_buf_append_byte(buf, ',');
    s_event_json(event, buf);
    return 0;
}

static int s_print_event(const sink_queue_event_t *e, void *arg)
{
    FILE *out = arg;
    char when[40];
    core_rfc3339(e->at_ns, when, sizeof(when));
    fprintf(out, "  %s  %-12s %s -> %s", when, e->who, e->from_state[0] ? e->from_state : "",
            e->to_state);
    if (e->outcome[0])
        fprintf(out, "  %s", e->outcome);
    if (e->note[0]) {
        fputs("  ", out);
        sink__print_safe(out, e->note);
    }
    fputc('\n', out);
    return 0;
}

static int s_print_entry_detail(const sink_queue_entry_t *e, void *arg)
{
    FILE *out = arg;
    fprintf(out, "state    %s", sink_queue_state_name(e->state));
    if (e->state == SINK_QUEUE_CLAIMED || e->lease_expired) {
        char until[40];
        core_rfc3339(e->lease_until_ns, until, sizeof(until));
        fprintf(out, " (%s %s, lease %s %s)", e->lease_expired ? "was claimed by" : "claimed by",
                e->claimed_by, e->lease_expired ? "ran out at" : "until", until);
    } else if (e->state == SINK_QUEUE_RESOLVED) {
        fprintf(out, " (%s by %s)", e->outcome, e->claimed_by);
    }
    fprintf(out, "\nrisk     %u %s\narrival  %lld\n", e->risk_score, e->channel,
            (long long)e->arrival);
    if (e->note[0]) {
        fputs("note     ", out);
        sink__print_safe(out, e->note);
        fputc('\n', out);
    }
    return 0;
}

static int s_show(sink_queue_t *queue, const queue_config_t *cfg, char *err)
{
    int64_t now = core_wall_ns();
    core_buf_t entry = { 0 };
    core_buf_t verdict = { 0 };
    core_buf_t history = { 0 };
    int code = 1;
    int entry_rc = sink_queue_get(queue, cfg->parcel, now, s_keep_entry, &entry, err);
    if (entry_rc != 0 && entry_rc != -ENOENT)
        goto out_free;
    int verdict_rc = sink_queue_verdict_json(queue, cfg->parcel, &verdict, err);
    if (verdict_rc != 0 && verdict_rc != -ENOENT)
        goto out_free;
    if (entry_rc == -ENOENT && verdict_rc == -ENOENT) {
        core_err_set(err, "parcel '%s' has no verdict and no queue entry", cfg->parcel);
        goto out_free;
    }
    core_buf_append_byte(&history, '[');
    if (sink_queue_history(queue, cfg->parcel, s_keep_event, &history, err) != 0)
        goto out_free;
    core_buf_append_byte(&history, ']');
    code = 0;

    if (cfg->json) {
        core_buf_t line = { 0 };
        core_buf_append_str(&line, "{\"parcel_id\":");
        core_buf_append_json_str(&line, cfg->parcel, strlen(cfg->parcel));
        core_buf_append_str(&line, ",\"entry\":");
        core_buf_append_str(&line, entry.len ? core_buf_cstr(&entry) : "null");
        core_buf_append_str(&line, ",\"verdict\":");
        core_buf_append_str(&line, verdict.len ? core_buf_cstr(&verdict) : "null");
        core_buf_append_str(&line, ",\"history\":");
        core_buf_append(&line, history.data, history.len);
        core_buf_append_str(&line, "}\n");
        fwrite(line.data, 1, line.len, stdout);
        core_buf_clear(&line);
        goto out_free;
    }
    fputs("parcel   ", stdout);
    sink__print_safe(stdout, cfg->parcel);
    fputc('\n', stdout);
    if (entry_rc == 0)
        sink_queue_get(queue, cfg->parcel, now, s_print_entry_detail, stdout, err);
    else
        printf("state    not in the queue (no hit, or only suppressed ones)\n");
    printf("verdict  %s\nhistory\n", verdict.len ? core_buf_cstr(&verdict) : "(none)");
    sink_queue_history(queue, cfg->parcel, s_print_event, stdout, err);

out_free:
    core_buf_clear(&entry);
    core_buf_clear(&verdict);
    core_buf_clear(&history);
    return code;
}

static int s_claim(sink_queue_t *queue, const queue_config_t *cfg, char *err)
{
    int64_t now = core_wall_ns();
    int64_t lease_ns = (int64_t)cfg->lease_seconds * 1000000000LL;
    core_buf_t claimed = { 0 };
    int rc = sink_queue_claim(queue, cfg->parcel, cfg->officer, lease_ns, now, &claimed, err);
    if (rc == 0) {
        char until[40];
        core_rfc3339(now + lease_ns, until, sizeof(until));
        fputs("claimed ", stdout);
        sink__print_safe(stdout, core_buf_cstr(&claimed));
        printf(" for %s until %s\n", cfg->officer, until);
    }
    core_buf_clear(&claimed);
    return rc == 0 ? 0 : rc == -EINVAL ? 2 : 1;
}

static int s_resolve(sink_queue_t *queue, const queue_config_t *cfg, char *err)
{
    int rc = sink_queue_resolve(queue, cfg->parcel, cfg->officer, cfg->outcome, cfg->note,
                                core_wall_ns(), err);
    if (rc == 0) {
        fputs("resolved ", stdout);
        sink__print_safe(stdout, cfg->parcel);
        printf(" as %s", cfg->outcome);
        if (strcmp(cfg->outcome, "false_positive") == 0)
            printf(" (%u allow-list entries added)", sink_queue_allowlist_added(queue));
        fputc('\n', stdout);
    }
    return rc == 0 ? 0 : rc == -EINVAL ? 2 : 1;
}

/* Usage rules the table cannot express. Returns 0 or -EINVAL with a reason in err. */
static int s_check_usage(size_t which, const queue_config_t *cfg, char *err)
{
    sink_queue_state_t state;
    if (cfg->db == NULL) {
        core_err_set(err, "--db is required");
    } else if (which == 0 && sink_queue_state_parse(cfg->state, &state) != 0) {
        core_err_set(err, "--state: '%s' is not new|claimed|resolved|all", cfg->state);
    } else if (which == 1 && cfg->parcel == NULL) {
        core_err_set(err, "show needs --parcel ID");
    } else if (which == 2 && cfg->officer == NULL) {
        core_err_set(err, "claim needs --officer NAME");
    } else if (which == 2 && (cfg->parcel == NULL) == !cfg->next) {
        core_err_set(err, "claim needs exactly one of --parcel ID and --next");
    } else if (which == 3 &&
               (cfg->parcel == NULL || cfg->officer == NULL || cfg->outcome == NULL)) {
        core_err_set(err, "resolve needs --parcel ID, --officer NAME and --outcome O");
    } else if (which == 3 && !sink_queue_outcome_valid(cfg->outcome)) {
        core_err_set(
            err, "--outcome: '%s' is not released|inspected_clear|seized|referred|false_positive",
            cfg->outcome);
    } else {
        return 0;
    }
    return -EINVAL;
}

static void s_usage(FILE *out)
{
    fprintf(out, "usage: parcelscreen queue list|show|claim|resolve --db PATH ...\n"
                 "       parcelscreen queue SUBCOMMAND --help\n");
}

int sink_queue_main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "parcelscreen: queue: missing subcommand (list, show, claim, resolve)\n");
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        s_usage(stdout);
        return 0;
    }
    static const char *const names[] = { "list", "show", "claim", "resolve" };
    size_t which = CORE_ARRAY_LEN(names);
    for (size_t i = 0; i < CORE_ARRAY_LEN(names); i++) {
        if (!strcmp(argv[1], names[i]))
            which = i;
    }
    if (which == CORE_ARRAY_LEN(names)) {
        fprintf(stderr,
                "parcelscreen: queue: unknown subcommand '%s' (list, show, claim, resolve)\n",
                argv[1]);
        return 2;
    }
    const core_config_table_t *table = &s_tables[which];
    queue_config_t cfg = { 0 };
    char err[CORE_ERR_LEN] = "";
    int code = 0;
    sink_queue_t *queue = NULL;
    int rc = core_config_parse(table, &cfg, argc - 1, argv + 1, stdout, err);
    if (rc == 1)
        goto out_free;
    if (rc == 0)
        rc = s_check_usage(which, &cfg, err);
    if (rc != 0) {
        code = 2;
        goto out_report;
    }
    queue = sink_queue_open(cfg.db, QUEUE_BUSY_TIMEOUT_MS, err);
    if (queue == NULL) {
        code = 1;
        goto out_report;
    }
    switch (which) {
    case 0:
        code = s_list(queue, &cfg, err);
        break;
    case 1:
        code = s_show(queue, &cfg, err);
        break;
    case 2:
        code = s_claim(queue, &cfg, err);
        break;
    default:
        code = s_resolve(queue, &cfg, err);
        break;
    }
out_report:
    if (code != 0)
        fprintf(stderr, "parcelscreen: queue: %s\n", err);
out_free:
    sink_queue_destroy(&queue);
    core_config_free(table, &cfg);
    return code;
}
